"""Extend, concat and the whole-song chain over HTTP: the extension holds the new music only, and concat of
[clip, extension] is the whole song with no discontinuity at the join (real client, real server, real engine)."""

from __future__ import annotations

import numpy as np
import pytest
import requests
from contract_support import wav_bytes

from emulator import engine
from lib import whole_song
from lib.errors import AIMusicAPIError


def wait(client, task, model="suno"):
    done = client.wait_for_task(task.task_id, model, timeout=300)
    assert done.status == "completed", done.raw
    return done.clips[0]


def samples(client, clip) -> np.ndarray:
    audio, _rate = engine.decode(client.download(clip.audio_url), "mp3")
    return audio.mean(axis=1)


def largest_step(audio: np.ndarray, start: int, stop: int) -> float:
    return float(np.abs(np.diff(audio[max(0, start) : stop])).max())


@pytest.fixture(scope="module")
def extension(studio, song):
    return wait(studio, studio.suno.extend_music(audio_id=song.id, duration=12))


def test_an_extension_lasts_the_requested_length_and_names_its_parent(song, extension):
    assert abs(extension.duration - 12) <= 1.0
    assert extension.metadata["parent_id"] == song.id
    assert abs(extension.metadata["continue_at"] - song.duration) <= 1.0
    assert extension.metadata["tempo"] == song.metadata["tempo"]


def test_concat_of_clip_and_extension_is_their_sum_without_a_click_at_the_join(studio, song, extension):
    whole = wait(studio, studio.suno.concat_music(clip_ids=[song.id, extension.id]))
    assert abs(whole.duration - (song.duration + extension.duration)) <= 1.0
    audio, parent = samples(studio, whole), samples(studio, song)
    rate = engine.SAMPLE_RATE
    join = int(extension.metadata["continue_at"] * rate)
    window = int(0.05 * rate)
    assert largest_step(audio, join - window, join + window) <= largest_step(parent, 0, len(parent))
    level = np.sqrt(np.mean(audio[join - window : join + window] ** 2))
    assert level > 0.05 * np.sqrt(np.mean(audio**2)), "a gap at the join"


def test_continue_at_starts_the_extension_there(studio, song):
    clip = wait(studio, studio.suno.extend_music(audio_id=song.id, duration=10, continue_at=5))
    assert 4.0 <= clip.metadata["continue_at"] <= 5.0
    whole = wait(studio, studio.suno.concat_music(clip_ids=[song.id, clip.id]))
    assert abs(whole.duration - (clip.metadata["continue_at"] + clip.duration)) <= 1.0


def test_continue_at_beyond_the_clip_is_refused_and_not_charged(studio, song):
    before = studio.get_credits().used
    with pytest.raises(AIMusicAPIError, match="continue_at"):
        studio.suno.extend_music(audio_id=song.id, duration=10, continue_at=song.duration + 30)
    assert studio.get_credits().used == before


def test_extending_an_upload_gives_only_new_music_and_concat_joins_them(studio):
    upload = studio.suno.upload_music(wav_bytes(seconds=6.0), "tone.wav")
    clip = wait(studio, studio.suno.extend_music(audio_id=upload.audio_id, duration=10))
    assert abs(clip.duration - 10) <= 1.0 and clip.metadata["parent_id"] == upload.audio_id
    whole = wait(studio, studio.suno.concat_music(clip_ids=[upload.audio_id, clip.id]))
    assert abs(whole.duration - (upload.duration + clip.duration)) <= 1.5


def test_the_whole_song_chain_to_120_seconds_ends_with_one_clip_of_120_seconds(studio, song):
    plan = whole_song.plan_chain(song.duration, 120)
    parts = [song.id]
    for seconds in plan.steps:
        parts.append(wait(studio, studio.suno.extend_music(audio_id=parts[-1], duration=seconds)).id)
    whole = wait(studio, studio.suno.concat_music(clip_ids=parts))
    assert abs(whole.duration - 120) <= 2.0


def test_the_extend_semantics_are_documented_in_the_servers_openapi(emulator):
    spec = requests.get(f"{emulator.base_url}/openapi.json", timeout=10).json()
    extend = spec["paths"]["/v1/suno/extend-music"]["post"]["description"]
    concat = spec["paths"]["/v1/suno/concat-music"]["post"]["description"]
    assert "only the new music" in extend and "continue_at" in extend
    assert "seamless" in extend and "not crossfaded" in concat
    assert "continue_at" in spec["components"]["schemas"]["ExtendMusic"]["properties"]
