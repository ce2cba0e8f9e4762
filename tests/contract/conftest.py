"""Fixtures of the contract tests: a funded client with one finished song, dedicated servers, webhooks."""

from __future__ import annotations

import pytest
from contract_support import SONG_SECONDS, WebhookReceiver

from emulator import start_in_background
from emulator.netguard import LOOPBACK
from lib.client import AIMusicClient


@pytest.fixture(scope="module")
def studio_key(emulator):
    """An enterprise key with plenty of credits (no rate-limit noise in music tests)."""
    return emulator.create_key(tier="enterprise", credits=100_000)


@pytest.fixture(scope="module")
def studio(emulator, studio_key):
    client = AIMusicClient(api_key=studio_key, base_url=emulator.base_url, timeout=30)
    yield client
    client.close()


@pytest.fixture(scope="module")
def song(studio):
    """One finished 10-second Suno song that edit, stems and export tests work on."""
    task = studio.suno.create_music(
        description="an upbeat pop song about the sea", duration=SONG_SECONDS, voice_gender="female"
    )
    return studio.wait_for_task(task.task_id, "suno", timeout=120).clips[0]


@pytest.fixture
def dedicated(tmp_path):
    """dedicated(**settings) -> a server of its own (stopped after the test), for settings others must not see.

    It calls loopback webhooks unless the test sets webhook_allowed_hosts itself."""
    servers = []

    def start(data_dir=None, **settings):
        settings.setdefault("webhook_allowed_hosts", LOOPBACK)
        server = start_in_background(data_dir or tmp_path / f"server{len(servers)}", **settings)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def webhook_receiver():
    receivers = []

    def make(fail_first: int = 0, port: int = 0) -> WebhookReceiver:
        receivers.append(WebhookReceiver(fail_first, port))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.close()
