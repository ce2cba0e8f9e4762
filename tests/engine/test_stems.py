"""Stems: exact per-track renders that sum to the mix; named instruments are audible in their stems."""

import numpy as np
import pytest

from emulator import engine

INSTRUMENT_STEMS = [name for name in engine.STEM_NAMES if name not in ("mix", "background")]


def db(value):
    return 20 * np.log10(max(float(value), 1e-12))


def rms(audio):
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


@pytest.fixture(scope="module")
def band():
    return engine.create(
        engine.SongRequest(
            "folk song with acoustic guitar, piano, strings, flute and drums", duration=10.0, seed=2
        )
    )


@pytest.fixture(scope="module")
def full(band):
    return engine.stems(engine.Source(arrangement=band.arrangement), "full")


def test_full_stems_are_named_exact_and_only_what_the_song_has(full):
    assert not full.approximate and full.sample_rate == engine.SAMPLE_RATE
    assert set(full.tracks) <= set(engine.STEM_NAMES)
    assert {
        "mix",
        "background",
        "lead_vocals",
        "drums",
        "bass",
        "guitar",
        "piano",
        "strings",
        "other",
    } <= set(full.tracks)
    assert "brass" not in full.tracks


def test_stems_sum_to_the_mix_within_minus_40_db(band, full):
    total = sum(full.tracks[name] for name in INSTRUMENT_STEMS if name in full.tracks)
    assert total.shape == band.audio.shape
    assert db(rms(total - band.audio) / rms(band.audio)) <= -40
    assert db(rms(full.tracks["mix"] - band.audio) / rms(band.audio)) <= -40
    background = full.tracks["mix"] - full.tracks["lead_vocals"]
    assert np.allclose(background, full.tracks["background"], atol=1e-6)


@pytest.mark.parametrize("stem", ["guitar", "piano", "strings", "other", "drums"])
def test_every_named_instrument_is_audible_in_its_stem(full, stem):
    level = db(rms(full.tracks[stem]))
    assert level > -45, f"{stem} stem is too quiet: {level:.1f} dBFS"
    assert level > db(rms(full.tracks["mix"])) - 30


def test_basic_stems_are_vocals_and_instrumental(band):
    basic = engine.stems(engine.Source(arrangement=band.arrangement), "basic")
    assert set(basic.tracks) == {"vocals", "instrumental"}
    total = basic.tracks["vocals"] + basic.tracks["instrumental"]
    assert db(rms(total - band.audio) / rms(band.audio)) <= -40
    assert db(rms(basic.tracks["vocals"])) > -40


def test_uploaded_audio_gets_approximate_dsp_stems_that_still_sum(band):
    upload = engine.Source(audio=band.audio, sample_rate=engine.SAMPLE_RATE)
    for kind, names in (
        ("basic", {"vocals", "instrumental"}),
        ("full", {"lead_vocals", "drums", "bass", "other"}),
    ):
        stems = engine.stems(upload, kind)
        assert stems.approximate
        assert names <= set(stems.tracks)
        total = sum(stems.tracks[n] for n in names)
        assert db(rms(total - band.audio) / rms(band.audio)) <= -40


def test_bad_stem_kind_is_refused(band):
    with pytest.raises(ValueError, match="basic"):
        engine.stems(engine.Source(arrangement=band.arrangement), "twelve")


@pytest.mark.parametrize(
    ("prompt", "named"),
    [("dark trap beat with 808, choir, brass and synth", ("bass", "backing_vocals", "brass", "synth"))],
)
def test_more_named_instruments_are_audible(prompt, named):
    song = engine.create(engine.SongRequest(prompt, duration=8.0, instrumental=True, seed=3))
    tracks = engine.stems(engine.Source(arrangement=song.arrangement), "full").tracks
    mix_level = db(rms(tracks["mix"]))
    for stem in named:
        assert stem in tracks, f"{stem} missing"
        assert db(rms(tracks[stem])) > mix_level - 30, f"{stem} is not audible"
    assert "lead_vocals" not in tracks
