"""Loudness to about -14 LUFS with a true peak at or below -1 dBTP, and the fades at both ends.

The whole chain is one gain curve computed from the mix; applying the same curve to every track keeps
the stems summing exactly to the mix.
"""

from functools import lru_cache

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, sosfilt

from .tables.limits import TARGET_LUFS, TRUE_PEAK_CEILING_DBTP
from .units import db_to_gain, gain_to_db, seconds_to_samples

OVERSAMPLING = 4
LIMITER_CEILING_DBFS = -1.6
LIMITER_WINDOW_SECONDS = 0.012
LIMITER_CHUNK = 1 << 18  # samples
FADE_IN_SECONDS = 0.01
SILENCE_LUFS = -70.0
BLOCK_SECONDS, BLOCK_OVERLAP = 0.4, 0.75  # BS.1770 gating blocks: 400 ms, a new one every 100 ms
ABSOLUTE_GATE_LUFS, RELATIVE_GATE_LU = -70.0, -10.0
LOUDNESS_OFFSET_DB = -0.691
FILTER_CHUNK = 1 << 16  # samples an IIR filter runs on at a time: small buffers stay in cache
SHELF_HZ, SHELF_DB = 3500.0, 5.0  # the small General MIDI soundfont is dull: lift the top a little
RUMBLE_HZ = 25.0


def _high_shelf(gain_db: float, q: float, hz: float, sample_rate: int) -> np.ndarray:
    """One second-order section (b0, b1, b2, 1, a1, a2): a high shelf from the RBJ cookbook."""
    amplitude = 10 ** (gain_db / 40)
    omega = 2 * np.pi * hz / sample_rate
    cos, root = np.cos(omega), 2 * np.sqrt(amplitude) * np.sin(omega) / (2 * q)
    b = [
        amplitude * ((amplitude + 1) + (amplitude - 1) * cos + root),
        -2 * amplitude * ((amplitude - 1) + (amplitude + 1) * cos),
        amplitude * ((amplitude + 1) + (amplitude - 1) * cos - root),
    ]
    a = [
        (amplitude + 1) - (amplitude - 1) * cos + root,
        2 * ((amplitude - 1) - (amplitude + 1) * cos),
        (amplitude + 1) - (amplitude - 1) * cos - root,
    ]
    return np.array([*(np.array(b) / a[0]), 1.0, a[1] / a[0], a[2] / a[0]])


def _high_pass(q: float, hz: float, sample_rate: int) -> np.ndarray:
    """One second-order section: a high-pass from the RBJ cookbook."""
    omega = 2 * np.pi * hz / sample_rate
    cos, alpha = np.cos(omega), np.sin(omega) / (2 * q)
    b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
    return np.array([*(b / (1 + alpha)), 1.0, -2 * cos / (1 + alpha), (1 - alpha) / (1 + alpha)])


@lru_cache(maxsize=8)
def _tone_sections(sample_rate: int) -> np.ndarray:
    """Second-order sections: a high shelf (RBJ cookbook, slope 1) and a rumble high-pass."""
    shelf = _high_shelf(SHELF_DB, 1 / np.sqrt(2), SHELF_HZ, sample_rate)
    rumble = butter(2, RUMBLE_HZ, "highpass", fs=sample_rate, output="sos")
    return np.vstack([shelf, rumble]).astype(np.float32)


def tone_shape(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The engine's fixed, linear EQ (so stems shaped alike still add up to the shaped mix)."""
    sections = _tone_sections(sample_rate)
    channels = audio if audio.ndim == 2 else audio[:, None]
    shaped = np.empty(channels.shape, np.float32)
    state = np.zeros((len(sections), 2, channels.shape[1]), np.float32)
    for start in range(0, len(channels), FILTER_CHUNK):  # carrying the state: the same as one pass
        part = channels[start : start + FILTER_CHUNK].astype(np.float32, copy=False)
        shaped[start : start + FILTER_CHUNK], state = sosfilt(sections, part, axis=0, zi=state)
    return shaped.reshape(audio.shape)


@lru_cache(maxsize=8)
def _k_weighting_sections(sample_rate: int) -> np.ndarray:
    """BS.1770 K-weighting at any rate, designed as pyloudnorm does: a +4 dB shelf at 1500 Hz, a high-pass."""
    return np.stack(
        [_high_shelf(4.0, 1 / np.sqrt(2), 1500.0, sample_rate), _high_pass(0.5, 38.0, sample_rate)]
    )


def block_edges(samples: int, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last sample of each 400 ms gating block, a block every 100 ms.

    The count and edges are pyloudnorm's (BS.1770-4 eq. 3), so both meters gate the same blocks.
    """
    step = 1.0 - BLOCK_OVERLAP
    count = int(np.round((samples / sample_rate - BLOCK_SECONDS) / (BLOCK_SECONDS * step))) + 1
    index = np.arange(max(count, 0))
    lower = (BLOCK_SECONDS * (index * step) * sample_rate).astype(np.int64)
    upper = (BLOCK_SECONDS * (index * step + 1) * sample_rate).astype(np.int64)
    return np.minimum(lower, samples), np.minimum(upper, samples)


def _k_weighted_running_energy(channels: np.ndarray, sample_rate: int, at: np.ndarray) -> np.ndarray:
    """Running sum of the K-weighted energy (all channels) before each sample index in `at` (sorted).

    Filters FILTER_CHUNK samples at a time, carrying the filter state, so no full-length float64
    copy of the audio is ever made.
    """
    sections = _k_weighting_sections(sample_rate)
    state = np.zeros((len(sections), 2, channels.shape[1]))
    running = np.zeros(len(at))
    total = 0.0
    for start in range(0, len(channels), FILTER_CHUNK):
        chunk = channels[start : start + FILTER_CHUNK].astype(np.float64)
        weighted, state = sosfilt(sections, chunk, axis=0, zi=state)
        partial = np.cumsum(np.einsum("ij,ij->i", weighted, weighted)) + total
        first = np.searchsorted(at, start + 1)
        last = np.searchsorted(at, start + len(chunk), side="right")
        running[first:last] = partial[at[first:last] - start - 1]
        total = float(partial[-1])
    return running


def _gated_loudness(blocks: np.ndarray, above: np.ndarray) -> float:
    if not above.any():
        return -np.inf
    return LOUDNESS_OFFSET_DB + 10 * np.log10(float(blocks[above].mean()))


def loudness_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness per ITU-R BS.1770-4, gated at -70 LUFS and then 10 LU under the ungated level.

    Agrees with pyloudnorm (the reference in the tests): the same filters and blocks, but block energies
    come from a running sum instead of a loop over blocks. -inf-safe: silence reads as -70.
    """
    channels = audio if audio.ndim == 2 else audio[:, None]
    if len(channels) < sample_rate * BLOCK_SECONDS:
        missing = int(sample_rate * BLOCK_SECONDS) - len(channels) + 1
        channels = np.concatenate([channels, np.zeros((missing, channels.shape[1]))])
    lower, upper = block_edges(len(channels), sample_rate)
    at = np.unique(np.concatenate([lower, upper]))
    running = _k_weighted_running_energy(channels, sample_rate, at)
    energy = running[np.searchsorted(at, upper)] - running[np.searchsorted(at, lower)]
    blocks = np.maximum(energy, 0.0) / (BLOCK_SECONDS * sample_rate)  # mean square per block
    with np.errstate(divide="ignore"):
        levels = LOUDNESS_OFFSET_DB + 10 * np.log10(blocks)
    loud = levels >= ABSOLUTE_GATE_LUFS
    relative_gate = _gated_loudness(blocks, loud) + RELATIVE_GATE_LU
    value = _gated_loudness(blocks, (levels > relative_gate) & (levels > ABSOLUTE_GATE_LUFS))
    return float(value) if np.isfinite(value) else SILENCE_LUFS


def _interpolation_phases() -> np.ndarray:
    """Polyphase taps (3 x 12) of a 48-tap windowed-sinc 4x interpolator, for the in-between samples."""
    taps = np.arange(48) - 23.5
    kernel = np.sinc(taps / OVERSAMPLING) * np.kaiser(48, 8.0)
    return np.stack([kernel[phase::OVERSAMPLING] for phase in range(1, OVERSAMPLING)]).astype(np.float32)


INTERPOLATION_PHASES = _interpolation_phases()
NEAR_PEAK = 10 ** (-2.5 / 20)  # in-between peaks sit next to samples within 2.5 dB of the sample peak


def peak_magnitude(channels: np.ndarray) -> np.ndarray:
    """Per-sample peak over channels, |x|, one channel at a time (no full-size temporary)."""
    magnitude = np.abs(channels[:, 0])
    for channel in range(1, channels.shape[1]):
        np.maximum(magnitude, np.abs(channels[:, channel]), out=magnitude)
    return magnitude


def true_peak_dbtp(audio: np.ndarray, sample_rate: int) -> float:
    """Peak of the 4x oversampled signal in dBTP."""
    del sample_rate  # oversampling is relative to whatever rate the audio has
    channels = audio if audio.ndim == 2 else audio[:, None]
    return _true_peak_of_gained(channels, peak_magnitude(channels), None)


def _true_peak_of_gained(channels: np.ndarray, magnitude: np.ndarray, gain: np.ndarray | None) -> float:
    """True peak of channels * gain[:, None] (no gain: 1), without making that product in full.

    magnitude is peak_magnitude(channels); for a gain >= 0, |x| * g rounds exactly as |x * g| does.
    The three in-between values are computed on both sides of every sample within 2.5 dB of the sample
    peak: a reconstruction peak higher than those would need an overshoot of more than 2.5 dB.
    """
    if gain is not None:
        magnitude = magnitude * gain
    if not len(magnitude) or magnitude.max() <= 0:
        return -120.0
    peak = float(magnitude.max())
    taps = INTERPOLATION_PHASES.shape[1]
    loud = np.nonzero(magnitude >= peak * NEAR_PEAK)[0]
    starts = np.unique(np.concatenate([loud - taps // 2, loud - taps // 2 + 1]))
    index = np.clip(starts + taps // 2, 0, len(channels))[:, None] + np.arange(taps) - taps // 2
    inside = (index >= 0) & (index < len(channels))  # outside the audio reads as silence
    index = np.clip(index, 0, len(channels) - 1)
    windows = channels[index] if gain is None else channels[index] * gain[index][..., None]
    windows[~inside] = 0.0
    between = np.einsum("pk,nkc->npc", INTERPOLATION_PHASES, windows)
    return gain_to_db(max(peak, float(np.abs(between).max())))


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


def limiter_gain(magnitude: np.ndarray, sample_rate: int, ceiling: float) -> np.ndarray:
    """A smooth gain curve keeping magnitude * gain <= ceiling (look-ahead minimum, then smoothing).

    magnitude is the per-sample peak over channels. Smoothing over the same window as the minimum keeps
    the curve at or below the needed gain everywhere.
    """
    needed = np.maximum(magnitude, 1e-9)  # then worked on in place: fresh full-size arrays are dear
    np.divide(ceiling, needed, out=needed)
    np.minimum(needed, 1.0, out=needed)
    width = 2 * seconds_to_samples(LIMITER_WINDOW_SECONDS, sample_rate) + 1
    gain = np.empty_like(needed)
    # In overlapping chunks: scipy.ndimage filters a 1-D array through two float64 copies of it.
    # Each output sample sees `width` held values, each of which sees `width` needed values.
    for start in range(0, len(needed), LIMITER_CHUNK):
        low, high = max(0, start - width), min(len(needed), start + LIMITER_CHUNK + width)
        held = minimum_filter1d(needed[low:high], width, mode="nearest")
        smooth = uniform_filter1d(held, width, mode="nearest")
        gain[start : start + LIMITER_CHUNK] = smooth[start - low : start - low + LIMITER_CHUNK]
    return gain


def mastering_gain(mix: np.ndarray, sample_rate: int, fade_out_seconds: float) -> np.ndarray:
    """The per-sample gain that takes this mix to the target loudness under the true-peak ceiling.

    Integrated loudness is measured once; how much the limiter then takes away is tracked by
    the change in signal energy, which is cheap, instead of measuring again after every pass.
    """
    fade = fade_curve(len(mix), sample_rate, fade_out_seconds)
    faded = mix * fade[:, None]
    power = np.einsum("ij,ij->i", faded, faded)  # per-sample energy over both channels
    energy = float(power.sum(dtype=np.float64))
    if energy < 1e-10:
        return fade
    measured = loudness_lufs(faded, sample_rate)
    gain = db_to_gain(TARGET_LUFS - measured)
    ceiling = db_to_gain(LIMITER_CEILING_DBFS)
    magnitude = peak_magnitude(faded)
    for _ in range(4):
        total = gain * limiter_gain(magnitude * np.float32(gain), sample_rate, ceiling)
        estimate = measured + 10 * np.log10(float(np.dot(total * total, power)) / energy)
        if abs(TARGET_LUFS - estimate) < 0.1:
            break
        gain *= db_to_gain(TARGET_LUFS - estimate)
    peak = _true_peak_of_gained(faded, magnitude, total)
    if peak > TRUE_PEAK_CEILING_DBTP - 0.2:
        total = total * np.float32(db_to_gain(TRUE_PEAK_CEILING_DBTP - 0.2 - peak))
    total *= fade
    return total.astype(np.float32, copy=False)


def default_fade_out(duration: float) -> float:
    return min(3.0, max(0.5, duration * 0.12))
