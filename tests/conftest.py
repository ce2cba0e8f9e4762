"""Shared fixtures: the real built-in server on a free loopback port, keys, and clients for them."""

from __future__ import annotations

import pytest

from emulator import start_in_background
from emulator.netguard import LOOPBACK


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """One built-in server for the whole session, on a temporary data directory.

    Webhooks go to loopback receivers in tests; a server refuses loopback unless its operator allows it."""
    server = start_in_background(tmp_path_factory.mktemp("emulator"), webhook_allowed_hosts=LOOPBACK)
    yield server
    server.stop()


@pytest.fixture
def make_key(emulator):
    """make_key(tier="pro", credits=1000) -> a fresh API key on the session server."""

    def make(tier: str = "pro", credits: int = 1000) -> str:
        return emulator.create_key(tier=tier, credits=credits)

    return make


@pytest.fixture
def client_for(emulator):
    """client_for(key, **options) -> an AIMusicClient of the session server, closed after the test."""
    from lib.client import AIMusicClient

    clients = []

    def make(key: str, **options):
        client = AIMusicClient(api_key=key, base_url=emulator.base_url, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
