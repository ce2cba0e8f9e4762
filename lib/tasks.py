"""Non-blocking tracking of submitted tasks: when to poll each one, within the tier's request budget.

Pure logic with an injectable clock; it makes no requests itself. The task tray asks `due()` which tasks to
poll now, polls them, and hands each answer to `update()`; `next_delay()` says when to look again (None:
nothing pending, stop polling). Every request the app makes with the key counts toward the same per-minute
limit, so the tray also tells the tracker about the others (`note_request`) and about the server's own
counters (`observe_rate_limit`), and polls always leave `reserve` requests for the person's own actions
(a submission, a credits check).

The server counts requests in fixed one-minute windows; counting our own in a sliding window a little longer
than a minute never exceeds what any fixed window allows.
"""

import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lib.models import RateLimit, Task

# (requests per minute, concurrent tasks) by tier, from the reference; "custom" is the emulator's enterprise.
TIER_LIMITS = {
    "free": (10, 2),
    "starter": (30, 5),
    "pro": (60, 10),
    "enterprise": (600, 50),
    "custom": (600, 50),
}
WINDOW_SECONDS = 61.0
MIN_DELAY = 2.0
MAX_DELAY = 30.0
DEFAULT_ESTIMATE = 10.0
BACKOFF = 1.5
# The first poll comes at this share of estimated_time: estimates are cautious (the built-in engine's run about
# twice the real time), and a task found unfinished says how long it still needs.
FIRST_POLL_SHARE = 0.5


def tier_limits(tier: str | None) -> tuple[int, int]:
    """(requests per minute, max concurrent tasks) of a tier; an unknown tier gets the free tier's, the safe guess."""
    return TIER_LIMITS.get((tier or "").strip().lower(), TIER_LIMITS["free"])


def poll_delay(hint: float | None, misses: int) -> float:
    """Seconds until the next poll: the server's estimate of what is left, but at least MIN_DELAY growing by
    BACKOFF with every poll that found the task unfinished, and never more than MAX_DELAY."""
    backoff = MIN_DELAY * BACKOFF ** max(misses - 1, 0)
    wanted = DEFAULT_ESTIMATE if hint is None else hint
    return min(max(wanted, backoff, MIN_DELAY), MAX_DELAY)


@dataclass
class TrackedTask:
    task_id: str
    model: str
    label: str
    estimated_time: float | None
    started_at: float
    next_poll_at: float
    status: str = "pending"
    progress: int | None = None
    polls: int = 0
    misses: int = 0


@dataclass
class QueuedSubmission:
    """A submission waiting for a free concurrency slot. `context` is the caller's (e.g. call name, params)."""

    id: int
    label: str
    submit: Callable[[], Task]
    model: str
    queued_at: float
    context: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.label


class TaskTracker:
    """Poll schedule and request budget of one browser session (keep it in session state)."""

    def __init__(
        self,
        requests_per_minute: int,
        max_concurrent: int,
        clock: Callable[[], float] = time.monotonic,
        *,
        reserve: int = 2,
        wall_clock: Callable[[], float] = time.time,
    ):
        if requests_per_minute < 1 or max_concurrent < 1:
            raise ValueError("A tier allows at least one request per minute and one running task.")
        self.requests_per_minute = requests_per_minute
        self.max_concurrent = max_concurrent
        self.reserve = reserve
        self._clock = clock
        self._wall_clock = wall_clock
        self._tasks: dict[str, TrackedTask] = {}
        self._queue: deque[QueuedSubmission] = deque()
        self._queue_ids = itertools.count(1)
        self._requests: deque[float] = deque()
        self._server_used: tuple[int, float, float] | None = None  # (used, observed at, window ends at)
        self._hold_until = 0.0

    # The schedule

    def track(
        self,
        task_id: str,
        model: str,
        label: str = "",
        estimated_time: float | None = None,
        now: float | None = None,
    ) -> TrackedTask:
        """Start following a submitted task; the first poll comes halfway through the server's estimate, or soon
        when there is none (a task resumed after a reload may have finished long ago)."""
        now = self._now(now)
        first = poll_delay(MIN_DELAY if estimated_time is None else FIRST_POLL_SHARE * estimated_time, 0)
        tracked = TrackedTask(task_id, model, label, estimated_time, started_at=now, next_poll_at=now + first)
        self._tasks[task_id] = tracked
        return tracked

    def due(self, now: float | None = None) -> list[str]:
        """The tasks to poll now, most overdue first, as many as the request budget allows (leaving the reserve).

        They are counted as requests made; each is pushed back by MIN_DELAY until its answer reaches update().
        """
        now = self._now(now)
        if now < self._hold_until:
            return []
        ready = sorted(
            (t for t in self._tasks.values() if t.next_poll_at <= now), key=lambda t: t.next_poll_at
        )
        chosen = ready[: max(self.budget_left(now) - self._poll_reserve(), 0)]
        for tracked in chosen:
            self.note_request(now)
            tracked.polls += 1
            tracked.next_poll_at = now + MIN_DELAY
        return [t.task_id for t in chosen]

    def update(self, task: Task, now: float | None = None) -> bool:
        """Take a polled answer; True when the task is finished (and no longer tracked)."""
        now = self._now(now)
        tracked = self._tasks.get(task.task_id)
        if tracked is None:
            return task.is_done
        if task.is_done:
            del self._tasks[task.task_id]
            return True
        tracked.status, tracked.progress = task.status, task.progress
        tracked.misses += 1
        tracked.next_poll_at = now + poll_delay(self._remaining(task, tracked, now), tracked.misses)
        return False

    @staticmethod
    def _remaining(task: Task, tracked: TrackedTask, now: float) -> float | None:
        """Seconds the task still needs: the server's estimated_remaining; else extrapolated from its progress;
        else its estimated_time minus the time since it was submitted."""
        if task.estimated_remaining is not None:
            return task.estimated_remaining
        elapsed = now - tracked.started_at
        if task.progress:
            return elapsed * (100 - task.progress) / task.progress
        estimate = task.estimated_time or tracked.estimated_time
        return None if estimate is None else estimate - elapsed

    def poll_failed(self, task_id: str, now: float | None = None) -> None:
        """A poll did not get an answer (network, 5xx): try again later, backing off."""
        now = self._now(now)
        tracked = self._tasks.get(task_id)
        if tracked is not None:
            tracked.misses += 1
            tracked.next_poll_at = now + poll_delay(None, tracked.misses)

    def forget(self, task_id: str) -> None:
        """Stop following a task (e.g. the server no longer knows it)."""
        self._tasks.pop(task_id, None)

    def next_delay(self, now: float | None = None) -> float | None:
        """Seconds until there is something to do, or None when nothing is pending or queued."""
        now = self._now(now)
        budget = self.budget_left(now)
        wake = []
        if self._tasks:
            first_poll = min(t.next_poll_at for t in self._tasks.values())
            wake.append(
                first_poll if budget > self._poll_reserve() else max(first_poll, self._budget_frees_at(now))
            )
        if self._queue and len(self._tasks) < self.max_concurrent:
            wake.append(now if budget > 0 else self._budget_frees_at(now))
        if not wake:
            return None
        return max(min(wake), self._hold_until, now) - now

    def model_of(self, task_id: str) -> str:
        """The model whose get-music answers for a tracked task ("suno" when it is not tracked)."""
        tracked = self._tasks.get(task_id)
        return tracked.model if tracked else "suno"

    def label_of(self, task_id: str) -> str:
        tracked = self._tasks.get(task_id)
        return tracked.label if tracked else task_id

    @property
    def pending(self) -> list[TrackedTask]:
        """Tasks still running, oldest first."""
        return sorted(self._tasks.values(), key=lambda t: t.started_at)

    # The request budget

    def note_request(self, now: float | None = None) -> None:
        """Count a request made with this key outside the schedule (a submission, a credits check)."""
        self._requests.append(self._now(now))

    def budget_left(self, now: float | None = None) -> int:
        """Requests that may still be made in the current minute."""
        now = self._now(now)
        while self._requests and self._requests[0] <= now - WINDOW_SECONDS:
            self._requests.popleft()
        used = len(self._requests)
        if self._server_used is not None:
            server_used, observed_at, window_end = self._server_used
            if now < window_end:
                used = max(used, server_used + sum(1 for t in self._requests if t > observed_at))
            else:
                self._server_used = None
        return max(self.requests_per_minute - used, 0)

    def observe_rate_limit(self, rate_limit: RateLimit | None, now: float | None = None) -> None:
        """Adopt the server's counters (X-RateLimit-*): requests made elsewhere with the same key count too."""
        if rate_limit is None:
            return
        now = self._now(now)
        if rate_limit.limit:
            self.requests_per_minute = rate_limit.limit
        if rate_limit.remaining is not None and rate_limit.reset is not None:
            until_reset = rate_limit.seconds_until_reset(self._wall_clock()) or 0.0
            used = self.requests_per_minute - rate_limit.remaining
            self._server_used = (used, now, now + until_reset)

    def hold(self, seconds: float, now: float | None = None) -> None:
        """Poll nothing for `seconds` (after a 429, with its Retry-After)."""
        self._hold_until = max(self._hold_until, self._now(now) + max(seconds, 0.0))

    def _budget_frees_at(self, now: float) -> float:
        """When the request budget grows again: the oldest counted request leaves the window."""
        moments = [self._requests[0] + WINDOW_SECONDS] if self._requests else []
        if self._server_used is not None:
            moments.append(self._server_used[2])
        return min(moments, default=now + MIN_DELAY)

    def _poll_reserve(self) -> int:
        return min(self.reserve, self.requests_per_minute - 1)

    # Submissions waiting for a concurrency slot

    def enqueue(
        self,
        label: str,
        submit: Callable[[], Task],
        *,
        model: str = "suno",
        now: float | None = None,
        **context: Any,
    ) -> QueuedSubmission:
        """Queue a submission; it runs when a slot is free (see ready_submissions)."""
        queued = QueuedSubmission(next(self._queue_ids), label, submit, model, self._now(now), context)
        self._queue.append(queued)
        return queued

    def has_free_slot(self) -> bool:
        """True when a new submission may start at once: a concurrency slot is free and nothing is queued ahead."""
        return not self._queue and len(self._tasks) < self.max_concurrent

    def ready_submissions(self, now: float | None = None) -> list[QueuedSubmission]:
        """Take the queued submissions that may run now, oldest first: as many as free slots and budget allow.

        They are counted as requests and leave the queue; the caller runs each `submit()` and then `track()`s
        the task, or `requeue()`s it when the server still says the concurrent-task limit is reached.
        """
        now = self._now(now)
        if now < self._hold_until:
            return []
        slots = self.max_concurrent - len(self._tasks)
        taken = []
        while self._queue and len(taken) < slots and self.budget_left(now) > 0:
            taken.append(self._queue.popleft())
            self.note_request(now)
        return taken

    def requeue(self, submission: QueuedSubmission) -> None:
        """Put a submission back at the front of the queue."""
        self._queue.appendleft(submission)

    def cancel(self, submission_id: int) -> bool:
        before = len(self._queue)
        self._queue = deque(s for s in self._queue if s.id != submission_id)
        return len(self._queue) < before

    @property
    def queued(self) -> list[QueuedSubmission]:
        return list(self._queue)

    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now
