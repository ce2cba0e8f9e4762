"""Checking that a webhook call really comes from the API, and a small receiver that shows deliveries.

The secret is the key's webhook secret (``whsec_...``, `client.webhooks.secret()`), not the API key.
A delivery is signed twice; either proves it:

* headers: ``X-Webhook-Signature: sha256=<hex>`` over ``"<X-Webhook-Timestamp>." + body``;
* the body's ``signature`` field (the reference's form): HMAC-SHA256 hex over the body without that field,
  serialised canonically (sorted keys, separators "," and ":", UTF-8 unescaped); its ``timestamp`` field
  (ISO 8601) dates it.

Run ``python -m lib.webhooks --port 8900 --secret whsec_...`` and give ``http://127.0.0.1:8900/hook`` as a
webhook_url of the built-in server (started with webhook_allowed_hosts=127.0.0.1) to watch signed deliveries.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.server
import json
import time
from collections.abc import Mapping
from datetime import datetime

SIGNATURE_PREFIX = "sha256="
DEFAULT_TOLERANCE = 300


def sign_webhook(body: bytes, secret: str, timestamp: str | int | None = None) -> str:
    """The `X-Webhook-Signature` value for `body`: HMAC-SHA256 over "<timestamp>." + body, or over the
    body alone when there is no timestamp (the reference's simple form)."""
    message = body if timestamp is None else f"{timestamp}.".encode() + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _fresh(sent_at: float, tolerance: float, now: float | None) -> bool:
    return abs((time.time() if now is None else now) - sent_at) <= tolerance


def verify_webhook_signature(
    body: bytes,
    signature: str,
    secret: str,
    timestamp: str | int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
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
        if not _fresh(sent_at, tolerance, now):
            return False
    expected = sign_webhook(body, secret, timestamp if timestamp is None else str(timestamp).strip())
    given = signature.strip()
    if not given.startswith(SIGNATURE_PREFIX):
        given = SIGNATURE_PREFIX + given
    return hmac.compare_digest(expected.encode(), given.encode())


def canonical_json(payload: Mapping) -> str:
    """The text the body's `signature` field is computed over."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def verify_webhook_body(
    body: bytes, secret: str, tolerance: float = DEFAULT_TOLERANCE, *, now: float | None = None
) -> bool:
    """True when the body's `signature` field matches the rest of the body and its `timestamp` is fresh."""
    try:
        payload = json.loads(body)
        signature = payload.pop("signature")
        sent_at = datetime.fromisoformat(str(payload["timestamp"]).replace("Z", "+00:00")).timestamp()
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    if not isinstance(signature, str) or not secret or not _fresh(sent_at, tolerance, now):
        return False
    expected = hmac.new(secret.encode(), canonical_json(payload).encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode())


def verify_delivery(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    tolerance: float = DEFAULT_TOLERANCE,
    *,
    now: float | None = None,
) -> bool:
    """True when either signature of a delivery holds: the headers' or the body's."""
    lowered = {k.lower(): v for k, v in headers.items()}
    signature, timestamp = lowered.get("x-webhook-signature"), lowered.get("x-webhook-timestamp")
    if (
        signature
        and timestamp
        and verify_webhook_signature(body, signature, secret, timestamp, tolerance, now=now)
    ):
        return True
    return verify_webhook_body(body, secret, tolerance, now=now)


def describe_delivery(body: bytes, headers: Mapping[str, str], secret: str) -> str:
    """One line per delivery: verified or refused, and which task in which state."""
    verdict = "verified" if verify_delivery(body, headers, secret) else "REFUSED (bad or stale signature)"
    try:
        payload = json.loads(body)
        what = f"task {payload.get('task_id')} {payload.get('status')}"
    except ValueError:
        what = f"{len(body)} bytes that are not JSON"
    return f"{verdict}: {what}"


def make_receiver(port: int, secret: str, host: str = "127.0.0.1", out=None) -> http.server.HTTPServer:
    """An HTTP server that answers 204 to verified deliveries and 401 to others, reporting each to `out`."""
    out = out or (lambda line: print(line, flush=True))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = verify_delivery(body, dict(self.headers), secret)
            out(describe_delivery(body, dict(self.headers), secret))
            self.send_response(204 if ok else 401)
            self.end_headers()

        def log_message(self, *args):
            pass

    return http.server.ThreadingHTTPServer((host, port), Handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Receive and verify webhook deliveries on loopback.")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--secret", required=True, help="the key's webhook secret (whsec_...)")
    args = parser.parse_args(argv)
    server = make_receiver(args.port, args.secret)
    print(f"Listening on http://127.0.0.1:{server.server_port}/hook; Ctrl+C stops.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
