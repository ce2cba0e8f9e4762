"""The library: real SQLite in a tmp dir, tasks parsed by lib.models from JSON shaped like the server's."""

import io
import threading
import zipfile
from datetime import UTC, date, datetime

import pytest
from appdata_helpers import (
    clip_json,
    completed_json,
    failed_json,
    new_task_id,
    pending_json,
    processing_json,
    task,
)

from lib.store import FRAME_COLUMNS, Library

PARAMS = {"description": "Upbeat synthwave about neon nights", "duration": 30, "voice_gender": "female"}


def submit(library, owner, *, params=PARAMS, call="suno.create_music", model="suno", label=""):
    task_id = new_task_id()
    library.record_submission(
        owner, task(pending_json(task_id)), model=model, call=call, params=params, label=label
    )
    return task_id


def complete(library, owner, task_id, *titles):
    clips = [clip_json(f"clip_{task_id[5:]}{i}", title) for i, title in enumerate(titles or ("Neon Nights",))]
    return library.record_update(owner, task(completed_json(task_id, clips)))


def test_a_submission_is_pending_with_its_params_and_a_label_from_the_prompt(library, owner):
    task_id = submit(library, owner)
    [pending] = library.pending_tasks(owner)
    assert (pending.task_id, pending.status, pending.call, pending.model) == (
        task_id,
        "pending",
        "suno.create_music",
        "suno",
    )
    assert pending.label == PARAMS["description"]
    assert library.task_params(owner, task_id) == PARAMS


def test_progress_is_stored_and_completion_returns_each_new_clip_once(library, owner):
    task_id = submit(library, owner)
    assert library.record_update(owner, task(processing_json(task_id, 40, 12))) == []
    assert library.task(owner, task_id).progress == 40

    new = complete(library, owner, task_id, "One", "Two")
    assert [c.title for c in new] == ["One", "Two"]
    assert new[0].prompt == PARAMS["description"] and new[0].model == "suno" and new[0].duration == 30.0
    assert new[0].metadata["voice_gender"] == "female"
    assert complete(library, owner, task_id, "One", "Two") == []
    assert library.pending_tasks(owner) == []


def test_a_failed_task_keeps_its_error_and_shows_in_the_table(library, owner):
    task_id = submit(library, owner)
    assert library.record_update(owner, task(failed_json(task_id))) == []
    record = library.task(owner, task_id)
    assert record.error["code"] == "generation_failed"
    assert record.error_message == "The engine could not render this song."
    frame = library.clips_frame(owner, statuses=["failed"])
    assert list(frame["task_id"]) == [task_id]
    assert frame.loc[0, "error"] == record.error_message


def test_a_producer_answer_without_a_clips_list_still_gives_a_clip(library, owner):
    task_id = submit(library, owner, call="producer.create_music", model="producer")
    answer = {"task_id": task_id, "status": "completed", "audio_url": "http://127.0.0.1:9/a.mp3",
              "video_url": None, "metadata": {"duration": 60, "operation": "create", "model": "FUZZ-2.0"}}  # fmt: skip
    [clip] = library.record_update(owner, task(answer))
    assert clip.model == "producer" and clip.duration == 60.0 and clip.audio_url.endswith("a.mp3")


def test_an_update_for_a_task_never_submitted_here_is_still_recorded(library, owner):
    task_id = new_task_id()
    [clip] = library.record_update(
        owner, task(completed_json(task_id, [clip_json("clip_stray", model="nuro")]))
    )
    assert clip.model == "nuro"
    assert library.task(owner, task_id).status == "completed"


def test_the_table_has_clips_and_unfinished_tasks_newest_first(library, owner, clock):
    done = submit(library, owner)
    complete(library, owner, done, "Finished song")
    clock.advance(60)
    running = submit(library, owner, params={"description": "slow jazz"})
    frame = library.clips_frame(owner)
    assert list(frame["task_id"]) == [running, done]
    assert list(frame["status"]) == ["pending", "completed"]
    assert frame.loc[1, "title"] == "Finished song" and not frame.loc[1, "cached"]
    assert frame["created_at"].dt.tz is not None


@pytest.mark.parametrize(
    ("filters", "expected_titles"),
    [
        ({}, {"Rain song", "Sun song", "Jazz night"}),
        ({"text": "RAIN"}, {"Rain song"}),
        ({"text": "synthwave"}, {"Rain song", "Sun song"}),  # matches the prompt, not the title
        ({"text": "100%"}, set()),  # LIKE wildcards are literal
        ({"text": "a_b"}, set()),
        ({"models": ["nuro"]}, {"Jazz night"}),
        ({"models": ["suno", "nuro"]}, {"Rain song", "Sun song", "Jazz night"}),
        ({"statuses": ["completed"], "models": ["suno"]}, {"Rain song", "Sun song"}),
        ({"statuses": ["failed"]}, set()),
        ({"since": datetime.fromtimestamp(1_767_600_000 + 30, tz=UTC)}, {"Sun song", "Jazz night"}),
        ({"since": 1_767_600_000 + 90.0}, {"Jazz night"}),
        (
            {"since": date(2026, 1, 5)},
            {"Rain song", "Sun song", "Jazz night"},
        ),  # the clock starts 2026-01-05 08:00
        ({"since": date(2026, 1, 6)}, set()),
    ],
)
def test_clips_frame_filters(library, owner, clock, filters, expected_titles):
    complete(library, owner, submit(library, owner), "Rain song")
    clock.advance(60)
    complete(library, owner, submit(library, owner), "Sun song")
    clock.advance(60)
    jazz = submit(
        library, owner, params={"prompt": "late night jazz trio"}, model="nuro", call="nuro.create_vocal"
    )
    complete(library, owner, jazz, "Jazz night")
    assert set(library.clips_frame(owner, **filters)["title"]) == expected_titles


def test_an_empty_library_gives_an_empty_table_with_its_columns(library, owner):
    frame = library.clips_frame(owner)
    assert frame.empty and list(frame.columns) == list(FRAME_COLUMNS)


def test_an_owner_never_sees_or_touches_another_owners_library(library, owner, other_owner):
    task_id = submit(library, owner)
    [clip] = complete(library, owner, task_id)
    assert library.clips_frame(other_owner).empty
    assert library.clip(other_owner, clip.clip_id) is None
    assert library.task_params(other_owner, task_id) is None
    assert library.pending_tasks(other_owner) == []
    assert library.results_for(other_owner, "suno") == []
    assert library.delete_clip(other_owner, clip.clip_id) is False
    with pytest.raises(ValueError, match="no clip"):
        library.cache_audio(other_owner, clip.clip_id, lambda url: b"x")
    assert library.clip(owner, clip.clip_id) is not None


def test_an_owner_must_be_a_hash_not_a_raw_key(library):
    with pytest.raises(ValueError, match="owner_id"):
        submit(library, "sk_live_raw_key")


class Fetcher:
    def __init__(self, data: bytes = b"ID3" + b"\x00" * 1000):
        self.data, self.urls = data, []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.data


def test_audio_is_fetched_once_written_atomically_and_survives_a_restart(library, owner, tmp_path):
    [clip] = complete(library, owner, submit(library, owner))
    fetch = Fetcher()
    path = library.cache_audio(owner, clip.clip_id, fetch)
    assert path == tmp_path / "audio" / owner / f"{clip.clip_id}.mp3"
    assert path.read_bytes() == fetch.data
    assert fetch.urls == [clip.audio_url]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind

    reopened = Library(tmp_path / "library.db", tmp_path / "audio")
    assert reopened.cache_audio(owner, clip.clip_id, fetch) == path
    assert len(fetch.urls) == 1
    assert reopened.clip(owner, clip.clip_id).cached
    assert bool(reopened.clips_frame(owner).loc[0, "cached"])


def test_a_failed_download_leaves_nothing_behind(library, owner, tmp_path):
    [clip] = complete(library, owner, submit(library, owner))

    def expired(url):
        raise ConnectionError("link expired")

    with pytest.raises(ConnectionError):
        library.cache_audio(owner, clip.clip_id, expired)
    assert not library.clip(owner, clip.clip_id).cached
    assert not (tmp_path / "audio" / owner).exists() or not any((tmp_path / "audio" / owner).iterdir())


def test_the_cache_refuses_files_over_the_per_file_and_total_caps(tmp_path, owner, clock):
    library = Library(
        tmp_path / "l.db", tmp_path / "audio", max_file_bytes=1500, max_cache_bytes=2500, clock=clock
    )
    first, second, third = (complete(library, owner, submit(library, owner))[0] for _ in range(3))
    with pytest.raises(ValueError, match="limit of 0.0 MB per file"):
        library.cache_audio(owner, first.clip_id, Fetcher(b"x" * 1501))
    library.cache_audio(owner, first.clip_id, Fetcher(b"x" * 1200))
    library.cache_audio(owner, second.clip_id, Fetcher(b"x" * 1200))
    with pytest.raises(ValueError, match="cache is full"):
        library.cache_audio(owner, third.clip_id, Fetcher(b"x" * 1200))
    assert not library.clip(owner, third.clip_id).cached
    library.delete_clip(owner, first.clip_id)
    assert library.cache_audio(owner, third.clip_id, Fetcher(b"x" * 1200)).is_file()


def test_delete_removes_the_row_and_the_cached_file(library, owner):
    [clip] = complete(library, owner, submit(library, owner))
    path = library.cache_audio(owner, clip.clip_id, Fetcher())
    assert library.delete_clip(owner, clip.clip_id) is True
    assert library.clip(owner, clip.clip_id) is None
    assert not path.exists()
    assert library.clips_frame(owner).empty


def test_exports_are_kept_beside_the_clip_and_deleted_with_it(library, owner, other_owner):
    [clip] = complete(library, owner, submit(library, owner))
    wav = library.save_export(owner, clip.clip_id, "wav", b"RIFF-wav")
    midi = library.save_export(owner, clip.clip_id, "mid", b"MThd-midi")
    assert wav.read_bytes() == b"RIFF-wav" and midi.read_bytes() == b"MThd-midi"
    assert library.export_path(owner, clip.clip_id, "wav") == wav
    assert not library.export_path(other_owner, clip.clip_id, "wav").exists()
    assert not list(wav.parent.glob("*.part"))
    library.delete_clip(owner, clip.clip_id)
    assert not wav.exists() and not midi.exists()


@pytest.mark.parametrize(("ext", "clip_id"), [("exe", "clip_1"), ("wav", "../escape")])
def test_an_export_outside_what_the_library_keeps_is_refused(library, owner, ext, clip_id):
    with pytest.raises(ValueError):
        library.save_export(owner, clip_id, ext, b"data")


def test_zip_names_files_after_titles_and_fetches_what_is_not_cached(library, owner):
    clips = complete(library, owner, submit(library, owner), "Same/Title", "Same/Title")
    without = zipfile.ZipFile(io.BytesIO(library.zip_clips(owner, [c.clip_id for c in clips])))
    assert without.namelist() == ["MISSING.txt"]  # nothing is left out silently
    assert without.read("MISSING.txt").decode().count("not downloaded yet") == 2
    fetch = Fetcher(b"ID3 song bytes")
    archive = zipfile.ZipFile(io.BytesIO(library.zip_clips(owner, [c.clip_id for c in clips], fetch)))
    assert archive.namelist() == ["Same_Title.mp3", "Same_Title (2).mp3"]
    assert archive.read("Same_Title (2).mp3") == b"ID3 song bytes"


def test_a_zip_names_each_song_it_could_not_get_and_keeps_the_others(library, owner):
    good, bad = complete(library, owner, submit(library, owner), "Kept", "Link gone")

    def cache_clip(clip_id):
        if clip_id == bad.clip_id:
            raise ValueError("the server no longer has its audio")
        return library.cache_audio(owner, clip_id, Fetcher(b"ID3 kept"))

    archive = zipfile.ZipFile(io.BytesIO(library.zip_clips(owner, [good.clip_id, bad.clip_id, "clip_nope"],
                                                           cache_clip=cache_clip)))  # fmt: skip
    assert archive.namelist() == ["Kept.mp3", "MISSING.txt"]
    note = archive.read("MISSING.txt").decode()
    assert "Link gone" in note and "no longer has its audio" in note and "clip_nope" in note


def test_a_repeated_completion_keeps_the_freshest_links(library, owner):
    task_id = submit(library, owner)
    (clip,) = complete(library, owner, task_id)
    fresh = clip_json(clip.clip_id)
    fresh["audio_url"] = fresh["audio_url"].replace("sig=abc", "sig=fresh")
    assert library.record_update(owner, task(completed_json(task_id, [fresh]))) == []  # not new
    assert library.clip(owner, clip.clip_id).audio_url.endswith("sig=fresh")


def test_an_expired_clip_says_so_and_is_not_fetched_again(library, owner):
    (first, second) = complete(library, owner, submit(library, owner), "Gone", "Still here")
    assert [c.clip_id for c in library.uncached_clips(owner)] == [first.clip_id, second.clip_id]
    library.mark_expired(owner, first.clip_id)
    assert library.clip(owner, first.clip_id).expired
    assert [c.clip_id for c in library.uncached_clips(owner)] == [second.clip_id]
    frame = library.clips_frame(owner)
    assert dict(zip(frame["title"], frame["status"], strict=True)) == {
        "Gone": "expired",
        "Still here": "completed",
    }


def test_results_for_lists_a_pages_finished_tasks_newest_first(library, owner, clock):
    stems = submit(library, owner, call="suno.stems_basic", params={"song_id": "clip_1"})
    library.record_update(owner, task({"task_id": stems, "status": "completed", "vocals_url": "http://v",
                                       "instrumental_url": "http://i"}))  # fmt: skip
    clock.advance(5)
    failed = submit(library, owner, call="suno.stems_full", params={"song_id": "clip_1"})
    library.record_update(owner, task(failed_json(failed)))
    submit(library, owner, call="suno.stems_full", params={"song_id": "clip_2"})  # still pending
    complete(library, owner, submit(library, owner))  # another page's task
    results = library.results_for(owner, "suno.stems")
    assert [r.task_id for r in results] == [failed, stems]
    assert results[1].result["vocals_url"] == "http://v"
    assert library.results_for(owner, "suno_") == []


def test_concurrent_updates_from_threads_all_land(library, owner):
    task_ids = [submit(library, owner) for _ in range(8)]
    threads = [threading.Thread(target=complete, args=(library, owner, t)) for t in task_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(library.clips_frame(owner, statuses=["completed"])) == 8


def test_a_big_library_comes_back_whole_from_one_query(library, owner):
    for _ in range(100):
        complete(library, owner, submit(library, owner), "a", "b", "c", "d", "e")
    frame = library.clips_frame(owner)
    assert len(frame) == 500 and frame["clip_id"].is_unique
    assert frame["duration"].dtype == float


def test_default_paths_follow_the_data_dir_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("AIMUSIC_DATA_DIR", str(tmp_path / "elsewhere"))
    library = Library.default()
    assert library.db_path == tmp_path / "elsewhere" / "library.db"
    assert library.audio_dir.is_dir()


def test_a_library_from_before_expiry_marks_opens_and_gains_them(tmp_path, owner):
    old = Library(tmp_path / "old.db", tmp_path / "audio")
    (clip,) = complete(old, owner, submit(old, owner))
    with old.connect() as db:
        db.execute("ALTER TABLE clips DROP COLUMN expired_at")  # the schema as it was
    reopened = Library(tmp_path / "old.db", tmp_path / "audio")
    assert reopened.clip(owner, clip.clip_id).expired is False
    reopened.mark_expired(owner, clip.clip_id)
    assert reopened.clip(owner, clip.clip_id).expired
