"""Idempotency-Key on POSTs: a repeat of the same key and body within the TTL gets the first answer.

A route class rather than a middleware, so a repeat is still authenticated and counted like any request.
Only successful answers are kept: a refused request did nothing, so repeating it simply runs it again.
A different body under a used key gets 409 idempotency_conflict.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import asynccontextmanager

from fastapi import Request, Response
from fastapi.routing import APIRoute

from .deps import authenticate, get_runtime
from .errors import APIError, validation_error

MAX_KEY_LENGTH = 255


class KeyLocks:
    """One lock per (API key, Idempotency-Key) while in use, so two copies of a request never both run."""

    def __init__(self):
        self._locks: dict[tuple[str, str], list] = {}  # key -> [lock, users]

    @asynccontextmanager
    async def hold(self, key: tuple[str, str]):
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[key]


def fingerprint(request: Request, body: bytes) -> str:
    """Hash of what was asked; a multipart body is hashed without its random boundary."""
    content_type = request.headers.get("content-type", "")
    if "boundary=" in content_type:
        boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip('"').encode()
        body = body.replace(boundary, b"")
    return hashlib.sha256(request.url.path.encode() + b"\n" + body).hexdigest()


class IdempotentRoute(APIRoute):
    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            idem_key = request.headers.get("idempotency-key", "").strip()
            if request.method != "POST" or not idem_key:
                return await handler(request)
            if len(idem_key) > MAX_KEY_LENGTH:
                raise validation_error(
                    "Idempotency-Key", f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters."
                )
            api_key = authenticate(request)["key"]
            runtime = get_runtime(request)
            request_print = fingerprint(request, await request.body())
            async with request.app.state.idempotency_locks.hold((api_key, idem_key)):
                saved = runtime.store.idempotent_answer(
                    api_key, idem_key, runtime.settings.idempotency_ttl_seconds
                )
                if saved is not None:
                    if saved["fingerprint"] != request_print:
                        raise APIError(
                            409,
                            "idempotency_conflict",
                            "This Idempotency-Key was already used for a different request. "
                            "Use a new key for a new request.",
                        )
                    return Response(
                        saved["body"],
                        saved["status"],
                        media_type=saved["content_type"],
                        headers={"Idempotent-Replayed": "true"},
                    )
                response = await handler(request)
                if 200 <= response.status_code < 300:
                    runtime.store.remember_answer(
                        api_key,
                        idem_key,
                        request_print,
                        response.status_code,
                        bytes(response.body),
                        response.media_type or "application/json",
                    )
                return response

        return route
