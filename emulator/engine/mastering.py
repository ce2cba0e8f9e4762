"""Loudness to about -14 LUFS with a true peak at or below -1 dBTP, and the fades at both ends.

The whole chain is one gain curve computed from the mix; applying the same curve to every track keeps
the stems summing exactly to the mix.
"""

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from .constants import TARGET_LUFS, TRUE_PEAK_CEILING_DBTP
from .units import db_to_gain, gain_to_db, seconds_to_samples

OVERSAMPLING = 4
LIMITER_CEILING_DBFS = -1.6
LIMITER_WINDOW_SECONDS = 0.012
FADE_IN_SECONDS = 0.01
SILENCE_LUFS = -70.0


def loudness_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770 via pyloudnorm); -inf-safe: silence reads as -70."""
    if len(audio) < sample_rate * 0.4:
        audio = np.concatenate(
            [audio, np.zeros((int(sample_rate * 0.4) - len(audio) + 1, audio.shape[1]), np.float32)]
        )
    value = pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64))
    return float(value) if np.isfinite(value) else SILENCE_LUFS


def true_peak_dbtp(audio: np.ndarray, sample_rate: int, block: int = 8192) -> float:
    """Peak of the 4x oversampled signal, in dBTP; only blocks near the sample peak are oversampled."""
    magnitude = np.abs(audio).max(axis=1) if audio.ndim == 2 else np.abs(audio)
    if not len(magnitude) or magnitude.max() <= 0:
        return -120.0
    sample_peak = float(magnitude.max())
    blocks = len(magnitude) // block + 1
    padded = np.zeros(blocks * block, dtype=magnitude.dtype)
    padded[: len(magnitude)] = magnitude
    block_peaks = padded.reshape(blocks, block).max(axis=1)
    peak = sample_peak
    for index in np.nonzero(block_peaks >= sample_peak * 0.5)[0]:
        start = max(0, index * block - 64)
        segment = audio[start : index * block + block + 64]
        upsampled = resample_poly(segment, OVERSAMPLING, 1, axis=0)
        peak = max(peak, float(np.abs(upsampled).max()))
    return gain_to_db(peak)


def fade_curve(samples: int, sample_rate: int, fade_out_seconds: float) -> np.ndarray:
    curve = np.ones(samples, dtype=np.float32)
    fade_in = min(samples, seconds_to_samples(FADE_IN_SECONDS, sample_rate))
    curve[:fade_in] = np.linspace(0.0, 1.0, fade_in, endpoint=False)
    fade_out = min(samples, seconds_to_samples(fade_out_seconds, sample_rate))
    if fade_out:
        curve[samples - fade_out :] *= (0.5 + 0.5 * np.cos(np.linspace(0, np.pi, fade_out))).astype(
            np.float32
        )
    return curve


def limiter_gain(audio: np.ndarray, sample_rate: int, ceiling: float) -> np.ndarray:
    """A smooth gain curve that keeps |audio * gain| <= ceiling (look-ahead min filter, then smoothing)."""
    magnitude = np.abs(audio).max(axis=1)
    needed = np.minimum(1.0, ceiling / np.maximum(magnitude, 1e-9))
    width = 2 * seconds_to_samples(LIMITER_WINDOW_SECONDS, sample_rate) + 1
    held = minimum_filter1d(needed, width, mode="nearest")
    return uniform_filter1d(held, width, mode="nearest").astype(np.float32)


def mastering_gain(mix: np.ndarray, sample_rate: int, fade_out_seconds: float) -> np.ndarray:
    """The per-sample gain that takes this mix to the target loudness under the true-peak ceiling."""
    fade = fade_curve(len(mix), sample_rate, fade_out_seconds)
    faded = mix * fade[:, None]
    if np.abs(faded).max() < 1e-7:
        return fade
    gain = np.full(len(mix), db_to_gain(TARGET_LUFS - loudness_lufs(faded, sample_rate)), dtype=np.float32)
    ceiling = db_to_gain(LIMITER_CEILING_DBFS)
    for _ in range(3):
        limited = limiter_gain(faded * gain[:, None], sample_rate, ceiling)
        total = gain * limited
        shortfall = TARGET_LUFS - loudness_lufs(faded * total[:, None], sample_rate)
        if abs(shortfall) < 0.2:
            break
        gain = gain * np.float32(db_to_gain(shortfall))
    peak = true_peak_dbtp(faded * total[:, None], sample_rate)
    if peak > TRUE_PEAK_CEILING_DBTP - 0.1:
        total = total * np.float32(db_to_gain(TRUE_PEAK_CEILING_DBTP - 0.1 - peak))
    return (total * fade).astype(np.float32)


def default_fade_out(duration: float) -> float:
    return min(3.0, max(0.5, duration * 0.12))
