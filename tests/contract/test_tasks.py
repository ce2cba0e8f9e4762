"""Task life: pending and processing states, concurrency caps per tier, refunds, restarts."""

from __future__ import annotations

import shutil
import time

import pytest
from contract_support import SONG_SECONDS, quick_client, wav_bytes

from lib.errors import ConcurrencyLimitError, TaskFailedError


def poll_until(client, task_id, model, statuses, limit=60.0):
    """Poll get-music until the task is in one of `statuses` (bounded by `limit` seconds)."""
    deadline = time.monotonic() + limit
    while True:
        task = client.resource(model).get_music(task_id)
        if task.status in statuses or time.monotonic() > deadline:
            return task
        time.sleep(0.1)


def test_processing_and_pending_tasks_report_progress_and_estimates(dedicated):
    server = dedicated(task_delay_seconds=60, workers=2)
    client = quick_client(server, server.create_key("pro"))
    tasks = [client.suno.create_music(description="lofi hip hop", duration=SONG_SECONDS) for _ in range(3)]
    running = poll_until(client, tasks[0].task_id, "suno", {"processing"})
    assert running.status == "processing"
    assert 0 <= running.progress <= 95
    assert running.estimated_remaining >= 1
    waiting = client.suno.get_music(tasks[2].task_id)
    assert waiting.status == "pending"
    assert waiting.estimated_time >= 60
    assert waiting.created_at


def test_estimated_time_grows_with_the_requested_duration(dedicated):
    server = dedicated(task_delay_seconds=60, workers=2)
    client = quick_client(server, server.create_key("pro"))
    long = client.suno.create_music(description="a long ambient drone", duration=240)
    short = client.suno.create_music(description="a short ambient drone", duration=10)
    assert long.estimated_time > short.estimated_time >= 60


@pytest.mark.parametrize(("tier", "cap"), [("free", 2), ("starter", 5)])
def test_concurrent_task_cap_per_tier_charges_nothing_over_it(dedicated, tier, cap):
    server = dedicated(task_delay_seconds=60)
    client = quick_client(server, server.create_key(tier, credits=1000))
    for _ in range(cap):
        client.suno.create_music(description="a short jingle", duration=SONG_SECONDS)
    with pytest.raises(ConcurrencyLimitError) as err:
        client.suno.create_music(description="one too many", duration=SONG_SECONDS)
    assert err.value.status == 429 and err.value.code == "concurrent_task_limit"
    assert err.value.details["limit"] == cap
    assert client.get_credits().used == 10 * cap


def test_a_task_that_fails_is_refunded(dedicated):
    server = dedicated()
    key = server.create_key("pro", credits=20)  # exactly one stems-basic
    client = quick_client(server, key)
    upload = client.suno.upload_music(wav_bytes(2), "tone.wav")
    shutil.rmtree(server.data_dir / "files")  # the stored audio is lost: the task cannot be made
    (server.data_dir / "files").mkdir()
    task = client.suno.stems_basic(song_id=upload.audio_id)
    with pytest.raises(TaskFailedError):
        client.wait_for_task(task.task_id, "suno", timeout=60)
    failed = client.suno.get_music(task.task_id)
    assert failed.status == "failed" and failed.error.code and failed.error.message
    assert client.get_credits().available == 20
    assert [e["amount"] for e in server.runtime.store.ledger(key)] == [20, -20]


def test_a_restart_reruns_the_task_that_was_running_and_charges_once(dedicated, tmp_path):
    first = dedicated(tmp_path / "state", task_delay_seconds=60)
    key = first.create_key("pro", credits=100)
    client = quick_client(first, key)
    task = client.suno.create_music(description="a calm ambient piece", duration=SONG_SECONDS)
    assert poll_until(client, task.task_id, "suno", {"processing"}).status == "processing"
    first.stop()

    second = dedicated(tmp_path / "state")
    client = quick_client(second, key)
    done = client.wait_for_task(task.task_id, "suno", timeout=120)
    assert done.status == "completed" and done.clips
    assert client.get_credits().used == 10
    assert client.download(done.clips[0].audio_url)


def test_a_task_interrupted_too_often_is_failed_and_refunded_on_start(dedicated, tmp_path):
    first = dedicated(tmp_path / "state", task_delay_seconds=60)
    key = first.create_key("pro", credits=100)
    client = quick_client(first, key)
    task = client.suno.create_music(description="a calm ambient piece", duration=SONG_SECONDS)
    assert poll_until(client, task.task_id, "suno", {"processing"}).status == "processing"
    first.stop()

    second = dedicated(tmp_path / "state", max_task_attempts=1)
    client = quick_client(second, key)
    failed = client.suno.get_music(task.task_id)
    assert failed.status == "failed"
    assert failed.error.code == "generation_failed" and "refunded" in failed.error.message
    assert client.get_credits().used == 0


def test_clips_and_links_survive_a_restart(dedicated, tmp_path):
    first = dedicated(tmp_path / "state")
    key = first.create_key("pro", credits=100)
    client = quick_client(first, key)
    done = client.wait_for_task(
        client.suno.create_music(description="folk song", duration=SONG_SECONDS).task_id, "suno", timeout=120
    )
    old_link = done.clips[0].audio_url
    first.stop()

    second = dedicated(tmp_path / "state")
    client = quick_client(second, key)
    again = client.suno.get_music(done.task_id)
    assert again.clips[0].id == done.clips[0].id
    assert client.download(again.clips[0].audio_url) == client.download(
        old_link.replace(first.base_url, second.base_url)
    )
    assert client.get_credits().used == 10
