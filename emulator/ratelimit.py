"""Requests-per-minute limits: a fixed one-minute window per bucket (an API key or a client address)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateState:
    limit: int
    remaining: int
    reset: int  # unix epoch seconds when the window starts over
    allowed: bool

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }

    def retry_after(self, now: float | None = None) -> int:
        return max(1, math.ceil(self.reset - (time.time() if now is None else now)))


class RateLimiter:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, bucket: str, limit: int) -> RateState:
        """Count one request; the answer says whether it is within the limit."""
        now = self._clock()
        with self._lock:
            start, count = self._windows.get(bucket, (now, 0))
            if now - start >= WINDOW_SECONDS:
                start, count = now, 0
            allowed = count < limit
            if allowed:
                count += 1
            self._windows[bucket] = (start, count)
        return RateState(limit, limit - count, math.ceil(start + WINDOW_SECONDS), allowed)
