"""Webhook signatures: HMAC-SHA256 with the API key, over "<timestamp>." + body (or the body alone)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from lib.client import verify_webhook_signature

SECRET = "sk_test_webhook_secret_0001"
BODY = b'{"task_id":"task_1","status":"completed","timestamp":"2025-11-05T10:32:00Z"}'
SENT_AT = 1_700_000_000


def _hex(message: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


TIMED = _hex(f"{SENT_AT}.".encode() + BODY)
SIMPLE = _hex(BODY)


@pytest.mark.parametrize(
    ("body", "signature", "secret", "timestamp", "now", "valid"),
    [
        (BODY, "sha256=" + TIMED, SECRET, str(SENT_AT), SENT_AT + 10, True),
        (BODY, TIMED, SECRET, SENT_AT, SENT_AT, True),  # without the prefix, int timestamp
        (BODY, "sha256=" + SIMPLE, SECRET, None, None, True),  # the reference's simple form
        (BODY, SIMPLE, SECRET, None, None, True),
        (BODY + b" ", "sha256=" + TIMED, SECRET, str(SENT_AT), SENT_AT, False),  # body changed
        (BODY, "sha256=" + TIMED, "sk_other_key_000000000", str(SENT_AT), SENT_AT, False),  # other secret
        (BODY, "sha256=" + TIMED[:-1] + "0", SECRET, str(SENT_AT), SENT_AT, False),  # tampered signature
        (BODY, "sha256=" + SIMPLE, SECRET, str(SENT_AT), SENT_AT, False),  # timestamp not signed
        (BODY, "sha256=" + TIMED, SECRET, str(SENT_AT), SENT_AT + 301, False),  # stale
        (BODY, "sha256=" + TIMED, SECRET, str(SENT_AT), SENT_AT - 301, False),  # from the future
        (BODY, "sha256=" + TIMED, SECRET, "yesterday", SENT_AT, False),
        (BODY, "", SECRET, str(SENT_AT), SENT_AT, False),
        (BODY, "sha1=" + TIMED, SECRET, str(SENT_AT), SENT_AT, False),
    ],
    ids=[
        "good",
        "no-prefix",
        "simple",
        "simple-no-prefix",
        "bad-body",
        "bad-secret",
        "bad-signature",
        "timestamp-not-signed",
        "stale",
        "future",
        "bad-timestamp",
        "empty",
        "other-prefix",
    ],
)
def test_verify_webhook_signature(body, signature, secret, timestamp, now, valid):
    assert verify_webhook_signature(body, signature, secret, timestamp, now=now) is valid


def test_tolerance_is_adjustable():
    assert verify_webhook_signature(BODY, TIMED, SECRET, SENT_AT, tolerance=1000, now=SENT_AT + 900)
    assert not verify_webhook_signature(BODY, TIMED, SECRET, SENT_AT, tolerance=60, now=SENT_AT + 61)
