"""The engine's integrated loudness (BS.1770-4) against pyloudnorm, the reference, within 0.05 LU."""

import numpy as np
import pyloudnorm
import pytest

from emulator import engine
from emulator.engine.mastering import FILTER_CHUNK, SILENCE_LUFS, block_edges, loudness_lufs

SR = engine.SAMPLE_RATE
TOLERANCE_LU = 0.05


def reference_lufs(audio, sample_rate):
    """pyloudnorm's reading; audio shorter than one block is padded with silence to one block."""
    audio = np.asarray(audio, dtype=np.float64)
    if len(audio) < sample_rate * 0.4:
        padding = np.zeros((int(sample_rate * 0.4) - len(audio) + 1, *audio.shape[1:]))
        audio = np.concatenate([audio, padding])
    value = pyloudnorm.Meter(sample_rate).integrated_loudness(audio)
    return float(value) if np.isfinite(value) else SILENCE_LUFS


def seconds(value, sample_rate=SR):
    return int(value * sample_rate)


def sine(hz, amplitude, duration, sample_rate=SR):
    wave = amplitude * np.sin(2 * np.pi * hz * np.arange(seconds(duration, sample_rate)) / sample_rate)
    return np.stack([wave, wave], axis=1).astype(np.float32)


def noise(level, duration, seed=0, sample_rate=SR):
    samples = np.random.default_rng(seed).normal(0.0, level, (seconds(duration, sample_rate), 2))
    return samples.astype(np.float32)


def silence(duration, sample_rate=SR):
    return np.zeros((seconds(duration, sample_rate), 2), np.float32)


SYNTHETIC = {
    "sine 1 kHz": lambda: sine(1000.0, 0.5, 5.0),
    "sine 60 Hz, under the high-pass": lambda: sine(60.0, 0.5, 3.0),
    "sine 8 kHz, on the shelf": lambda: sine(8000.0, 0.1, 3.0),
    "white noise": lambda: noise(0.1, 7.3),
    "quiet noise near the absolute gate": lambda: noise(2e-4, 4.0),
    "silence with a burst": lambda: np.concatenate([silence(4.0), noise(0.3, 0.5), silence(6.0)]),
    "loud then soft (relative gate)": lambda: np.concatenate([noise(0.3, 3.0), noise(0.003, 9.0, seed=1)]),
    "left channel only": lambda: sine(440.0, 0.5, 4.0) * np.array([1.0, 0.0], np.float32),
    "shorter than one block": lambda: noise(0.1, 0.25),
}


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_signals_agree_with_pyloudnorm(name):
    audio = SYNTHETIC[name]()
    assert loudness_lufs(audio, SR) == pytest.approx(reference_lufs(audio, SR), abs=TOLERANCE_LU)


@pytest.mark.parametrize("sample_rate", [22050, 32000, 48000, 96000])
def test_other_sample_rates_and_mono_agree(sample_rate):
    audio = np.concatenate([noise(0.05, 2.0, sample_rate=sample_rate), sine(300.0, 0.4, 3.0, sample_rate)])
    assert loudness_lufs(audio, sample_rate) == pytest.approx(
        reference_lufs(audio, sample_rate), abs=TOLERANCE_LU
    )
    mono = audio[:, 0]
    assert loudness_lufs(mono, sample_rate) == pytest.approx(
        reference_lufs(mono, sample_rate), abs=TOLERANCE_LU
    )


def test_silence_reads_as_the_floor():
    assert loudness_lufs(silence(3.0), SR) == SILENCE_LUFS
    assert loudness_lufs(silence(0.1), SR) == SILENCE_LUFS
    assert loudness_lufs(noise(1e-6, 3.0), SR) == SILENCE_LUFS


def test_blocks_are_400_ms_every_100_ms():
    lower, upper = block_edges(SR * 2, SR)
    assert len(lower) == 17  # (2.0 - 0.4) / 0.1 + 1
    assert list(lower[:3]) == [0, 4410, 8820] and list(upper[:3]) == [17640, 22050, 26460]
    assert upper[-1] == SR * 2


def test_chunk_edges_change_nothing():
    """Blocks straddling the filter's chunk boundaries read the same as one long filter pass."""
    burst = noise(0.2, 0.3, seed=3)
    for offset in (FILTER_CHUNK - 7000, 3 * FILTER_CHUNK - 100):
        audio = np.concatenate([silence(offset / SR), burst, silence(2.0)])
        assert loudness_lufs(audio, SR) == pytest.approx(reference_lufs(audio, SR), abs=1e-6)


@pytest.fixture(scope="module")
def renders():
    songs = [
        ("energetic rock song with drums, bass, guitar and brass", 9.0, 3),
        ("sad piano ballad", 8.0, 4),
        ("instrumental ambient pad", 7.0, 5),
    ]
    results = [engine.create(engine.SongRequest(text, duration=d, seed=s)) for text, d, s in songs]
    stems = engine.stems(engine.Source(arrangement=results[0].arrangement), "full").tracks
    audio = {f"song {i}": r.audio for i, r in enumerate(results)}
    audio.update({f"stem {name}": stem for name, stem in stems.items() if name != "mix"})
    audio["song 1 at -40 dB"] = results[1].audio * np.float32(0.01)
    return audio


def test_real_renders_agree_with_pyloudnorm(renders):
    assert len(renders) >= 8
    for name, audio in renders.items():
        ours, theirs = loudness_lufs(audio, SR), reference_lufs(audio, SR)
        assert ours == pytest.approx(theirs, abs=TOLERANCE_LU), name
