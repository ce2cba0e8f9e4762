"""The data layer on the real built-in server: tasks tracked by the TaskTracker through the real client,
recorded in the library, their real audio cached and decoded. Free tier, two tasks at once: never a 429."""

import time

import pytest

from lib.audio import duration_seconds, sniff_audio
from lib.store import Library
from lib.tasks import TaskTracker, tier_limits
from lib.workspace import owner_id

SONG_SECONDS = 10
DEADLINE_SECONDS = 240


@pytest.fixture
def free_client(make_key, client_for):
    key = make_key(tier="free", credits=200)
    return key, client_for(key)


def test_two_tracked_tasks_end_in_the_library_with_cached_audio(free_client, tmp_path):
    key, client = free_client
    owner = owner_id(key)
    library = Library(tmp_path / "library.db", tmp_path / "audio")
    tracker = TaskTracker(*tier_limits(client.get_credits().tier))
    tracker.note_request()

    submissions = [
        ("suno", "suno.create_music", {"description": "calm lo-fi piano", "duration": SONG_SECONDS},
         lambda p: client.suno.create_music(**p)),
        ("nuro", "nuro.create_instrumental_music", {"prompt": "bright folk guitar", "duration": SONG_SECONDS},
         lambda p: client.nuro.create_instrumental_music(**p)),
    ]  # fmt: skip
    for model, call, params, start in submissions:
        task = start(params)
        tracker.note_request()
        library.record_submission(owner, task, model=model, call=call, params=params)
        tracker.track(task.task_id, model, call, task.estimated_time)
    assert [t.model for t in library.pending_tasks(owner)] == ["suno", "nuro"]

    finished, deadline = [], time.monotonic() + DEADLINE_SECONDS
    while (delay := tracker.next_delay()) is not None:
        assert time.monotonic() < deadline, "the tasks did not finish in time"
        time.sleep(delay)
        for task_id in tracker.due():
            task = client.resource(tracker.model_of(task_id)).get_music(task_id)  # a 429 would raise here
            tracker.observe_rate_limit(client.rate_limit)
            tracker.update(task)
            for clip in library.record_update(owner, task):
                library.cache_audio(owner, clip.clip_id, client.download)
            if task.is_done:
                finished.append(task)

    assert [t.status for t in finished] == ["completed", "completed"]
    assert library.pending_tasks(owner) == []
    frame = library.clips_frame(owner)
    assert set(frame["model"]) == {"suno", "nuro"} and frame["cached"].all()
    for clip_id in frame["clip_id"]:
        clip = library.clip(owner, clip_id)
        data = clip.audio_path.read_bytes()
        assert duration_seconds(data, sniff_audio(data)) == pytest.approx(SONG_SECONDS, abs=0.5)
        # Played from the cache from now on: the link is not needed again.
        assert (
            library.cache_audio(owner, clip_id, lambda url: pytest.fail("fetched twice")) == clip.audio_path
        )
