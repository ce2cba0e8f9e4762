"""The FastAPI application of the built-in server."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .deps import RateLimitHeaders, UploadSizeGuard
from .errors import APIError, error_body
from .faults import FaultInjector
from .idempotency import KeyLocks
from .routers import credits, files, lyrics, nuro, producer, riffusion, suno, webhooks
from .runtime import Runtime
from .schemas import RANGE_HINTS
from .settings import Settings, get_settings

log = logging.getLogger("emulator")

DESCRIPTION = """
The AI Music API on this machine: the same routes, fields and answers as the hosted API, with real music
from the built-in engine (a General MIDI soundfont render; the singer is a synthetic voice, eSpeak NG speech
re-pitched onto the melody, that sings the lyrics; `singing: "wordless"` picks a soundfont voice that hums
the melody instead).

* **Auth**: `Authorization: Bearer sk_...`; a missing or unknown key answers 401 `invalid_api_key`.
* **Tiers**: free 10 requests/min and 2 running tasks, starter 30/5, pro 60/10, enterprise (the
  reference's "Custom") 600/50. Every authenticated request counts; file links do not. Every API answer
  carries `X-RateLimit-Limit/Remaining/Reset` (Reset in unix seconds); over the limit: 429 with Retry-After.
* **Credits** are charged when a task starts, atomically, and refunded when it fails.
* **Idempotency-Key** on a POST: a repeat with the same key and body within 24 h returns the first
  (successful) answer and is charged once; the same key with another body answers 409.
* **Tasks** are polled through their model's get-music. Producer and Nuro results carry the first clip's
  `audio_url`, `video_url`, `duration`, `metadata` and, as our extension, the `clips` list.
* **Webhooks**: the finished task's get-music JSON plus `timestamp` and `signature` is POSTed to
  `webhook_url`, signed with the key's webhook secret (`whsec_...`, from `GET /v1/webhook-secret`,
  rotated by `POST /v1/webhook-secret/rotate`; never the API key). Headers: `X-Webhook-Timestamp` (unix
  seconds) and `X-Webhook-Signature: sha256=<hex>`, hex = HMAC-SHA256(secret, `f"{timestamp}."` + body
  bytes). Body: `signature` = HMAC-SHA256 hex (secret, the body without `signature` serialised
  canonically: `json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` as UTF-8),
  which is the reference's `verify_webhook(payload, signature, secret)`. Refuse deliveries whose
  timestamp is more than 5 minutes old. Only http(s) URLs with a valid host and port are taken, and only
  public addresses are called (loopback, link-local/metadata, private, shared, multicast and reserved
  ranges answer 400 or fail the delivery, unless the operator's `webhook_allowed_hosts` allows them), with
  no proxy, no redirects and a short timeout. Failed deliveries are retried with backoff; each task with a
  webhook shows `webhook_status` (waiting, sending, delivered, failed) and, when failed, `webhook_error`.
* **Files** are served by this server under signed links that expire (24 h by default): 410 `link_expired`
  afterwards. `audio_url`/`song_url` fields take only these links: the server fetches nothing from outside.
* **Errors**: `{"error": {"code", "message", "details"}}`.
* **Our extensions**: an optional `seed` on task-starting requests (same request + seed = same song);
  `approximate: true` on stems of uploaded audio (separated by DSP, not exact); `duration` on
  create-music-with-lyrics; `audio_id`/`song_id` in place of `audio_url`/`song_url`; an
  `Idempotent-Replayed: true` header on a repeated answer; clip `metadata` also holds the `lyrics`,
  `seed`, `tempo`, `key`, `mode` and `instruments`. Suno tasks make one clip per request.
* **Restarts** lose no task, clip or credit; a task that was running is re-run, or failed and refunded
  once it has been interrupted too often.
"""


def _issue(error: dict) -> tuple[str, str]:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = ".".join(loc) or "body"
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    name = loc[0] if loc else field
    if kind == "missing":
        return field, f"{field} is required."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than") and name in RANGE_HINTS:
        return field, RANGE_HINTS[name]
    if kind == "json_invalid":
        return "body", "The request body is not valid JSON."
    if kind == "literal_error":
        return field, f"{field} must be one of {ctx.get('expected')}."
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return field, f"{field} must not be empty."
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if kind == "string_too_long" else "items"
        return field, f"{field} must be at most {ctx.get('max_length')} {unit}."
    if kind == "too_short":
        return field, f"{field} needs at least {ctx.get('min_length')} items."
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    if message.startswith(field):
        return field, f"{message}."
    return field, f"{field}: {message[0].lower() + message[1:] if message else message}."


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def api_error(request: Request, error: APIError):
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        field, issue = _issue(error.errors()[0])
        return JSONResponse(
            error_body("validation_error", issue, {"field": field, "issue": issue}), status_code=400
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if error.status_code == 404:
            body = error_body(
                "not_found",
                f"There is no route {request.url.path}; see /docs for the API.",
                {"resource": "route", "id": request.url.path},
            )
        else:
            body = error_body(
                "validation_error" if error.status_code < 500 else "internal_error", str(error.detail)
            )
        return JSONResponse(body, status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return JSONResponse(
            error_body("internal_error", "The server failed on this request. Try again."), status_code=500
        )


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    runtime = runtime or Runtime(settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        runtime.start()
        try:
            yield
        finally:
            runtime.stop()

    app = FastAPI(
        title="AI Music API (built-in server)", version="1.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.runtime = runtime
    app.state.idempotency_locks = KeyLocks()
    _install_error_handlers(app)
    for module in (suno, producer, nuro, lyrics, credits, webhooks, riffusion, files):
        app.include_router(module.router)
    app.add_middleware(UploadSizeGuard)
    app.add_middleware(RateLimitHeaders)
    return app


def create_asgi(runtime: Runtime):
    """The app wrapped in fault injection (outermost, so a fault can even reset the connection)."""
    return FaultInjector(create_app(runtime=runtime), runtime)
