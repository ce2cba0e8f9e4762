"""Parsing tolerates missing and unknown fields, keeps the raw JSON and normalises every model's results."""

from __future__ import annotations

import base64

from lib.models import Clip, Credits, Midi, RateLimit, Task, Upload


def test_suno_completed_task_has_its_clips():
    data = {
        "task_id": "task_1",
        "status": "completed",
        "completed_at": "2025-11-05T10:32:00Z",
        "clips": [
            {
                "id": "clip_1",
                "audio_url": "https://x/1.mp3",
                "video_url": "https://x/1.mp4",
                "title": "Song",
                "duration": 120,
                "metadata": {"style": "electronic"},
                "extra": True,
            }
        ],
        "unknown_field": [1, 2],
    }
    task = Task.from_dict(data)
    assert task.is_done and not task.is_pending
    (clip,) = task.clips
    assert (clip.id, clip.audio_url, clip.video_url, clip.title, clip.duration) == (
        "clip_1",
        "https://x/1.mp3",
        "https://x/1.mp4",
        "Song",
        120.0,
    )
    assert clip.metadata == {"style": "electronic"} and clip.raw["extra"] is True
    assert task.raw["unknown_field"] == [1, 2] and task.completed_at == "2025-11-05T10:32:00Z"


def test_producer_top_level_result_becomes_one_clip_named_by_the_task():
    task = Task.from_dict(
        {
            "task_id": "task_p",
            "status": "completed",
            "audio_url": "https://x/a.mp3",
            "video_url": "https://x/a.mp4",
            "metadata": {"duration": 60, "operation": "create", "model": "FUZZ-2.0"},
        }
    )
    (clip,) = task.clips
    assert (clip.id, clip.audio_url, clip.video_url, clip.duration) == (
        "task_p",
        "https://x/a.mp3",
        "https://x/a.mp4",
        60.0,
    )
    assert clip.metadata["model"] == "FUZZ-2.0"


def test_nuro_top_level_result_uses_clip_id_when_given():
    task = Task.from_dict(
        {
            "task_id": "task_n",
            "status": "completed",
            "audio_url": "https://x/n.mp3",
            "duration": 240,
            "clip_id": "clip_n",
            "metadata": {"model": "nuro"},
        }
    )
    assert [(c.id, c.duration) for c in task.clips] == [("clip_n", 240.0)]


def test_clips_list_wins_over_the_top_level_copy():
    task = Task.from_dict(
        {
            "task_id": "task_p",
            "status": "completed",
            "audio_url": "https://x/a.mp3",
            "clips": [{"id": "clip_real", "audio_url": "https://x/a.mp3"}],
        }
    )
    assert [c.id for c in task.clips] == ["clip_real"]


def test_endpoint_specific_results():
    stems = Task.from_dict(
        {
            "task_id": "t",
            "status": "completed",
            "stems": {"drums_url": "https://x/d.mp3", "bass_url": "https://x/b.mp3"},
        }
    )
    basic = Task.from_dict(
        {"task_id": "t", "status": "completed", "vocals_url": "v", "instrumental_url": "i"}
    )
    wav = Task.from_dict({"task_id": "t", "status": "completed", "wav_url": "w"})
    persona = Task.from_dict(
        {"task_id": "t", "status": "completed", "persona_id": "persona_1", "persona_name": "Mine"}
    )
    assert stems.stems == {"drums": "https://x/d.mp3", "bass": "https://x/b.mp3"} and stems.clips == []
    assert (basic.vocals_url, basic.instrumental_url, wav.wav_url) == ("v", "i", "w")
    assert (persona.persona_id, persona.persona_name) == ("persona_1", "Mine")


def test_pending_processing_and_failed_states():
    pending = Task.from_dict(
        {"task_id": "t", "status": "pending", "estimated_time": 120, "created_at": "2025-11-05T10:30:00Z"}
    )
    processing = Task.from_dict(
        {"task_id": "t", "status": "processing", "progress": 45, "estimated_remaining": 60}
    )
    failed = Task.from_dict(
        {
            "task_id": "t",
            "status": "failed",
            "error": {
                "code": "insufficient_credits",
                "message": "Not enough",
                "details": {"required": 10, "available": 5},
            },
        }
    )
    assert (
        pending.is_pending and pending.estimated_time == 120 and pending.created_at == "2025-11-05T10:30:00Z"
    )
    assert processing.is_pending and (processing.progress, processing.estimated_remaining) == (45, 60)
    assert failed.is_done and failed.error.code == "insufficient_credits"
    assert failed.error.details == {"required": 10, "available": 5}


def test_missing_and_malformed_fields_do_not_break_parsing():
    task = Task.from_dict({"task_id": "t", "progress": "n/a", "clips": [None, {"id": "c"}], "stems": "oops"})
    assert (task.status, task.progress, task.stems, [c.id for c in task.clips]) == (
        "pending",
        None,
        {},
        ["c"],
    )
    assert Task.from_dict(None).task_id == ""
    assert Credits.from_dict({"available": "7"}).available == 7
    assert Upload.from_dict({}).audio_id == ""
    assert Clip.from_dict({"id": "c", "duration": "long"}).duration is None


def test_midi_decodes_its_data():
    midi = Midi.from_dict({"clip_id": "c", "midi_data": base64.b64encode(b"MThd").decode()})
    assert midi.midi_bytes() == b"MThd"
    assert Midi.from_dict({"clip_id": "c"}).midi_bytes() is None


def test_rate_limit_from_headers():
    limit = RateLimit.from_headers(
        {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "1000"}
    )
    assert (limit.limit, limit.remaining, limit.reset) == (10, 3, 1000)
    assert limit.seconds_until_reset(now=990.0) == 10.0 and limit.seconds_until_reset(now=2000) == 0.0
    assert RateLimit.from_headers({}) is None
