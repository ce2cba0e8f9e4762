"""The nine legacy Riffusion calls forward to their replacements and warn, naming the replacement."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.client.conftest import BASE_URL

TASK = {"task_id": "task_1", "status": "pending"}

CASES = [
    (
        lambda r: r.create_music_with_lyrics("Verse", "rock", title="T"),
        "POST",
        "/v1/suno/create-music-with-lyrics",
        {"lyrics": "Verse", "style": "rock", "title": "T"},
        "client.suno.create_music_with_lyrics",
    ),
    (
        lambda r: r.create_music_with_description("chill beat", duration=30),
        "POST",
        "/v1/producer/create-music",
        {"operation": "create", "description": "chill beat", "duration": 30},
        'operation="create"',
    ),
    (
        lambda r: r.cover_music("clip_1", "jazz"),
        "POST",
        "/v1/producer/create-music",
        {"operation": "cover", "audio_id": "clip_1", "style": "jazz"},
        'operation="cover"',
    ),
    (
        lambda r: r.extend_music("clip_1", duration=20),
        "POST",
        "/v1/suno/extend-music",
        {"audio_id": "clip_1", "duration": 20},
        "client.suno.extend_music",
    ),
    (
        lambda r: r.replace_music_section("clip_1", 5, 15, "solo"),
        "POST",
        "/v1/producer/create-music",
        {
            "operation": "replace",
            "audio_id": "clip_1",
            "start_time": 5,
            "end_time": 15,
            "description": "solo",
        },
        'operation="replace"',
    ),
    (
        lambda r: r.swap_music_sound("clip_1", "strings"),
        "POST",
        "/v1/producer/create-music",
        {"operation": "swap_instrumentals", "audio_id": "clip_1", "instrumental_description": "strings"},
        'operation="swap_instrumentals"',
    ),
    (
        lambda r: r.swap_music_vocals("clip_1", "deep male"),
        "POST",
        "/v1/producer/create-music",
        {"operation": "swap_vocals", "audio_id": "clip_1", "voice_description": "deep male"},
        'operation="swap_vocals"',
    ),
    (
        lambda r: r.upload_music(b"ID3 bytes", filename="a.mp3"),
        "POST",
        "/v1/suno/upload-music",
        None,
        "client.suno.upload_music",
    ),
    (lambda r: r.get_music("task_1"), "GET", "/v1/suno/get-music", None, "client.suno.get_music"),
    (
        lambda r: r.get_music("task_1", model="producer"),
        "GET",
        "/v1/producer/get-music",
        None,
        "client.producer.get_music",
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "sent", "replacement"), CASES, ids=[c[2] + c[4] for c in CASES]
)
def test_legacy_call_forwards_and_warns(client, mocked, call, method, path, sent, replacement):
    mocked.add(method, BASE_URL + path, json={**TASK, "audio_id": "uploaded_1"})
    with pytest.warns(DeprecationWarning, match="deprecated") as warned:
        call(client.riffusion)
    assert replacement in str(warned[0].message)
    assert warned[0].filename == __file__  # the warning points at the caller's line
    request = mocked.calls[0].request
    assert (request.method, urlsplit(request.url).path) == (method, path)
    if sent is not None:
        assert json.loads(request.body) == sent


def test_legacy_calls_check_arguments_too(client, mocked):
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="^end_time"):
        client.riffusion.replace_music_section("clip_1", 15, 5, "solo")
    assert len(mocked.calls) == 0
