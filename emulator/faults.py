"""Fault injection for tests (off by default): some API requests misbehave like a flaky network.

"500"/"503" answer an error before doing anything. "hang", "reset" and "malformed" let the request do its
work (and charge), then lose the answer: a hang past the client's timeout, a TCP reset, or a cut JSON body.
That is what an idempotency key must make safe to retry.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import struct

from .errors import error_body


class FaultInjector:
    """Outermost ASGI wrapper, so that "reset" can reach uvicorn's transport and abort it."""

    def __init__(self, app, runtime):
        self.app = app
        self.runtime = runtime
        self._random = random.Random(runtime.settings.fault_seed)

    def _draw(self, path: str) -> str | None:
        settings = self.runtime.settings
        if settings.fault_rate <= 0 or not path.startswith("/v1/") or not settings.fault_kinds:
            return None
        if self._random.random() >= settings.fault_rate:
            return None
        return self._random.choice(settings.fault_kinds)

    async def __call__(self, scope, receive, send):
        fault = self._draw(scope.get("path", "")) if scope["type"] == "http" else None
        if fault is None:
            return await self.app(scope, receive, send)
        if fault in ("500", "503"):
            return await _send_error(send, int(fault))
        messages = []

        async def capture(message):
            messages.append(message)

        await self.app(scope, receive, capture)
        if fault == "hang":
            await asyncio.sleep(self.runtime.settings.fault_hang_seconds)
        elif fault == "reset":
            return await _reset(send)
        elif fault == "malformed":
            messages = _cut_body(messages)
        for message in messages:
            await send(message)


async def _send_error(send, status: int) -> None:
    code, message = (
        ("internal_error", "The server failed on this request (injected fault). Try again.")
        if status == 500
        else (
            "service_unavailable",
            "The service is briefly unavailable (injected fault). Try again shortly.",
        )
    )
    body = json.dumps(error_body(code, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _cut_body(messages: list[dict]) -> list[dict]:
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    broken = body[: max(1, len(body) // 2)]
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(broken)).encode()))
    return [{**start, "headers": headers}, {"type": "http.response.body", "body": broken}]


async def _reset(send) -> None:
    """Abort the TCP connection with a RST (SO_LINGER 0) before any byte of the answer."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        return
    # Not under uvicorn (an in-process test client): fail the call the way a broken connection would.
    raise ConnectionResetError("injected connection reset")
