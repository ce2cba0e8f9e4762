"""A POST whose answer is lost (hang, reset, cut answer) is repeated with the same Idempotency-Key when the
client is told the server honours it (the built-in server does): one task, charged once, never lost."""

from __future__ import annotations

import pytest
from contract_support import SONG_SECONDS, quick_client

from lib.client import RetryConfig
from lib.errors import APIConnectionError, APITimeoutError, ServerError

SONG = {"description": "a bright ukulele tune", "duration": SONG_SECONDS}
QUICK = RetryConfig(max_retries=2, initial_delay=0, max_delay=0, jitter=0, max_wait=0)


class FirstOnly:
    """Turns fault injection off after the first request: the repeat gets through."""

    def __init__(self, server):
        self.server = server

    def __call__(self, _seconds):
        self.server.configure(fault_rate=0.0)


@pytest.mark.parametrize("fault", ["hang", "reset", "malformed"])
def test_a_lost_answer_is_repeated_with_its_key_and_charged_once(dedicated, fault):
    server = dedicated(fault_hang_seconds=2.0)
    key = server.create_key("pro", credits=100)
    client = quick_client(server, key, timeout=1.0, retry=QUICK, repeat_lost_posts=True)
    client._sleep = FirstOnly(server)
    server.configure(fault_rate=1.0, fault_kinds=(fault,))
    task = client.suno.create_music(**SONG)
    assert client.wait_for_task(task.task_id, "suno", timeout=120).clips
    assert client.get_credits().used == 10
    assert [e["amount"] for e in server.runtime.store.ledger(key)] == [10]


@pytest.mark.parametrize(
    ("fault", "error"), [("hang", APITimeoutError), ("reset", APIConnectionError), ("malformed", ServerError)]
)
def test_without_the_option_a_lost_answer_is_reported_not_repeated(dedicated, fault, error):
    server = dedicated(fault_hang_seconds=2.0)
    key = server.create_key("pro", credits=100)
    client = quick_client(server, key, timeout=1.0, retry=QUICK)
    client._sleep = FirstOnly(server)
    server.configure(fault_rate=1.0, fault_kinds=(fault,))
    with pytest.raises(error):
        client.suno.create_music(**SONG)
    server.configure(fault_rate=0.0)
    assert client.get_credits().used == 10  # done once, answer lost: the caller was told it may have started
