"""The poll schedule and request budget, driven by a settable clock and answers parsed from server-shaped JSON.

The budget is checked against the emulator's own rate limiter: every request the app would make is counted by
the same fixed-window limiter the server uses, and none may be refused.
"""

import pytest
from appdata_helpers import clip_json, completed_json, pending_json, processing_json, task

from emulator.ratelimit import RateLimiter
from lib.models import RateLimit
from lib.tasks import MAX_DELAY, MIN_DELAY, TaskTracker, poll_delay, tier_limits


@pytest.mark.parametrize(
    ("tier", "limits"),
    [("free", (10, 2)), ("Starter", (30, 5)), ("pro", (60, 10)), ("custom", (600, 50)), ("enterprise", (600, 50)),
     ("platinum", (10, 2)), (None, (10, 2))],
)  # fmt: skip
def test_tier_limits_follow_the_reference_and_guess_safe(tier, limits):
    assert tier_limits(tier) == limits


@pytest.mark.parametrize(
    ("hint", "misses", "delay"),
    [
        (20, 0, 20),  # the server's estimate, as given
        (0.5, 0, MIN_DELAY),  # never closer than the floor
        (500, 0, MAX_DELAY),  # never further than the cap, so progress shows
        (None, 0, 10),  # no estimate: a default
        (1, 1, 2.0),  # estimate missed once: floor
        (1, 2, 3.0),  # then backing off by 1.5
        (1, 3, 4.5),
        (1, 20, MAX_DELAY),
        (-40, 4, 6.75),  # an estimate already overdue backs off too
    ],
)
def test_poll_delay(hint, misses, delay):
    assert poll_delay(hint, misses) == pytest.approx(delay)


def test_nothing_is_due_and_polling_stops_when_nothing_is_pending():
    tracker = TaskTracker(10, 2, clock=lambda: 0.0)
    assert tracker.due(100.0) == []
    assert tracker.next_delay(100.0) is None
    assert tracker.pending == []


def test_polls_are_spaced_by_the_servers_estimates():
    tracker = TaskTracker(60, 10, clock=lambda: 0.0)
    tracker.track("task_a", "producer", "song", estimated_time=40, now=0.0)  # first poll halfway
    assert (tracker.model_of("task_a"), tracker.label_of("task_a")) == ("producer", "song")
    assert tracker.next_delay(0.0) == 20
    assert tracker.due(19.9) == []
    assert tracker.due(20.0) == ["task_a"]
    assert tracker.due(20.5) == []  # in flight: not handed out twice
    assert tracker.update(task(processing_json("task_a", 70, 6)), now=20.5) is False
    assert tracker.pending[0].progress == 70
    assert tracker.next_delay(20.5) == pytest.approx(6)
    assert tracker.due(26.5) == ["task_a"]
    assert tracker.update(task(processing_json("task_a", 99, 1)), now=26.5) is False
    assert tracker.next_delay(26.5) == pytest.approx(3.0)  # estimate missed twice: backing off
    assert tracker.due(29.5) == ["task_a"]
    done = task(completed_json("task_a", [clip_json("clip_a")]))
    assert tracker.update(done, now=29.5) is True
    assert tracker.pending == [] and tracker.next_delay(29.5) is None


def test_a_pending_answer_counts_down_from_its_estimated_time():
    tracker = TaskTracker(60, 10, clock=lambda: 0.0)
    tracker.track("task_a", "nuro", estimated_time=30, now=0.0)
    tracker.due(30.0)
    tracker.update(task(pending_json("task_a", estimated_time=45)), now=30.0)
    assert tracker.next_delay(30.0) == pytest.approx(15)


def test_without_estimated_remaining_the_progress_tells_what_is_left():
    tracker = TaskTracker(60, 10, clock=lambda: 0.0)
    tracker.track("task_a", "suno", estimated_time=40, now=0.0)
    tracker.due(20.0)
    tracker.update(task({"task_id": "task_a", "status": "processing", "progress": 80}), now=20.0)
    assert tracker.next_delay(20.0) == pytest.approx(5.0)  # 80 % in 20 s: 5 s to go


def test_a_task_resumed_without_an_estimate_is_looked_at_soon():
    tracker = TaskTracker(60, 10, clock=lambda: 0.0)
    tracker.track("task_a", "suno", "after a reload", None, now=0.0)
    assert tracker.next_delay(0.0) == MIN_DELAY


def test_failed_polls_back_off_and_forgotten_tasks_stop():
    tracker = TaskTracker(60, 10, clock=lambda: 0.0)
    tracker.track("task_a", "suno", estimated_time=2, now=0.0)
    delays = []
    now = 2.0
    for _ in range(5):
        assert tracker.due(now) == ["task_a"]
        tracker.poll_failed("task_a", now)
        delays.append(tracker.next_delay(now))
        now += delays[-1]
    assert delays == pytest.approx([10, 10, 10, 10, 10.125])  # no estimate: the default, then backing off
    tracker.forget("task_a")
    assert tracker.next_delay(now) is None


def test_polls_leave_the_reserve_and_wait_for_the_window():
    tracker = TaskTracker(10, 10, clock=lambda: 0.0)
    for i in range(10):
        tracker.track(f"task_{i}", "suno", estimated_time=5, now=0.0)
    assert len(tracker.due(5.0)) == 8  # 10 per minute, 2 kept for the person's own requests
    assert tracker.budget_left(5.0) == 2
    assert tracker.due(10.0) == []
    assert tracker.next_delay(10.0) == pytest.approx(5.0 + 61 - 10.0)
    assert len(tracker.due(66.0)) == 8


def test_the_servers_counters_and_a_429_hold_polls_back():
    wall = [1_000_000.0]
    tracker = TaskTracker(10, 2, clock=lambda: 0.0, wall_clock=lambda: wall[0])
    tracker.track("task_a", "suno", estimated_time=2, now=0.0)
    tracker.track("task_b", "suno", estimated_time=2, now=0.0)
    tracker.observe_rate_limit(
        RateLimit(limit=10, remaining=3, reset=1_000_030), now=0.0
    )  # another tab spent 7
    assert tracker.due(2.0) == ["task_a"]
    tracker.update(task(processing_json("task_a", 50, 60)), now=2.0)
    assert tracker.due(2.5) == []
    assert tracker.due(30.0) == ["task_b"]  # the server's window has started over

    tracker.hold(20, now=30.0)
    assert tracker.due(40.0) == []
    assert tracker.next_delay(40.0) == pytest.approx(10.0)


def test_a_new_limit_from_the_headers_is_adopted():
    tracker = TaskTracker(10, 2, clock=lambda: 0.0)
    tracker.observe_rate_limit(RateLimit(limit=60, remaining=None, reset=None), now=0.0)
    assert tracker.budget_left(0.0) == 60


def test_queued_submissions_wait_for_a_concurrency_slot():
    tracker = TaskTracker(10, 2, clock=lambda: 0.0)
    tracker.track("task_running", "suno", estimated_time=10, now=0.0)
    assert tracker.has_free_slot()
    for name in ("one", "two", "three"):
        tracker.enqueue(
            name, lambda: task(pending_json("task_x")), model="suno", now=0.0, call="suno.create_music"
        )
    [first] = tracker.ready_submissions(0.0)
    assert (first.label, str(first), first.context) == ("one", "one", {"call": "suno.create_music"})
    assert not tracker.has_free_slot()  # two still queued ahead of a new one
    assert first.submit().task_id == "task_x"
    tracker.track("task_one", first.model, first.label, 10, now=0.0)
    assert tracker.ready_submissions(0.0) == []
    assert [q.label for q in tracker.queued] == ["two", "three"]
    assert tracker.next_delay(0.0) == pytest.approx(5)  # nothing to do until a running task is polled

    tracker.due(10.0)
    tracker.update(task(completed_json("task_running", [clip_json("clip_r")])), now=10.0)
    assert tracker.next_delay(10.0) == 0.0
    [second] = tracker.ready_submissions(10.0)
    tracker.requeue(second)  # the server still said the concurrent-task limit is reached
    assert [q.label for q in tracker.queued] == ["two", "three"]
    assert tracker.cancel(second.id) and [q.label for q in tracker.queued] == ["three"]


def test_queued_submissions_wait_for_the_budget_too():
    tracker = TaskTracker(10, 5, clock=lambda: 0.0)
    for _ in range(10):
        tracker.note_request(0.0)
    tracker.enqueue("later", lambda: task(pending_json("task_x")), now=0.0)
    assert tracker.ready_submissions(1.0) == []
    assert tracker.next_delay(1.0) == pytest.approx(60.0)
    assert [q.label for q in tracker.ready_submissions(61.0)] == ["later"]


def answer_for(task_id: str, elapsed: float, length: float, lying: bool):
    """What the server says: processing with an honest remaining time, or one that always says 1 s."""
    if elapsed >= length:
        return task(completed_json(task_id, [clip_json(f"clip_{task_id}")]))
    remaining = 1 if lying else length - elapsed
    return task(processing_json(task_id, int(100 * elapsed / length), remaining))


@pytest.mark.parametrize(("tier", "running"), [("free", 2), ("starter", 5), ("pro", 10)])
@pytest.mark.parametrize("lying", [False, True])
def test_a_busy_session_never_goes_over_the_servers_limit(tier, running, lying):
    """Tasks kept running for ten minutes, a credits check every 30 s and a submission every minute
    (made without asking the tracker): the emulator's limiter never refuses one of them."""
    limit, concurrent = tier_limits(tier)
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0])
    tracker = TaskTracker(limit, concurrent, clock=lambda: clock[0])
    started = {}
    refused = []

    def request(kind):
        if not limiter.hit("key", limit).allowed:
            refused.append((clock[0], kind))

    for step in range(0, 600 * 4):
        now = clock[0] = step / 4
        if len(tracker.pending) < running:
            task_id = f"task_{step}"
            tracker.note_request(now)
            request("submission")
            tracker.track(task_id, "suno", estimated_time=5, now=now)
            started[task_id] = now
        if step % 120 == 0:
            tracker.note_request(now)
            request("credits")
        for task_id in tracker.due(now):
            request("poll")
            tracker.update(answer_for(task_id, now - started[task_id], 90, lying), now)
    assert refused == []
    assert len(started) > running  # tasks did finish and new ones started
