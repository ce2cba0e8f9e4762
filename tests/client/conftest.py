"""Fixtures for the client's unit tests: a client whose HTTP answers come from `responses`,
and whose sleeps are recorded instead of waited out."""

from __future__ import annotations

import pytest
import responses

from lib.client import AIMusicClient, RetryConfig

API_KEY = "sk_test_abcdefghijklmnop1234"
BASE_URL = "https://api.test"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client(mocked, sleeps) -> AIMusicClient:
    with AIMusicClient(
        API_KEY, base_url=BASE_URL, retry=RetryConfig(max_retries=2), sleep=sleeps.append
    ) as made:
        yield made
