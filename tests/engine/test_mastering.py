"""Mastering building blocks computed in pieces agree with the one-pass computation they replace."""

import numpy as np
import pytest
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from emulator.engine.mastering import (
    LIMITER_CHUNK,
    LIMITER_WINDOW_SECONDS,
    limiter_gain,
    peak_magnitude,
    true_peak_dbtp,
)
from emulator.engine.units import seconds_to_samples

SR = 44100


def one_pass_limiter_gain(magnitude, ceiling):
    needed = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-9))
    width = 2 * seconds_to_samples(LIMITER_WINDOW_SECONDS, SR) + 1
    return uniform_filter1d(minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest")


@pytest.mark.parametrize("samples", [1000, LIMITER_CHUNK, 2 * LIMITER_CHUNK + 12345])
def test_chunked_limiter_gain_matches_one_pass(samples):
    rng = np.random.default_rng(samples)
    magnitude = np.abs(rng.normal(0.0, 0.4, samples)).astype(np.float32)
    magnitude[samples // 2 : samples // 2 + 50] = 3.0  # a burst to hold down across a chunk edge
    gain = limiter_gain(magnitude, SR, 0.8)
    assert gain.dtype == np.float32 and gain.shape == magnitude.shape
    np.testing.assert_allclose(gain, one_pass_limiter_gain(magnitude, np.float32(0.8)), rtol=1e-6)
    assert np.all(magnitude * gain <= 0.8 * (1 + 1e-6))


def test_peak_magnitude_and_true_peak_of_a_known_signal():
    audio = np.zeros((1000, 2), np.float32)
    audio[100, 1] = -0.5
    audio[400:402, 0] = [0.25, 0.25]
    assert peak_magnitude(audio)[[100, 400, 0]] == pytest.approx([0.5, 0.25, 0.0])
    assert true_peak_dbtp(audio, SR) == pytest.approx(20 * np.log10(0.5), abs=0.01)
    assert true_peak_dbtp(np.zeros((10, 2), np.float32), SR) == -120.0
