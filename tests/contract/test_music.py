"""Every music endpoint over HTTP with the real client, the real server and the real engine (10 s songs)."""

from __future__ import annotations

import base64

import pytest
import requests
from contract_support import SONG_SECONDS, encoded, wav_bytes

MP3_STARTS = (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")


def wait(client, task, model="suno"):
    done = client.wait_for_task(task.task_id, model, timeout=180)
    assert done.status == "completed", done.raw
    assert done.completed_at
    return done


def test_create_music_gives_a_playable_clip_with_metadata(studio, song):
    assert song.id.startswith("clip_")
    assert abs(song.duration - SONG_SECONDS) < 1.5
    meta = song.metadata
    assert meta["model"] == "suno"
    assert "sea" in meta["prompt"]
    assert meta["voice_gender"] == "female"
    assert meta["tempo"] and meta["key"]
    assert (
        "synthetic singer" in meta["voice"] and meta["singing"] == "words" and meta["sung_language"] == "en"
    )
    assert studio.download(song.audio_url)[:3] in {m[:3] for m in MP3_STARTS}


def test_video_url_serves_an_mp4(studio, song):
    video = studio.download(song.video_url)
    assert video[4:8] == b"ftyp"
    assert studio.download(song.video_url) == video  # made once, then served from disk


def test_a_new_task_is_pending_with_an_estimate(studio):
    task = studio.suno.describe_music(description="a sad piano ballad", duration=SONG_SECONDS)
    assert task.task_id.startswith("task_")
    assert task.status == "pending"
    assert task.estimated_time >= 1
    assert task.created_at
    done = wait(studio, task)
    assert len(done.clips) == 1


def test_create_music_with_lyrics_keeps_title_and_words(studio):
    task = studio.suno.create_music_with_lyrics(
        lyrics="[Verse]\nWalking down the street\n[Chorus]\nLife is beautiful",
        style="indie rock",
        title="My Song",
        voice_gender="male",
    )
    clip = wait(studio, task).clips[0]
    assert clip.title == "My Song"
    assert "Life is beautiful" in clip.metadata["lyrics"]
    assert clip.metadata["model"] == "suno"


def test_the_singer_can_be_the_wordless_voice(emulator, studio, studio_key):
    task = studio.suno.create_music_with_lyrics(
        lyrics="Walking down the street", style="folk", duration=SONG_SECONDS, singing="wordless"
    )
    clip = wait(studio, task).clips[0]
    assert clip.metadata["singing"] == "wordless" and "does not pronounce" in clip.metadata["voice"]
    with pytest.raises(ValueError, match="singing"):
        studio.suno.create_music(description="pop", singing="rap")
    refused = requests.post(
        f"{emulator.base_url}/v1/suno/create-music",
        json={"description": "pop", "singing": "rap"},
        headers={"Authorization": f"Bearer {studio_key}"},
        timeout=10,
    )
    assert refused.status_code == 400 and "singing" in refused.text


def test_concat_joins_clips(studio, song):
    clip = wait(studio, studio.suno.concat_music(clip_ids=[song.id, song.id])).clips[0]
    assert clip.duration > 1.5 * song.duration


def test_cover_takes_this_servers_audio_url(studio, song):
    clip = wait(studio, studio.suno.cover_music(audio_url=song.audio_url, style="jazz with piano")).clips[0]
    assert clip.id != song.id
    assert clip.metadata["style"] == "jazz with piano"


def test_stems_basic_gives_vocals_and_instrumental(studio, song):
    done = wait(studio, studio.suno.stems_basic(song_id=song.id))
    for url in (done.vocals_url, done.instrumental_url):
        assert studio.download(url)[:3] in {m[:3] for m in MP3_STARTS}


def test_stems_full_names_the_stems_the_song_has(studio, song):
    done = wait(studio, studio.suno.stems_full(song_id=song.id))
    assert done.stems and set(done.stems) <= {
        "lead_vocals",
        "backing_vocals",
        "drums",
        "bass",
        "piano",
        "guitar",
        "synth",
        "strings",
        "brass",
        "other",
        "mix",
        "background",
    }
    assert set(done.raw["stems"]) == {f"{name}_url" for name in done.stems}


def test_wav_export(studio, song):
    done = wait(studio, studio.suno.wav(song_id=song.id))
    assert studio.download(done.wav_url)[:4] == b"RIFF"


def test_get_midi_answers_at_once_and_charges_five_once(studio, song):
    before = studio.get_credits().used
    midi = studio.suno.get_midi(clip_id=song.id)
    assert midi.clip_id == song.id
    assert base64.b64decode(midi.raw["midi_data"])[:4] == b"MThd"
    assert studio.download(midi.midi_url)[:4] == b"MThd"
    assert studio.get_credits().used == before + 5
    again = studio.suno.get_midi(clip_id=song.id)  # the same file, not charged twice
    assert again.raw["midi_data"] == midi.raw["midi_data"]
    assert studio.get_credits().used == before + 5


def test_get_midi_of_an_upload_is_400_and_refunded(studio):
    from lib.errors import ValidationError

    upload = studio.suno.upload_music(wav_bytes(2), "tone.wav")
    before = studio.get_credits().used
    with pytest.raises(ValidationError) as err:
        studio.suno.get_midi(clip_id=upload.audio_id)
    assert err.value.details["field"] == "clip_id"
    assert studio.get_credits().used == before


def test_persona_from_a_song_url_then_music_in_its_voice(studio, song):
    done = wait(studio, studio.suno.create_persona(song_url=song.audio_url, persona_name="Sea Voice"))
    assert done.persona_id.startswith("persona_") and done.persona_name == "Sea Voice"
    task = studio.suno.create_persona_music(
        persona_id=done.persona_id, description="upbeat pop", duration=SONG_SECONDS
    )
    assert wait(studio, task).clips


@pytest.mark.parametrize(
    ("operation", "fields", "cost"),
    [
        ("create", {"description": "energetic EDM track with drops", "duration": 10}, 10),
        ("extend", {"duration": 10}, 10),
        ("cover", {"style": "jazz version"}, 10),
        ("replace", {"start_time": 2, "end_time": 6, "description": "guitar solo"}, 10),
        ("swap_vocals", {"voice_description": "male soul vocals"}, 15),
        ("swap_instrumentals", {"instrumental_description": "acoustic guitar backing"}, 15),
        ("variation", {"variation_type": "melody"}, 10),
    ],
)
def test_producer_operations(studio, song, operation, fields, cost):
    if operation != "create":
        fields = {**fields, "audio_id": song.id}
    before = studio.get_credits().used
    done = wait(studio, studio.producer.create_music(operation, **fields), "producer")
    assert studio.get_credits().used == before + cost
    clip = done.clips[0]
    assert clip.metadata["model"] == "producer" and clip.metadata["operation"] == operation
    for name in ("audio_url", "video_url", "duration", "metadata"):
        assert done.raw[name] == clip.raw[name]


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_producer_download(studio, song, fmt):
    link = studio.producer.download(clip_id=song.id, format=fmt)
    assert (link.clip_id, link.format) == (song.id, fmt)
    data = studio.download(link.download_url)
    assert data[:4] == b"RIFF" if fmt == "wav" else data[:3] in {m[:3] for m in MP3_STARTS}


@pytest.mark.parametrize("kind", ["vocal", "instrumental"])
def test_nuro(studio, kind):
    if kind == "vocal":
        task = studio.nuro.create_vocal_music(
            prompt="epic orchestral soundtrack", duration=10, style="cinematic", voice_gender="mixed"
        )
    else:
        task = studio.nuro.create_instrumental_music(
            prompt="ambient meditation", duration=10, style="ambient"
        )
    done = wait(studio, task, "nuro")
    assert done.raw["audio_url"] == done.clips[0].audio_url
    assert done.raw["metadata"]["model"] == "nuro"


def test_lyrics_generate_answers_at_once(studio):
    before = studio.get_credits().used
    variations = studio.lyrics.generate(prompt="friendship and adventure", style="pop", num_variations=2)
    assert len(variations) == 2
    assert all(v.lyrics and v.structure for v in variations)
    assert studio.get_credits().used == before + 5


def test_suno_upload_is_a_clip(studio):
    upload = studio.suno.upload_music(wav_bytes(3), "tone.wav")
    assert upload.audio_id.startswith("uploaded_")
    assert abs(upload.duration - 3) < 0.2
    done = wait(studio, studio.suno.stems_basic(song_id=upload.audio_id))
    assert done.raw["approximate"] is True


def test_producer_upload_answers_audio_id_and_clip_id(studio):
    upload = studio.producer.upload_music(wav_bytes(2), "tone.wav")
    assert upload.audio_id.startswith("producer_audio_") and upload.raw["clip_id"].startswith("clip_")
    for clip_id in (upload.audio_id, upload.raw["clip_id"]):
        assert studio.producer.download(clip_id=clip_id, format="wav").download_url


def test_upload_of_an_mp3_from_this_server(studio, song):
    upload = studio.suno.upload_music(studio.download(song.audio_url), "song.mp3")
    assert upload.raw["format"] == "mp3"
    assert abs(upload.duration - song.duration) < 1


@pytest.mark.parametrize("fmt", ["flac", "ogg", "m4a"])
def test_uploads_of_every_accepted_format(studio, fmt):
    upload = studio.suno.upload_music(encoded(wav_bytes(2), fmt), f"tone.{fmt}")
    assert upload.raw["format"] == fmt
    assert abs(upload.duration - 2) < 0.2


def test_non_audio_upload_is_400_with_a_clear_message(studio):
    from lib.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        studio.suno.upload_music(b"this is a text file, not music", "notes.mp3")
    assert "not a readable audio file" in str(err.value)


def test_task_of_another_model_is_not_found_with_a_hint(emulator, studio, studio_key, song):
    task = studio.suno.wav(song_id=song.id)
    response = requests.get(
        f"{emulator.base_url}/v1/producer/get-music",
        params={"task_id": task.task_id},
        headers={"Authorization": f"Bearer {studio_key}"},
        timeout=10,
    )
    assert response.status_code == 404
    assert "/v1/suno/get-music" in response.json()["error"]["message"]


def test_clips_of_another_key_are_not_found(studio, song, make_key, client_for):
    from lib.errors import NotFoundError

    task = studio.suno.wav(song_id=song.id)
    other = client_for(make_key())
    with pytest.raises(NotFoundError):
        other.suno.get_music(task.task_id)
    with pytest.raises(NotFoundError):
        other.suno.stems_basic(song_id=song.id)
    with pytest.raises(NotFoundError):
        other.suno.cover_music(audio_url=song.audio_url, style="jazz")
    assert other.get_credits().used == 0


@pytest.mark.parametrize(
    ("path", "body", "successor"),
    [
        (
            "create-music-with-lyrics",
            {"lyrics": "la la la", "style": "pop", "duration": 10},
            "/v1/suno/create-music-with-lyrics",
        ),
        (
            "create-music-with-description",
            {"description": "lofi beat", "duration": 10},
            "/v1/producer/create-music",
        ),
        ("extend-music", {"duration": 10}, "/v1/suno/extend-music"),
        ("cover-music", {"style": "reggae"}, "/v1/producer/create-music"),
        (
            "replace-music-section",
            {"start_time": 1, "end_time": 4, "description": "drum break"},
            "/v1/producer/create-music",
        ),
        ("swap-music-sound", {"instrumental_description": "strings"}, "/v1/producer/create-music"),
        ("swap-music-vocals", {"voice_description": "female soul singer"}, "/v1/producer/create-music"),
    ],
)
def test_riffusion_routes_forward_with_deprecation_headers(
    emulator, studio, studio_key, song, path, body, successor
):
    if "description" not in path and "lyrics" not in path:
        body = {**body, "audio_id": song.id}
    headers = {"Authorization": f"Bearer {studio_key}"}
    response = requests.post(
        f"{emulator.base_url}/v1/riffusion/{path}", json=body, headers=headers, timeout=10
    )
    assert response.status_code == 201, response.text
    assert response.headers["Deprecation"] == "true" and response.headers["Sunset"]
    assert response.headers["Link"] == f'<{successor}>; rel="successor-version"'
    task_id = response.json()["task_id"]
    polled = requests.get(
        f"{emulator.base_url}/v1/riffusion/get-music",
        params={"task_id": task_id},
        headers=headers,
        timeout=10,
    )
    assert polled.status_code == 200 and polled.json()["task_id"] == task_id
    assert polled.headers["Deprecation"] == "true"
    model = "suno" if successor.startswith("/v1/suno") else "producer"
    wait(studio, studio.resource(model).get_music(task_id), model)


def test_riffusion_upload_forwards(emulator, studio_key):
    response = requests.post(
        f"{emulator.base_url}/v1/riffusion/upload-music",
        files={"file": ("t.wav", wav_bytes(1.5), "audio/wav")},
        headers={"Authorization": f"Bearer {studio_key}"},
        timeout=30,
    )
    assert response.status_code == 201 and response.json()["audio_id"].startswith("uploaded_")
    assert "successor-version" in response.headers["Link"]
