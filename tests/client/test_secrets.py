"""The API key never leaves: not in repr, not in exceptions, not in log records; nor do signed-link tokens."""

from __future__ import annotations

import logging
import socket

import pytest

from lib.client import AIMusicClient, RedactSecretsFilter, mask_secret
from lib.errors import AIMusicAPIError
from tests.client.conftest import API_KEY
from tests.client.scripted_server import Answer, ScriptedServer


@pytest.fixture
def server():
    running = ScriptedServer(
        [
            Answer(200, {"total": 1, "used": 0, "available": 1}),
            Answer(401, {"error": {"code": "invalid_api_key", "message": f"Key {API_KEY} is not valid"}}),
            Answer(200, b"ID3 audio", {"Content-Type": "audio/mpeg"}),
        ]
    )
    yield running
    running.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_repr_masks_all_but_the_last_four_characters():
    client = AIMusicClient(API_KEY, base_url="http://127.0.0.1:1")
    assert API_KEY not in repr(client) and API_KEY not in str(client)
    assert "****" + API_KEY[-4:] in repr(client)
    assert mask_secret("sk_short") == "****"


def test_key_is_absent_from_exceptions_and_logs(server, caplog):
    caplog.set_level(logging.DEBUG)
    client = AIMusicClient(API_KEY, base_url=server.base_url, sleep=lambda _seconds: None)
    client.get_credits()
    with pytest.raises(AIMusicAPIError) as rejected:
        client.get_credits()
    client.download(f"{server.base_url}/files/clip_1.mp3?expires=99&token=signedSECRET")
    offline = AIMusicClient(API_KEY, base_url=f"http://127.0.0.1:{_free_port()}", sleep=lambda _seconds: None)
    with pytest.raises(AIMusicAPIError) as unreachable:
        offline.get_credits()

    assert server.seen[0].headers["Authorization"] == f"Bearer {API_KEY}"
    assert "Authorization" not in server.seen[2].headers  # file links carry no key
    for error in (rejected.value, unreachable.value):
        for text in (str(error), repr(error), str(error.args), str(error.details), str(error.__cause__)):
            assert API_KEY not in text
    messages = [record.getMessage() for record in caplog.records]
    assert any("GET /v1/credits -> 200" in message for message in messages)
    assert any("GET /v1/credits -> 401" in message for message in messages)
    for message in messages:
        assert API_KEY not in message
        assert "signedSECRET" not in message


def test_filter_redacts_authorization_keys_and_link_tokens():
    record = logging.LogRecord(
        "lib.client",
        logging.INFO,
        __file__,
        1,
        "headers %s url %s",
        ({"Authorization": f"Bearer {API_KEY}"}, "/f/a.mp3?token=abc123&x=1"),
        None,
    )
    RedactSecretsFilter().filter(record)
    text = record.getMessage()
    assert API_KEY not in text and "abc123" not in text
    assert "[REDACTED]" in text and "x=1" in text
