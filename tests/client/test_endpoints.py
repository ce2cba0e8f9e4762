"""Every endpoint of the reference: the client sends its method, path, body and Bearer key."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from lib.models import Credits, DownloadLink, LyricsVariation, Midi, Task, Upload
from tests.client.conftest import API_KEY, BASE_URL

TASK = {"task_id": "task_1", "status": "pending", "estimated_time": 30}
HOOK = "https://example.com/hook"

# (call, method, path, JSON body or query parameters, answer, model returned)
CASES = [
    (
        lambda c: c.suno.create_music(
            description="upbeat edm", duration=30, voice_gender="female", auto_lyrics=True, webhook_url=HOOK
        ),
        "POST",
        "/v1/suno/create-music",
        {
            "description": "upbeat edm",
            "duration": 30,
            "voice_gender": "female",
            "auto_lyrics": True,
            "webhook_url": HOOK,
        },
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_music(description="calm"),
        "POST",
        "/v1/suno/create-music",
        {"description": "calm"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.describe_music(description="a sad piano ballad", duration=60),
        "POST",
        "/v1/suno/describe-music",
        {"description": "a sad piano ballad", "duration": 60},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_music_with_lyrics(
            lyrics="Verse 1", style="indie", title="My Song", voice_gender="male"
        ),
        "POST",
        "/v1/suno/create-music-with-lyrics",
        {"lyrics": "Verse 1", "style": "indie", "title": "My Song", "voice_gender": "male"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.extend_music(audio_id="clip_abc", duration=60, webhook_url=HOOK),
        "POST",
        "/v1/suno/extend-music",
        {"audio_id": "clip_abc", "duration": 60, "webhook_url": HOOK},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.concat_music(clip_ids=["clip_1", "clip_2", "clip_3"]),
        "POST",
        "/v1/suno/concat-music",
        {"clip_ids": ["clip_1", "clip_2", "clip_3"]},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.cover_music(
            audio_url="https://example.com/a.mp3", style="jazz", voice_gender="female"
        ),
        "POST",
        "/v1/suno/cover-music",
        {"audio_url": "https://example.com/a.mp3", "style": "jazz", "voice_gender": "female"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.stems_basic(song_id="clip_s"),
        "POST",
        "/v1/suno/stems-basic",
        {"song_id": "clip_s"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.stems_full(song_id="clip_s"),
        "POST",
        "/v1/suno/stems-full",
        {"song_id": "clip_s"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.stems(song_id="clip_s", kind="full"),
        "POST",
        "/v1/suno/stems-full",
        {"song_id": "clip_s"},
        TASK,
        Task,
    ),
    (lambda c: c.suno.wav(song_id="clip_s"), "POST", "/v1/suno/wav", {"song_id": "clip_s"}, TASK, Task),
    (
        lambda c: c.suno.get_midi(clip_id="clip_m"),
        "GET",
        "/v1/suno/get-midi",
        {"clip_id": "clip_m"},
        {"clip_id": "clip_m", "midi_url": "https://x/y.mid", "midi_data": "TVRoZA=="},
        Midi,
    ),
    (
        lambda c: c.suno.create_persona(song_url="https://example.com/r.mp3", persona_name="Mine"),
        "POST",
        "/v1/suno/create-persona",
        {"song_url": "https://example.com/r.mp3", "persona_name": "Mine"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_persona_music(
            persona_id="persona_1", description="pop", lyrics="la", duration=60
        ),
        "POST",
        "/v1/suno/create-persona-music",
        {"persona_id": "persona_1", "description": "pop", "lyrics": "la", "duration": 60},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.cover_music(audio_id="clip_1", style="jazz", seed=7),
        "POST",
        "/v1/suno/cover-music",
        {"audio_id": "clip_1", "style": "jazz", "seed": 7},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_persona(song_id="clip_1", persona_name="Mine"),
        "POST",
        "/v1/suno/create-persona",
        {"song_id": "clip_1", "persona_name": "Mine"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_music_with_lyrics(lyrics="La", style="folk", duration=20, seed=3),
        "POST",
        "/v1/suno/create-music-with-lyrics",
        {"lyrics": "La", "style": "folk", "duration": 20, "seed": 3},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.create_persona_music(persona_id="persona_1", lyrics="Verse 1"),
        "POST",
        "/v1/suno/create-persona-music",
        {"persona_id": "persona_1", "lyrics": "Verse 1"},
        TASK,
        Task,
    ),
    (
        lambda c: c.suno.get_music(task_id="task_1"),
        "GET",
        "/v1/suno/get-music",
        {"task_id": "task_1"},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(
            operation="create", description="edm", duration=60, webhook_url=HOOK
        ),
        "POST",
        "/v1/producer/create-music",
        {"operation": "create", "description": "edm", "duration": 60, "webhook_url": HOOK},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(operation="extend", audio_id="clip_x", duration=30),
        "POST",
        "/v1/producer/create-music",
        {"operation": "extend", "audio_id": "clip_x", "duration": 30},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(operation="cover", audio_id="clip_x", style="jazz"),
        "POST",
        "/v1/producer/create-music",
        {"operation": "cover", "audio_id": "clip_x", "style": "jazz"},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(
            operation="replace", audio_id="clip_x", start_time=30, end_time=45, description="guitar solo"
        ),
        "POST",
        "/v1/producer/create-music",
        {
            "operation": "replace",
            "audio_id": "clip_x",
            "start_time": 30,
            "end_time": 45,
            "description": "guitar solo",
        },
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(
            operation="swap_vocals", audio_id="clip_x", voice_description="female"
        ),
        "POST",
        "/v1/producer/create-music",
        {"operation": "swap_vocals", "audio_id": "clip_x", "voice_description": "female"},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(
            operation="swap_instrumentals", audio_id="clip_x", instrumental_description="acoustic guitar"
        ),
        "POST",
        "/v1/producer/create-music",
        {
            "operation": "swap_instrumentals",
            "audio_id": "clip_x",
            "instrumental_description": "acoustic guitar",
        },
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.create_music(operation="variation", audio_id="clip_x", variation_type="style"),
        "POST",
        "/v1/producer/create-music",
        {"operation": "variation", "audio_id": "clip_x", "variation_type": "style"},
        TASK,
        Task,
    ),
    (
        lambda c: c.producer.download(clip_id="clip_x", format="wav"),
        "GET",
        "/v1/producer/download",
        {"clip_id": "clip_x", "format": "wav"},
        {"clip_id": "clip_x", "format": "wav", "download_url": "https://x/y.wav"},
        DownloadLink,
    ),
    (
        lambda c: c.producer.get_music(task_id="task_p"),
        "GET",
        "/v1/producer/get-music",
        {"task_id": "task_p"},
        TASK,
        Task,
    ),
    (
        lambda c: c.nuro.create_vocal_music(
            prompt="epic choir", duration=240, style="cinematic", voice_gender="mixed", webhook_url=HOOK
        ),
        "POST",
        "/v1/nuro/create-vocal-music",
        {
            "prompt": "epic choir",
            "duration": 240,
            "style": "cinematic",
            "voice_gender": "mixed",
            "webhook_url": HOOK,
        },
        TASK,
        Task,
    ),
    (
        lambda c: c.nuro.create_instrumental_music(prompt="ambient", duration=180, style="ambient"),
        "POST",
        "/v1/nuro/create-instrumental-music",
        {"prompt": "ambient", "duration": 180, "style": "ambient"},
        TASK,
        Task,
    ),
    (
        lambda c: c.nuro.get_music(task_id="task_n"),
        "GET",
        "/v1/nuro/get-music",
        {"task_id": "task_n"},
        TASK,
        Task,
    ),
    (
        lambda c: c.lyrics.generate(prompt="friendship", style="pop", num_variations=3),
        "POST",
        "/v1/lyrics/generate",
        {"prompt": "friendship", "style": "pop", "num_variations": 3},
        {"variations": [{"lyrics": "Verse 1", "structure": "verse-chorus"}]},
        list,
    ),
    (
        lambda c: c.get_credits(),
        "GET",
        "/v1/credits",
        {},
        {
            "total": 1000,
            "used": 250,
            "available": 750,
            "subscription": {"tier": "pro", "monthly_credits": 1000, "renewal_date": "2025-12-01"},
        },
        Credits,
    ),
]


def _ids():
    return [f"{method} {path} #{index}" for index, (_, method, path, *_rest) in enumerate(CASES)]


@pytest.mark.parametrize(("call", "method", "path", "sent", "answer", "model"), CASES, ids=_ids())
def test_every_endpoint_sends_the_reference_request(client, mocked, call, method, path, sent, answer, model):
    mocked.add(method, BASE_URL + path, json=answer, status=200)

    result = call(client)

    assert isinstance(result, model)
    (recorded,) = mocked.calls
    request = recorded.request
    assert request.method == method
    assert urlsplit(request.url).path == path
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    if method == "POST":
        assert json.loads(request.body) == sent
        assert len(request.headers["Idempotency-Key"]) == 36
    else:
        query = {name: values[0] for name, values in parse_qs(urlsplit(request.url).query).items()}
        assert query == sent
        assert request.body is None
        assert "Idempotency-Key" not in request.headers


@pytest.mark.parametrize("group", ["suno", "producer"])
def test_upload_sends_the_file_as_multipart(client, mocked, tmp_path, group):
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3 fake mp3 bytes")
    mocked.add(
        "POST",
        f"{BASE_URL}/v1/{group}/upload-music",
        json={"audio_id": "uploaded_1", "clip_id": "clip_u", "duration": 180, "format": "mp3"},
    )

    upload = getattr(client, group).upload_music(song)

    assert isinstance(upload, Upload)
    assert (upload.audio_id, upload.clip_id, upload.duration, upload.format) == (
        "uploaded_1",
        "clip_u",
        180,
        "mp3",
    )
    request = mocked.calls[0].request
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="file"; filename="song.mp3"' in request.body
    assert b"ID3 fake mp3 bytes" in request.body
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"


def test_upload_takes_bytes_and_file_objects(client, mocked, tmp_path):
    mocked.add("POST", f"{BASE_URL}/v1/suno/upload-music", json={"audio_id": "uploaded_2"})
    client.suno.upload_music(b"RIFF....WAVE", filename="take.wav")
    path = tmp_path / "loop.mp3"
    path.write_bytes(b"loop bytes")
    with path.open("rb") as handle:
        client.suno.upload_music(handle)
    first, second = (call.request.body for call in mocked.calls)
    assert b'filename="take.wav"' in first
    assert b"Content-Type: audio/" in first
    assert b'filename="loop.mp3"' in second and b"loop bytes" in second


def test_each_post_gets_its_own_idempotency_key(client, mocked):
    mocked.add("POST", f"{BASE_URL}/v1/suno/wav", json=TASK)
    client.suno.wav("clip_1")
    client.suno.wav("clip_1")
    keys = {call.request.headers["Idempotency-Key"] for call in mocked.calls}
    assert len(keys) == 2


def test_lyrics_and_credits_are_parsed(client, mocked):
    mocked.add(
        "POST",
        f"{BASE_URL}/v1/lyrics/generate",
        json={"variations": [{"lyrics": "A", "structure": "v-c"}, {"lyrics": "B", "new": 1}]},
    )
    mocked.add(
        "GET",
        f"{BASE_URL}/v1/credits",
        json={
            "total": 1000,
            "used": 250,
            "available": 750,
            "subscription": {"tier": "pro", "monthly_credits": 1000, "renewal_date": "2025-12-01"},
        },
    )
    variations = client.lyrics.generate("friends")
    credits = client.get_credits()
    assert [v.lyrics for v in variations] == ["A", "B"]
    assert all(isinstance(v, LyricsVariation) for v in variations)
    assert variations[1].structure is None and variations[1].raw["new"] == 1
    assert (
        credits.total,
        credits.used,
        credits.available,
        credits.tier,
        credits.monthly_credits,
        credits.renewal_date,
    ) == (1000, 250, 750, "pro", 1000, "2025-12-01")


def test_rate_limit_headers_are_kept(client, mocked):
    assert client.rate_limit is None
    mocked.add(
        "GET",
        f"{BASE_URL}/v1/credits",
        json={"available": 5},
        headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "45", "X-RateLimit-Reset": "1699200000"},
    )
    client.get_credits()
    assert (client.rate_limit.limit, client.rate_limit.remaining, client.rate_limit.reset) == (
        60,
        45,
        1699200000,
    )
