"""When and how long the client waits before repeating a request.

urllib3's `Retry` on the session's adapter repeats idempotent GETs (connection errors, read errors, 429 and
5xx answers) and any request whose connection was refused before it was sent. What it cannot express lives
in the small pure functions below: the X-RateLimit-Reset header, our backoff curve, and which POST answers
prove the server did nothing (so the POST, with its unchanged Idempotency-Key, may be sent again).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A POST answered with these did not start anything: the server refused it before doing any work.
POST_REPEATABLE_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryConfig:
    """How hard the client tries. Waits: initial_delay * 2**n, at most max_delay, shortened by up to
    `jitter` (a fraction) at random; a server-requested wait longer than max_wait is not waited out."""

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    max_wait: float = 30.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more.")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_wait < 0:
            raise ValueError("initial_delay, max_delay and max_wait must not be negative.")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be a fraction between 0 and 1.")


def backoff_seconds(retry_number: int, config: RetryConfig, rand: float) -> float:
    """Wait before retry number `retry_number` (1 for the first), given a random number in [0, 1)."""
    delay = min(config.max_delay, config.initial_delay * 2 ** max(0, retry_number - 1))
    return delay * (1 - config.jitter * rand)


def server_wait_seconds(status: int, headers: Mapping[str, str], now: float) -> float | None:
    """The wait the server asked for: Retry-After (seconds or HTTP date), else, on a 429,
    the time left until X-RateLimit-Reset (unix seconds). None when it asked for nothing."""
    retry_after = headers.get("Retry-After")
    if retry_after:
        retry_after = retry_after.strip()
        if retry_after.isdigit():
            return float(retry_after)
        parsed = email.utils.parsedate_tz(retry_after)
        if parsed is not None:
            return max(0.0, email.utils.mktime_tz(parsed) - now)
    reset = headers.get("X-RateLimit-Reset")
    if status == 429 and reset and reset.strip().isdigit():
        return max(0.0, int(reset) - now)
    return None


def post_may_repeat(status: int) -> bool:
    """True when a POST's answer shows the server did nothing, so sending it again cannot pay twice."""
    return status in POST_REPEATABLE_STATUSES


def post_retry_wait(
    status: int, headers: Mapping[str, str], retry_number: int, config: RetryConfig, now: float, rand: float
) -> float | None:
    """Seconds to wait before repeating a POST that got `status`, or None when it must not be repeated."""
    if retry_number > config.max_retries or not post_may_repeat(status):
        return None
    wait = server_wait_seconds(status, headers, now)
    if wait is None:
        return backoff_seconds(retry_number, config, rand)
    return wait if wait <= config.max_wait else None


class AdapterRetry(Retry):
    """urllib3 `Retry` that sleeps through an injectable function and uses our backoff and wait rules."""

    config: RetryConfig = RetryConfig()
    sleep_function: Callable[[float], Any] = staticmethod(time.sleep)

    @classmethod
    def for_gets(cls, config: RetryConfig, sleep: Callable[[float], Any]) -> AdapterRetry:
        retry = cls(
            total=config.max_retries,
            connect=config.max_retries,
            read=config.max_retries,
            status=config.max_retries,
            other=0,
            redirect=0,
            allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            raise_on_status=False,
            raise_on_redirect=False,
            respect_retry_after_header=True,
        )
        retry.config, retry.sleep_function = config, sleep
        return retry

    def new(self, **kwargs: Any) -> AdapterRetry:
        retry = super().new(**kwargs)
        retry.config, retry.sleep_function = self.config, self.sleep_function
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        return server_wait_seconds(response.status, response.headers, time.time())

    def get_backoff_time(self) -> float:
        return backoff_seconds(len(self.history), self.config, random.random())

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if response is not None:
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.config.max_wait:
                raise MaxRetryError(_pool, url, ResponseError(f"server asked to wait {wait:.0f} s"))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep_for_retry(self, response: Any) -> bool:
        wait = self.get_retry_after(response)
        if wait is None:
            return False
        self.sleep_function(wait)
        return True

    def _sleep_backoff(self) -> None:
        self.sleep_function(self.get_backoff_time())
