"""Checking that a webhook call really comes from the API (the secret is the API key itself)."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_PREFIX = "sha256="


def sign_webhook(body: bytes, secret: str, timestamp: str | int | None = None) -> str:
    """The `X-Webhook-Signature` value for `body`: HMAC-SHA256 over "<timestamp>." + body, or over the
    body alone when there is no timestamp (the reference's simple form)."""
    message = body if timestamp is None else f"{timestamp}.".encode() + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_webhook_signature(
    body: bytes,
    signature: str,
    secret: str,
    timestamp: str | int | None = None,
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> bool:
    """True when `signature` (with or without "sha256=") matches `body`, compared in constant time, and
    the timestamp, when given, is within `tolerance` seconds of now (older or newer is rejected)."""
    if not signature or not secret:
        return False
    if timestamp is not None:
        try:
            sent_at = int(str(timestamp).strip())
        except ValueError:
            return False
        current = time.time() if now is None else now
        if abs(current - sent_at) > tolerance:
            return False
    expected = sign_webhook(body, secret, timestamp if timestamp is None else str(timestamp).strip())
    given = signature.strip()
    if not given.startswith(SIGNATURE_PREFIX):
        given = SIGNATURE_PREFIX + given
    return hmac.compare_digest(expected.encode(), given.encode())
