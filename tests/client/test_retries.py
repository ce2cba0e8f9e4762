"""The retry policy: idempotent GETs are repeated on connection errors, 429 and 5xx; a POST only when the
server proved it did nothing (429, 503) or the connection was refused before sending, never after a read
timeout; every repeat of a POST carries the same Idempotency-Key. Sleeps are recorded, never waited."""

from __future__ import annotations

import socket
import time

import pytest

from lib.client import AIMusicClient, RetryConfig
from lib.errors import APIConnectionError, APITimeoutError, RateLimitError, ServerError, ValidationError
from lib.retry import backoff_seconds, post_may_repeat, post_retry_wait, server_wait_seconds
from tests.client.conftest import API_KEY
from tests.client.scripted_server import Answer, ScriptedServer

CONFIG = RetryConfig(max_retries=3, initial_delay=0.5, max_delay=4.0, jitter=0.25, max_wait=30.0)
CREDITS = {"total": 10, "used": 0, "available": 10}


@pytest.fixture
def serve():
    servers: list[ScriptedServer] = []

    def start(*script: Answer, port: int = 0) -> ScriptedServer:
        servers.append(ScriptedServer(list(script), port=port))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _client(server_url: str, sleeps: list[float], timeout: float = 5.0, sleep=None) -> AIMusicClient:
    return AIMusicClient(
        API_KEY, base_url=server_url, timeout=timeout, retry=CONFIG, sleep=sleep or sleeps.append
    )


# Pure functions: parametrised tables.


@pytest.mark.parametrize(
    ("retry_number", "rand", "expected"),
    [
        (1, 0.0, 0.5),
        (2, 0.0, 1.0),
        (3, 0.0, 2.0),
        (4, 0.0, 4.0),
        (6, 0.0, 4.0),
        (1, 0.999, 0.5 * (1 - 0.25 * 0.999)),
        (3, 0.5, 2.0 * 0.875),
    ],
)
def test_backoff_doubles_up_to_the_cap_and_jitters_downwards(retry_number, rand, expected):
    assert backoff_seconds(retry_number, CONFIG, rand) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"Retry-After": "12"}, 12.0),
        (503, {"Retry-After": " 3 "}, 3.0),
        (429, {"Retry-After": "Thu, 01 Jan 1970 00:16:50 GMT"}, 10.0),  # HTTP date 1010 s, now 1000
        (429, {"X-RateLimit-Reset": "1007"}, 7.0),
        (429, {"X-RateLimit-Reset": "900"}, 0.0),
        (429, {"Retry-After": "2", "X-RateLimit-Reset": "1050"}, 2.0),
        (503, {"X-RateLimit-Reset": "1050"}, None),  # the window's reset says nothing about an outage
        (500, {}, None),
        (429, {"Retry-After": "soon"}, None),
    ],
)
def test_server_wait_reads_retry_after_then_rate_limit_reset(status, headers, expected):
    assert server_wait_seconds(status, headers, now=1000.0) == expected


@pytest.mark.parametrize(
    ("status", "repeat"),
    [
        (429, True),
        (503, True),
        (500, False),
        (502, False),
        (504, False),
        (400, False),
        (402, False),
        (409, False),
    ],
)
def test_only_answers_that_prove_nothing_was_done_let_a_post_repeat(status, repeat):
    assert post_may_repeat(status) is repeat


@pytest.mark.parametrize(
    ("status", "headers", "retry_number", "expected"),
    [
        (429, {"Retry-After": "5"}, 1, 5.0),
        (503, {}, 2, 1.0),
        (429, {"Retry-After": "31"}, 1, None),  # longer than max_wait: give the wait back to the caller
        (429, {"Retry-After": "5"}, 4, None),  # retries used up
        (500, {}, 1, None),
        (504, {"Retry-After": "1"}, 1, None),
    ],
)
def test_post_retry_wait(status, headers, retry_number, expected):
    assert post_retry_wait(status, headers, retry_number, CONFIG, now=1000.0, rand=0.0) == expected


# The real thing: the client against a scripted server on a loopback port.


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_is_retried_on_retryable_statuses(serve, sleeps, status):
    server = serve(Answer(status, {"error": {"code": "x"}}), Answer(status, {}), Answer(200, CREDITS))
    credits = _client(server.base_url, sleeps).get_credits()
    assert credits.available == 10
    assert [seen.method for seen in server.seen] == ["GET", "GET", "GET"]
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_get_honours_retry_after_and_rate_limit_reset(serve, sleeps):
    reset = int(time.time()) + 20
    server = serve(
        Answer(429, {}, {"Retry-After": "7"}),
        Answer(429, {}, {"X-RateLimit-Reset": str(reset)}),
        Answer(200, CREDITS, {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "58"}),
    )
    client = _client(server.base_url, sleeps)
    client.get_credits()
    assert sleeps[0] == 7.0
    assert 15 <= sleeps[1] <= 20
    assert (client.rate_limit.limit, client.rate_limit.remaining) == (60, 58)


def test_get_gives_up_after_max_retries_with_the_last_error(serve, sleeps):
    server = serve(Answer(503, {"error": {"code": "service_unavailable", "message": "down"}}))
    with pytest.raises(ServerError, match="temporarily unavailable"):
        _client(server.base_url, sleeps).get_credits()
    assert len(server.seen) == CONFIG.max_retries + 1


def test_get_does_not_wait_longer_than_max_wait(serve, sleeps):
    server = serve(
        Answer(
            429,
            {"error": {"code": "rate_limit_exceeded", "details": {"retry_after": 60}}},
            {"Retry-After": "60"},
        )
    )
    with pytest.raises(RateLimitError) as caught:
        _client(server.base_url, sleeps).get_credits()
    assert caught.value.retry_after == 60
    assert len(server.seen) == 1 and sleeps == []


def test_client_errors_are_not_retried(serve, sleeps):
    server = serve(Answer(400, {"error": {"code": "validation_error", "details": {"field": "task_id"}}}))
    with pytest.raises(ValidationError):
        _client(server.base_url, sleeps).suno.get_music("task_1")
    assert len(server.seen) == 1 and sleeps == []


@pytest.mark.parametrize("status", [429, 503])
def test_post_refused_by_the_server_is_repeated_with_the_same_idempotency_key(serve, sleeps, status):
    server = serve(
        Answer(status, {}, {"Retry-After": "2"}), Answer(200, {"task_id": "task_9", "status": "pending"})
    )
    task = _client(server.base_url, sleeps).suno.create_music(description="pop")
    assert task.task_id == "task_9"
    keys = [seen.headers["Idempotency-Key"] for seen in server.seen]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert server.seen[0].body == server.seen[1].body
    assert sleeps == [2.0]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_post_that_may_have_started_a_task_is_not_repeated(serve, sleeps, status):
    server = serve(Answer(status, {"error": {"code": "internal_error"}}), Answer(200))
    with pytest.raises(ServerError):
        _client(server.base_url, sleeps).suno.create_music(description="pop")
    assert len(server.seen) == 1 and sleeps == []


def test_post_is_never_repeated_after_a_read_timeout(serve, sleeps):
    server = serve(Answer(200, delay=3.0))
    with pytest.raises(APITimeoutError, match="may still have started a task"):
        _client(server.base_url, sleeps, timeout=0.4).suno.create_music(description="pop")
    assert len(server.seen) == 1 and sleeps == []


def test_get_is_repeated_after_a_read_timeout(serve, sleeps):
    server = serve(Answer(200, delay=3.0), Answer(200, CREDITS))
    assert _client(server.base_url, sleeps, timeout=0.4).get_credits().available == 10
    assert len(server.seen) == 2 and len(sleeps) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_post_is_repeated_when_the_connection_was_refused_before_sending(serve, sleeps):
    port = _free_port()
    started: list[ScriptedServer] = []

    def sleep_then_come_up(seconds: float) -> None:
        sleeps.append(seconds)
        if not started:
            started.append(serve(Answer(200, {"task_id": "task_up", "status": "pending"}), port=port))

    client = _client(f"http://127.0.0.1:{port}", sleeps, sleep=sleep_then_come_up)
    task = client.producer.create_music(operation="create", description="edm")
    assert task.task_id == "task_up"
    assert len(sleeps) == 1 and len(started[0].seen) == 1
    assert started[0].seen[0].headers["Idempotency-Key"]


def test_unreachable_server_is_a_connection_error_after_the_retries(sleeps):
    client = _client(f"http://127.0.0.1:{_free_port()}", sleeps)
    with pytest.raises(APIConnectionError, match="Could not reach the music service") as caught:
        client.get_credits()
    assert not isinstance(caught.value, APITimeoutError)
    assert len(sleeps) == CONFIG.max_retries
