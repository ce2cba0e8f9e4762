"""create(): measured properties of real renders (short songs, each rendered once per module)."""

import json
import math

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from emulator import engine
from emulator.engine.analysis import estimate_key, estimate_tempo
from emulator.engine.tables import genres, theory

SR = engine.SAMPLE_RATE


def render(text, duration=10.0, **kwargs):
    return engine.create(engine.SongRequest(text, duration=duration, **kwargs))


@pytest.fixture(scope="module")
def summer():
    return render("upbeat pop song about summer", 12.0)


def true_peak_dbtp(audio):
    oversampled = resample_poly(audio.astype(np.float64), 4, 1, axis=0)
    return 20 * math.log10(np.abs(oversampled).max())


def test_a_real_song_with_a_sung_line(summer):
    arrangement = summer.arrangement
    json.dumps(arrangement)
    json.dumps(summer.metadata)
    assert summer.metadata["genre"] == "pop" and summer.metadata["mode"] == "major"
    assert {"lead_vocals", "drums", "bass"} <= set(summer.metadata["instruments"])
    assert "synthetic singer" in summer.metadata["voice"] and summer.metadata["sung_language"] == "en"
    assert "summer" in summer.lyrics.lower() and summer.title == "Summer"
    sections = [s["name"] for s in arrangement["sections"]]
    assert "chorus" in sections and sections[0] == "intro"


def test_one_vocal_note_per_sung_syllable_in_the_voice_register(summer):
    arrangement = summer.arrangement
    notes = [n for t in arrangement["tracks"] if t["stem"] == "lead_vocals" for n in t["notes"]]
    events = arrangement["lyric_events"]
    assert len(notes) == len(events) > 10
    assert sorted(n[0] for n in notes) == pytest.approx(sorted(b for b, _ in events))
    low, high = genres.VOICE_REGISTERS[summer.metadata["voice_gender"]]
    assert all(low <= n[2] <= high for n in notes)
    sung = " ".join(s for _, s in events).lower()
    assert "sum" in sung and "mer" in sung


def test_chorus_lines_are_sung_on_the_chorus(summer):
    arrangement = summer.arrangement
    chorus = next(s for s in arrangement["sections"] if s["name"] == "chorus")
    start, end = chorus["start_bar"] * 4, (chorus["start_bar"] + chorus["bars"]) * 4
    sung = "".join(s for b, s in arrangement["lyric_events"] if start <= b < end).lower()
    assert "thisisoursummer" in sung.replace(" ", "") or "summer" in sung


@pytest.mark.parametrize("duration", [5.0, 10.0, 17.3])
def test_duration_within_50_ms(duration):
    result = render("lofi study beat", duration)
    assert abs(result.duration - duration) <= 0.05


def test_loudness_and_true_peak(summer):
    loudness = pyloudnorm.Meter(SR).integrated_loudness(summer.audio.astype(np.float64))
    assert -15.0 <= loudness <= -13.0
    assert true_peak_dbtp(summer.audio) <= -1.0


@pytest.mark.parametrize(
    ("text", "tempo"),
    [
        ("dark trap beat at 90 bpm", 90),
        ("128 bpm house track", 128),
        ("rock anthem at 140 bpm", 140),
        ("reggae song", None),
    ],
)
def test_tempo_is_heard_in_the_audio_within_2_bpm(text, tempo):
    result = render(text, 12.0)
    expected = tempo or result.metadata["tempo"]
    assert result.metadata["tempo"] == pytest.approx(expected)
    assert abs(estimate_tempo(result.audio, SR) - expected) <= 2.0


@pytest.mark.parametrize(
    ("text", "mode"), [("sad melancholic song about loss", "minor"), ("happy cheerful song", "major")]
)
def test_mode_follows_mood_and_is_heard(text, mode):
    # The wordless voice: a sung voice's strong upper harmonics tip this chroma estimator off the key in
    # a 10 s clip (the sung pitch itself is measured in test_singer.py).
    result = render(text, 10.0, singing="wordless")
    assert result.metadata["mode"] == mode
    key, heard_mode = estimate_key(result.audio, SR)
    assert heard_mode == mode
    assert theory.NOTE_NAMES[key] == result.metadata["key"]


def test_same_seed_same_bytes_other_seed_other_song():
    first = render("funky soul groove", 6.0, seed=5)
    again = render("funky soul groove", 6.0, seed=5)
    other = render("funky soul groove", 6.0, seed=6)
    assert engine.encode(first.audio, SR, "wav") == engine.encode(again.audio, SR, "wav")
    assert first.arrangement == again.arrangement
    assert not np.array_equal(first.audio, other.audio)


def test_instrumental_has_no_voice():
    result = render("instrumental ambient piano", 8.0)
    assert result.lyrics is None and result.metadata["voice_gender"] is None
    assert not any(t["stem"] == "lead_vocals" for t in result.arrangement["tracks"])


def test_custom_lyrics_are_sung():
    result = render(
        "acoustic folk", 12.0, lyrics="[Verse]\nRiver runs\n[Chorus]\nHold on, hold on", voice_gender="male"
    )
    sung = "".join(s for _, s in result.arrangement["lyric_events"]).lower()
    assert "hold" in sung and result.lyrics.startswith("[Verse]")
    assert result.metadata["voice_gender"] == "male"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"text": ""}, "empty"),
        ({"text": "   "}, "empty"),
        ({"text": "x" * 10_000}, "characters"),
        ({"text": "pop", "duration": 0}, "between"),
        ({"text": "pop", "duration": 10_000}, "between"),
        ({"text": "pop", "duration": float("nan")}, "number"),
        ({"text": "pop", "voice_gender": "robot"}, "voice"),
        ({"text": "pop", "seed": "x"}, "seed"),
    ],
)
def test_bad_requests_get_a_clear_value_error(kwargs, words):
    with pytest.raises(ValueError, match=words):
        engine.SongRequest(**kwargs)


def test_create_refuses_anything_but_a_request():
    with pytest.raises(ValueError, match="SongRequest"):
        engine.create({"text": "pop"})


def test_a_mixed_voice_is_a_duet_with_both_registers():
    result = render("epic orchestral soundtrack with choir", 12.0, voice_gender="mixed")
    vocal_tracks = {t["name"]: t for t in result.arrangement["tracks"] if t["stem"] == "lead_vocals"}
    assert set(vocal_tracks) == {"vocal_female", "vocal_male"}
    female = np.mean([n[2] for n in vocal_tracks["vocal_female"]["notes"]])
    male = np.mean([n[2] for n in vocal_tracks["vocal_male"]["notes"]])
    assert female > male + 6
    assert result.metadata["voice_gender"] == "mixed"


def test_engine_true_peak_agrees_with_full_oversampling(summer):
    from emulator.engine.mastering import true_peak_dbtp as engine_true_peak

    assert abs(engine_true_peak(summer.audio, SR) - true_peak_dbtp(summer.audio)) < 0.15


@pytest.mark.parametrize("genre", sorted(genres.GENRES))
def test_every_genre_renders_a_short_song(genre):
    words = genres.GENRES[genre]["words"][0]
    result = render(f"{words} song", 5.0, voice_gender="male")
    assert result.metadata["genre"] == genre
    assert abs(result.duration - 5.0) <= 0.05
    assert np.abs(result.audio).max() > 0.1


@pytest.mark.parametrize(
    "text",
    [
        "🎸🔥💃 " * 200,
        "夏の海の歌、ピアノとストリングス",
        "песня о лете с гитарой",
        "metal 200 bpm",
        "drone 40 bpm",
    ],
)
def test_unusual_prompts_still_make_a_song(text):
    result = render(text, 5.0)
    assert abs(result.duration - 5.0) <= 0.05 and result.title


def test_a_broken_persona_is_refused_clearly():
    with pytest.raises(ValueError, match="register"):
        render("pop", 5.0, persona={"voice_gender": "female", "low": 300, "high": 2})


def test_two_threads_at_once_get_the_same_songs_as_one_at_a_time():
    from concurrent.futures import ThreadPoolExecutor

    requests = [engine.SongRequest("disco party", duration=5.0, seed=s) for s in (1, 2)]
    alone = [engine.create(r).audio for r in requests]
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = [r.audio for r in pool.map(engine.create, requests)]
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))
