"""Edits of a clip found again for "the result beside the original", and how a cover names its song."""

import dataclasses

from appdata_helpers import clip_json, completed_json, failed_json, new_task_id, pending_json, task

from lib import edits
from lib.workspace import owner_id

OWNER = owner_id("edits-test")


def made(library, call: str, params: dict, clip_id: str | None, clock) -> str:
    task_id = new_task_id()
    library.record_submission(OWNER, task(pending_json(task_id)), model="suno", call=call, params=params)
    clock.advance(5)
    answer = completed_json(task_id, [clip_json(clip_id)]) if clip_id else failed_json(task_id)
    library.record_update(OWNER, task(answer))
    return task_id


def test_the_latest_edits_of_a_clip_come_with_their_clips_newest_first(library, clock):
    made(library, "suno.create_music", {"description": "sea"}, "clip_song", clock)
    song = library.clip(OWNER, "clip_song")
    made(library, "suno.extend_music", {"audio_id": "clip_song", "duration": 30}, "clip_ext", clock)
    made(library, "suno.extend_music", {"audio_id": "clip_other", "duration": 30}, "clip_elsewhere", clock)
    made(library, "suno.cover_music", {"audio_url": song.audio_url, "style": "jazz"}, "clip_cover", clock)
    failed = made(
        library, "producer.create_music", {"operation": "swap_vocals", "audio_id": "clip_song"}, None, clock
    )

    found = edits.edits_of(
        library, OWNER, song, ("suno.extend_music", "suno.cover_music", "producer.create_music")
    )
    assert [e.task.call for e in found] == ["producer.create_music", "suno.cover_music", "suno.extend_music"]
    assert found[0].failed and found[0].task.task_id == failed and found[0].clips == []
    assert [c.clip_id for c in found[1].clips] == ["clip_cover"], "a cover by link is an edit of the song"
    assert [c.clip_id for c in found[2].clips] == ["clip_ext"]
    assert (
        edits.edits_of(library, OWNER, song, ("suno.extend_music",), limit=5)[0].clips[0].clip_id
        == "clip_ext"
    )
    assert edits.edits_of(library, owner_id("someone else"), song, ("suno.extend_music",)) == []


def test_a_cover_names_its_song_by_id_on_the_built_in_server_and_by_link_on_an_account(library, clock):
    made(library, "suno.create_music", {"description": "sea"}, "clip_song", clock)
    song = library.clip(OWNER, "clip_song")
    assert edits.cover_source(song, builtin=True) == {"audio_id": "clip_song"}
    assert edits.cover_source(song, builtin=False) == {"audio_url": song.audio_url}
    upload = dataclasses.replace(song, clip_id="uploaded_1", audio_url=None)
    assert edits.cover_source(upload, builtin=False) == {"audio_id": "uploaded_1"}, "an upload has no link"
