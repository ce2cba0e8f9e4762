"""Requests-per-minute limits: a fixed one-minute window per bucket (an API key or a client address).

Windows that have run out are dropped once a minute, so memory follows the clients of the last two minutes,
not every client ever seen (bench/ratelimit.py prints it for 10 000 clients).
"""

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
        self._swept_at = clock()

    def __len__(self) -> int:
        return len(self._windows)

    def _evict_idle(self, now: float) -> None:
        """Drop every window that has run out (at most once a minute: amortised O(1) per request)."""
        if now - self._swept_at < WINDOW_SECONDS:
            return
        self._swept_at = now
        self._windows = {b: w for b, w in self._windows.items() if now - w[0] < WINDOW_SECONDS}

    def hit(self, bucket: str, limit: int) -> RateState:
        """Count one request; the answer says whether it is within the limit."""
        now = self._clock()
        with self._lock:
            self._evict_idle(now)
            start, count = self._windows.get(bucket, (now, 0))
            if now - start >= WINDOW_SECONDS:
                start, count = now, 0
            allowed = count < limit
            if allowed:
                count += 1
            self._windows[bucket] = (start, count)
        return RateState(limit, limit - count, math.ceil(start + WINDOW_SECONDS), allowed)
