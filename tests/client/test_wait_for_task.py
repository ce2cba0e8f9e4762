"""wait_for_task: polls on a schedule taken from the server's estimates, reports progress, stops at a
deadline. The clock and the sleep are injected, so no test waits."""

from __future__ import annotations

import pytest

from lib.client import AIMusicClient, RetryConfig, next_poll_delay
from lib.errors import APITimeoutError, TaskFailedError
from lib.models import Task
from tests.client.conftest import API_KEY, BASE_URL


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def timed_client(mocked, fake_time) -> AIMusicClient:
    return AIMusicClient(
        API_KEY,
        base_url=BASE_URL,
        retry=RetryConfig(max_retries=1),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def _answers(mocked, model: str, *answers: dict) -> None:
    for answer in answers:
        status = answer.pop("_status", 200)
        headers = answer.pop("_headers", {})
        mocked.add("GET", f"{BASE_URL}/v1/{model}/get-music", json=answer, status=status, headers=headers)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": "pending", "estimated_time": 120}, 15.0),
        ({"status": "pending", "estimated_time": 20}, 5.0),
        ({"status": "pending", "estimated_time": 2}, 1.0),
        ({"status": "processing", "estimated_time": 120, "estimated_remaining": 8}, 2.0),
        ({"status": "processing", "progress": 50}, 2.0),
    ],
)
def test_poll_delay_follows_the_server_estimate(answer, expected):
    assert next_poll_delay(Task.from_dict({"task_id": "t", **answer})) == expected


def test_waits_until_completed_and_reports_progress(timed_client, mocked, fake_time):
    _answers(
        mocked,
        "suno",
        {"task_id": "task_1", "status": "pending", "estimated_time": 40},
        {"task_id": "task_1", "status": "processing", "progress": 60, "estimated_remaining": 12},
        {
            "task_id": "task_1",
            "status": "completed",
            "clips": [{"id": "clip_1", "audio_url": "https://x/1.mp3"}],
        },
    )
    seen: list[tuple[str, int | None]] = []
    task = timed_client.wait_for_task("task_1", on_progress=lambda t: seen.append((t.status, t.progress)))
    assert task.clips[0].id == "clip_1"
    assert seen == [("pending", None), ("processing", 60), ("completed", None)]
    assert fake_time.sleeps == [10.0, 3.0]
    assert all(call.request.url.endswith("task_id=task_1") for call in mocked.calls)


def test_polls_the_model_named(timed_client, mocked):
    _answers(mocked, "nuro", {"task_id": "task_n", "status": "completed", "audio_url": "https://x/n.mp3"})
    task = timed_client.wait_for_task("task_n", model="nuro")
    assert [clip.id for clip in task.clips] == ["task_n"]
    assert mocked.calls[0].request.url.startswith(f"{BASE_URL}/v1/nuro/get-music")


def test_a_failed_task_raises_with_its_reason(timed_client, mocked):
    _answers(
        mocked,
        "producer",
        {
            "task_id": "task_f",
            "status": "failed",
            "error": {"code": "generation_failed", "message": "No sound came out"},
        },
    )
    with pytest.raises(TaskFailedError, match="No sound came out") as caught:
        timed_client.wait_for_task("task_f", model="producer")
    assert caught.value.code == "generation_failed" and caught.value.task.task_id == "task_f"


def test_gives_up_at_the_deadline_without_sleeping_past_it(timed_client, mocked, fake_time):
    _answers(mocked, "suno", {"task_id": "task_s", "status": "pending", "estimated_time": 40})
    with pytest.raises(APITimeoutError, match="did not finish within 25 seconds"):
        timed_client.wait_for_task("task_s", timeout=25)
    assert fake_time.sleeps == [10.0, 10.0, 5.0]
    assert len(mocked.calls) == 4


def test_a_rate_limit_answer_waits_as_long_as_the_server_asks(timed_client, mocked, fake_time):
    _answers(
        mocked,
        "suno",
        {
            "_status": 429,
            "_headers": {"Retry-After": "45"},
            "error": {"code": "rate_limit_exceeded", "details": {"retry_after": 45}},
        },
        {"task_id": "task_r", "status": "completed"},
    )
    assert timed_client.wait_for_task("task_r").status == "completed"
    assert fake_time.sleeps == [45.0]
