"""Operations on a song made by the engine and on uploaded audio."""

import io

import numpy as np
import pretty_midi
import pytest

from emulator import engine
from emulator.engine.analysis import estimate_tempo
from emulator.engine.tables import theory
from emulator.engine.tables.genres import RELATED_GENRES

SR = engine.SAMPLE_RATE


@pytest.fixture(scope="module")
def song():
    return engine.create(
        engine.SongRequest("happy pop song about the sea", duration=10.0, voice_gender="female", seed=1)
    )


@pytest.fixture(scope="module")
def src(song):
    return engine.Source(arrangement=song.arrangement)


@pytest.fixture(scope="module")
def upload(song):
    return engine.Source(audio=song.audio, sample_rate=SR)


def window_rms(audio, center_s, width_s=0.02, span_s=0.5):
    start, stop = int((center_s - span_s) * SR), int((center_s + span_s) * SR)
    mono = audio[max(0, start) : stop].mean(axis=1)
    size = int(width_s * SR)
    frames = mono[: len(mono) // size * size].reshape(-1, size)
    return np.sqrt((frames**2).mean(axis=1))


def assert_seamless(audio, at_s):
    """No gap (no near-silent 20 ms window) and no click (no jump beyond what the music itself has)."""
    song_rms = float(np.sqrt(np.mean(audio**2)))
    assert window_rms(audio, at_s).min() > song_rms * 0.05, "a gap at the join"
    jumps = np.abs(np.diff(audio.mean(axis=1)))
    size = int(0.01 * SR)
    maxima = jumps[: len(jumps) // size * size].reshape(-1, size).max(axis=1)
    here = jumps[int((at_s - 0.05) * SR) : int((at_s + 0.05) * SR)].max()
    assert here <= np.percentile(maxima, 99.5), "a click at the join"


def vocal_notes(arrangement):
    return sorted(n for t in arrangement["tracks"] if t["stem"] == "lead_vocals" for n in t["notes"])


def band(arrangement):
    return {t["name"]: t for t in arrangement["tracks"] if t["stem"] != "lead_vocals"}


def test_concat_crossfades_on_the_beat(song, src):
    other = engine.create(engine.SongRequest("calm acoustic folk", duration=8.0, seed=4))
    joined = engine.concat([src, engine.Source(arrangement=other.arrangement)])
    beat = 60 / song.metadata["tempo"]
    assert (
        song.duration + other.duration - 2 * beat - 0.05 <= joined.duration <= song.duration + other.duration
    )
    boundary = joined.duration - other.duration + beat
    assert_seamless(joined.audio, boundary - beat / 2)


def test_cover_keeps_melody_chords_and_lyrics_in_a_new_style(song, src):
    covered = engine.cover(src, "jazz version with piano", voice_gender="male")
    assert covered.metadata["genre"] == "jazz" and covered.metadata["voice_gender"] == "male"
    old, new = vocal_notes(song.arrangement), vocal_notes(covered.arrangement)
    assert [n[0] for n in old] == [n[0] for n in new]
    assert len({b[2] - a[2] for a, b in zip(old, new, strict=True)}) == 1
    assert [s["chords"] for s in song.arrangement["sections"]] == [
        s["chords"] for s in covered.arrangement["sections"]
    ]
    assert covered.lyrics == song.lyrics


def test_replace_changes_only_the_chosen_bars(song, src):
    replaced = engine.replace(src, 4.0, 7.0, "guitar solo")
    assert abs(replaced.duration - song.duration) <= 0.05
    info = replaced.arrangement["info"]["replaced"]
    assert info["start"] <= 4.0 and info["end"] >= 7.0
    new_tracks = [t for t in replaced.arrangement["tracks"] if t["name"].startswith("replace_")]
    assert any(t["stem"] == "guitar" for t in new_tracks)
    head = int(info["start"] * SR) - SR // 4
    assert np.corrcoef(replaced.audio[:head, 0], song.audio[:head, 0])[0, 1] > 0.95
    middle = slice(int(info["start"] * SR) + SR // 4, int(info["end"] * SR))
    assert np.corrcoef(replaced.audio[middle, 0], song.audio[middle, 0])[0, 1] < 0.9


def test_swap_vocals_keeps_the_backing(song, src):
    swapped = engine.swap_vocals(src, "deep male voice")
    assert swapped.metadata["voice_gender"] == "male"
    assert band(swapped.arrangement) == band(song.arrangement)
    old, new = vocal_notes(song.arrangement), vocal_notes(swapped.arrangement)
    assert [n[0] for n in old] == [n[0] for n in new]
    assert np.mean([n[2] for n in new]) < np.mean([n[2] for n in old]) - 6


def test_swap_instrumentals_keeps_the_vocal_line(song, src):
    swapped = engine.swap_instrumentals(src, "acoustic guitar backing")
    assert vocal_notes(swapped.arrangement) == vocal_notes(song.arrangement)
    assert band(swapped.arrangement) != band(song.arrangement)
    assert "guitar" in swapped.metadata["instruments"]
    assert swapped.metadata["tempo"] == song.metadata["tempo"]


@pytest.mark.parametrize("kind", ["style", "melody", "arrangement"])
def test_variations_change_what_they_say(song, src, kind):
    varied = engine.variation(src, kind, seed=1)
    assert not np.array_equal(varied.audio[: SR * 5], song.audio[: SR * 5])
    if kind == "style":
        assert varied.metadata["genre"] in RELATED_GENRES["pop"]
    elif kind == "melody":
        assert [s for _, s in varied.arrangement["lyric_events"]] == [
            s for _, s in song.arrangement["lyric_events"]
        ]
        assert [n[2] for n in vocal_notes(varied.arrangement)] != [
            n[2] for n in vocal_notes(song.arrangement)
        ]
    else:
        assert vocal_notes(varied.arrangement) == vocal_notes(song.arrangement)
        assert band(varied.arrangement) != band(song.arrangement)


def test_persona_is_learned_and_sings_again(song, src):
    persona = engine.learn_persona(src, "Sea Voice")
    assert persona["name"] == "Sea Voice" and persona["voice_gender"] == "female"
    again = engine.create(engine.SongRequest("rock song about trains", duration=8.0, persona=persona))
    pitches = [n[2] for n in vocal_notes(again.arrangement)]
    assert again.metadata["voice_gender"] == "female"
    assert persona["low"] <= min(pitches) and max(pitches) <= persona["high"]


def test_persona_from_uploaded_audio_reads_the_register(upload):
    persona = engine.learn_persona(upload, "Upload")
    assert persona["source"] == "audio analysis" and persona["voice_gender"] in ("female", "male")
    assert persona["low"] < persona["median_pitch"] < persona["high"]


def test_midi_export_is_a_standard_multitrack_file(song, src):
    midi = pretty_midi.PrettyMIDI(io.BytesIO(engine.to_midi(src)))
    assert len(midi.instruments) == len(song.arrangement["tracks"])
    assert any(i.is_drum for i in midi.instruments)
    assert midi.estimate_tempo() > 0 and abs(midi.get_tempo_changes()[1][0] - song.metadata["tempo"]) < 0.01
    assert len(midi.lyrics) == len(song.arrangement["lyric_events"])


def test_uploaded_audio_is_analysed(song, upload):
    found = engine.analyze(upload)
    assert abs(found["tempo"] - song.metadata["tempo"]) <= 2
    assert found["mode"] in ("major", "minor") and found["key"] in theory.NOTE_NAMES
    assert engine.analyze(engine.Source(arrangement=song.arrangement))["key"] == song.metadata["key"]


def test_cover_and_replace_of_uploaded_audio(song, upload):
    covered = engine.cover(upload, "country song")
    assert covered.metadata["approximate"] and covered.metadata["genre"] == "country"
    assert abs(covered.metadata["tempo"] - song.metadata["tempo"]) <= 2
    assert abs(estimate_tempo(covered.audio, SR) - covered.metadata["tempo"]) <= 2
    replaced = engine.replace(upload, 3.0, 6.0, "strings")
    assert abs(replaced.duration - song.duration) <= 0.01
    head = slice(0, int(2.5 * SR))
    assert np.corrcoef(replaced.audio[head, 0], song.audio[head, 0])[0, 1] > 0.99
    assert_seamless(replaced.audio, 3.0)
    assert_seamless(replaced.audio, 6.0)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s, u: engine.extend(s, 0), "between"),
        (lambda s, u: engine.extend(s, 599), "limit"),
        (lambda s, u: engine.replace(s, 5, 4, "x"), "start_time"),
        (lambda s, u: engine.replace(s, 1, 1.5, "x"), "one second"),
        (lambda s, u: engine.concat([s]), "two"),
        (lambda s, u: engine.variation(s, "remix"), "variation type"),
        (lambda s, u: engine.cover(s, ""), "empty"),
        (lambda s, u: engine.cover(s, "jazz", voice_gender="robot"), "voice"),
        (lambda s, u: engine.learn_persona(s, " "), "empty"),
        (lambda s, u: engine.swap_vocals(u, "male"), "built-in engine"),
        (lambda s, u: engine.to_midi(u), "built-in engine"),
        (lambda s, u: engine.Source(), "neither"),
        (lambda s, u: engine.Source(audio=u.audio, sample_rate=0), "sample rate"),
        (lambda s, u: engine.Source(audio=u.audio[:100]), "half a second"),
        (
            lambda s, u: (
                engine.Source(arrangement={"version": 99}).arrangement
                and engine.to_midi(engine.Source(arrangement={"version": 99}))
            ),
            "engine version",
        ),
        (lambda s, u: engine.extend("clip_1", 10), "Source"),
    ],
)
def test_bad_operation_input_gets_a_clear_value_error(src, upload, call, words):
    with pytest.raises(ValueError, match=words):
        call(src, upload)


def test_instrumental_songs_have_no_vocals_to_swap():
    instrumental = engine.create(engine.SongRequest("instrumental ambient", duration=6.0))
    with pytest.raises(ValueError, match="instrumental"):
        engine.swap_vocals(engine.Source(arrangement=instrumental.arrangement), "female")
