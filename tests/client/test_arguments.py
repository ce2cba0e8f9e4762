"""Bad arguments fail with a ValueError naming the argument, before any request is sent."""

from __future__ import annotations

import pytest

BAD_CALLS = [
    (lambda c: c.suno.create_music(description=""), "description"),
    (lambda c: c.suno.create_music(description="pop", duration=9), "duration"),
    (lambda c: c.suno.create_music(description="pop", duration=241), "duration"),
    (lambda c: c.suno.create_music(description="pop", duration="30"), "duration"),
    (lambda c: c.suno.create_music(description="pop", voice_gender="robot"), "voice_gender"),
    (lambda c: c.suno.create_music(description="pop", auto_lyrics="yes"), "auto_lyrics"),
    (lambda c: c.suno.create_music(description="pop", webhook_url="ftp://x"), "webhook_url"),
    (lambda c: c.suno.describe_music(description="   "), "description"),
    (lambda c: c.suno.create_music_with_lyrics(lyrics="", style="rock"), "lyrics"),
    (lambda c: c.suno.create_music_with_lyrics(lyrics="la", style=""), "style"),
    (lambda c: c.suno.extend_music(audio_id=""), "audio_id"),
    (lambda c: c.suno.extend_music(audio_id="clip 1"), "audio_id"),
    (lambda c: c.suno.concat_music(clip_ids=["clip_1"]), "clip_ids"),
    (lambda c: c.suno.concat_music(clip_ids=["clip_1", ""]), "clip_ids[1]"),
    (lambda c: c.suno.concat_music(clip_ids="clip_1"), "clip_ids"),
    (lambda c: c.suno.cover_music(audio_url="song.mp3", style="jazz"), "audio_url"),
    (lambda c: c.suno.stems_basic(song_id=""), "song_id"),
    (lambda c: c.suno.stems_full(song_id=None), "song_id"),
    (lambda c: c.suno.stems(song_id="clip_1", kind="half"), "kind"),
    (lambda c: c.suno.wav(song_id=""), "song_id"),
    (lambda c: c.suno.get_midi(clip_id=""), "clip_id"),
    (lambda c: c.suno.create_persona(song_url="https://x/a.mp3", persona_name=""), "persona_name"),
    (lambda c: c.suno.create_persona_music(persona_id="persona_1"), "description or lyrics"),
    (
        lambda c: c.suno.create_persona_music(persona_id="persona_1", description="", lyrics="la"),
        "description",
    ),
    (lambda c: c.suno.cover_music(audio_url="https://x/a.mp3", audio_id="", style="jazz"), "audio_id"),
    (lambda c: c.suno.create_persona_music(persona_id="persona_1", lyrics="  "), "lyrics"),
    (lambda c: c.suno.cover_music(style="jazz"), "audio_url or audio_id"),
    (lambda c: c.suno.cover_music(audio_id="clip_1", style=""), "style"),
    (lambda c: c.suno.create_persona(persona_name="Mine"), "song_url or song_id"),
    (lambda c: c.suno.create_music(description="pop", seed=-1), "seed"),
    (lambda c: c.nuro.create_vocal_music(prompt="choir", seed="42"), "seed"),
    (lambda c: c.suno.create_persona_music(persona_id="", description="pop"), "persona_id"),
    (lambda c: c.suno.get_music(task_id=""), "task_id"),
    (lambda c: c.producer.create_music(operation="remix", audio_id="clip_1"), "operation"),
    (lambda c: c.producer.create_music(operation="create"), "description"),
    (lambda c: c.producer.create_music(operation="create", description="edm", duration=300), "duration"),
    (lambda c: c.producer.create_music(operation="extend"), "audio_id"),
    (lambda c: c.producer.create_music(operation="cover", audio_id="clip_1"), "style"),
    (
        lambda c: c.producer.create_music(operation="replace", audio_id="clip_1", start_time=30, end_time=45),
        "description",
    ),
    (
        lambda c: c.producer.create_music(
            operation="replace", audio_id="clip_1", start_time=45, end_time=30, description="solo"
        ),
        "end_time",
    ),
    (
        lambda c: c.producer.create_music(
            operation="replace", audio_id="clip_1", start_time=-1, end_time=30, description="solo"
        ),
        "start_time",
    ),
    (lambda c: c.producer.create_music(operation="swap_vocals", audio_id="clip_1"), "voice_description"),
    (
        lambda c: c.producer.create_music(operation="swap_instrumentals", audio_id="clip_1"),
        "instrumental_description",
    ),
    (lambda c: c.producer.create_music(operation="variation", audio_id="clip_1"), "variation_type"),
    (
        lambda c: c.producer.create_music(operation="variation", audio_id="clip_1", variation_type="louder"),
        "variation_type",
    ),
    (lambda c: c.producer.download(clip_id="clip_1", format="flac"), "format"),
    (lambda c: c.producer.download(clip_id="", format="mp3"), "clip_id"),
    (lambda c: c.nuro.create_vocal_music(prompt=""), "prompt"),
    (lambda c: c.nuro.create_vocal_music(prompt="choir", duration=250), "duration"),
    (lambda c: c.nuro.create_instrumental_music(prompt="ambient", duration=5), "duration"),
    (lambda c: c.lyrics.generate(prompt=""), "prompt"),
    (lambda c: c.lyrics.generate(prompt="love", num_variations=0), "num_variations"),
    (lambda c: c.wait_for_task("task_1", model="riffusion"), "model"),
    (lambda c: c.wait_for_task(""), "task_id"),
    (lambda c: c.download(""), "url"),
    (lambda c: c.suno.upload_music(b""), "file"),
    (lambda c: c.suno.upload_music("/no/such/file.mp3"), "file"),
]


@pytest.mark.parametrize(
    ("call", "argument"), BAD_CALLS, ids=[f"{i}-{arg}" for i, (_, arg) in enumerate(BAD_CALLS)]
)
def test_bad_arguments_fail_before_any_request(client, mocked, call, argument):
    with pytest.raises(ValueError) as caught:
        call(client)
    assert str(caught.value).startswith(argument)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize("duration", [10, 240, 120.5])
def test_durations_at_the_limits_are_accepted(client, mocked, duration):
    mocked.add(
        "POST", "https://api.test/v1/nuro/create-vocal-music", json={"task_id": "task_1", "status": "pending"}
    )
    assert client.nuro.create_vocal_music(prompt="choir", duration=duration).task_id == "task_1"


@pytest.mark.parametrize("api_key", ["", "   ", "sk_with space", None])
def test_an_unusable_key_is_refused_at_construction(api_key):
    from lib.client import AIMusicClient

    with pytest.raises(ValueError, match="^api_key"):
        AIMusicClient(api_key)
