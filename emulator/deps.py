"""Dependencies of the routes: the server's runtime and the caller's API key (auth + rate limit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from .errors import APIError, file_too_large, invalid_api_key
from .pricing import tier_named
from .ratelimit import RateState
from .runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def _count(request: Request, bucket: str, limit: int) -> RateState:
    state = get_runtime(request).limiter.hit(bucket, limit)
    request.state.rate = state
    if not state.allowed:
        retry = state.retry_after()
        raise APIError(
            429,
            "rate_limit_exceeded",
            f"Too many requests: the limit is {limit} per minute. Try again in {retry} seconds.",
            {"limit": limit, "retry_after": retry},
            {"Retry-After": str(retry)},
        )
    return state


def authenticate(request: Request) -> dict:
    """The caller's key row; counts the request against its tier's per-minute limit (once per request)."""
    if getattr(request.state, "api_key", None):
        return request.state.api_key
    runtime = get_runtime(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    row = runtime.store.get_key(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if row is None:
        client = request.client.host if request.client else "unknown"
        _count(request, f"ip:{client}", runtime.settings.anonymous_requests_per_minute)
        if not token.strip():
            raise invalid_api_key("No API key was sent. Add the header 'Authorization: Bearer sk_...'.")
        raise invalid_api_key("This API key is not valid. Check it, or create a new key.")
    _count(request, f"key:{row['key']}", tier_named(row["tier"]).requests_per_minute)
    runtime.store.touch_key(row)
    request.state.api_key = row
    return row


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ApiKey = Annotated[dict, Depends(authenticate)]


class RateLimitHeaders:
    """Adds X-RateLimit-* to every answer whose request was counted."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            rate = scope.get("state", {}).get("rate")
            if message["type"] == "http.response.start" and rate is not None:
                extra = [(k.lower().encode(), v.encode()) for k, v in rate.headers().items()]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UploadSizeGuard:
    """Refuses an upload whose Content-Length is already over the cap, before reading its body."""

    MULTIPART_SLACK = 64 * 1024  # room for the multipart headers around the file

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].endswith("/upload-music"):
            limit = scope["app"].state.runtime.settings.max_upload_bytes
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if length.isdigit() and int(length) > limit + self.MULTIPART_SLACK:
                error = file_too_large(limit)
                return await JSONResponse(error.body(), status_code=error.status)(scope, receive, send)
        return await self.app(scope, receive, send)
