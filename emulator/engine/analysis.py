"""Listening to audio: tempo (onset autocorrelation), key and mode (chroma against key profiles), and the
pitch range of the melody (frame autocorrelation). Used for uploads and to check the engine's own output."""

import numpy as np
from scipy.signal import resample_poly, stft

from .tables.theory import MAJOR_PROFILE, MINOR_PROFILE
from .units import hz_to_midi, midi_to_hz

ANALYSIS_RATE = 22050
ONSET_HOP = 128  # ~5.8 ms frames: a sub-BPM tempo grid
MIN_BPM, MAX_BPM = 50.0, 210.0
PREFERRED_BPM = 100.0


def to_mono(audio: np.ndarray, sample_rate: int, rate: int = ANALYSIS_RATE) -> np.ndarray:
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    if sample_rate != rate:
        from math import gcd

        factor = gcd(sample_rate, rate)
        mono = resample_poly(mono, rate // factor, sample_rate // factor)
    return mono.astype(np.float32)


def onset_envelope(mono: np.ndarray, rate: int = ANALYSIS_RATE, hop: int = ONSET_HOP) -> np.ndarray:
    """Half-wave rectified log spectral flux per frame, with its slow trend removed."""
    _, _, spectrum = stft(mono, fs=rate, nperseg=1024, noverlap=1024 - hop, boundary=None, padded=False)
    magnitude = np.log1p(100.0 * np.abs(spectrum))
    flux = np.maximum(0.0, np.diff(magnitude, axis=1)).sum(axis=0)
    width = max(1, int(rate / hop * 0.5))
    trend = np.convolve(flux, np.ones(width) / width, mode="same")
    return np.maximum(0.0, flux - trend)


def _autocorrelation(signal: np.ndarray) -> np.ndarray:
    size = 1 << int(np.ceil(np.log2(2 * len(signal))))
    spectrum = np.fft.rfft(signal - signal.mean(), size)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, size)[: len(signal)]
    return acf / (acf[0] + 1e-12)


def estimate_tempo(audio: np.ndarray, sample_rate: int) -> float:
    """Beats per minute, to 0.1 BPM: the lag whose multiples line up best with the onsets."""
    mono = to_mono(audio, sample_rate)
    envelope = onset_envelope(mono)
    if len(envelope) < 64 or envelope.max() <= 0:
        return PREFERRED_BPM
    acf = _autocorrelation(envelope)
    frames_per_minute = ANALYSIS_RATE / ONSET_HOP * 60.0
    candidates = np.arange(MIN_BPM, MAX_BPM, 0.1)
    lags = frames_per_minute / candidates
    score = np.zeros_like(candidates)
    for multiple, weight in ((1, 1.0), (2, 0.8), (3, 0.5), (4, 0.6)):
        positions = lags * multiple
        inside = positions < len(acf) - 2
        score[inside] += weight * np.interp(positions[inside], np.arange(len(acf)), acf)
    prior = np.exp(-0.5 * (np.log2(candidates / PREFERRED_BPM) / 0.9) ** 2)
    best = candidates[int(np.argmax(score * prior))]
    return float(round(best, 1))


def chroma(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Energy per pitch class (C first) over the whole clip, from 55 Hz to 2 kHz."""
    mono = to_mono(audio, sample_rate)
    freqs, _, spectrum = stft(mono, fs=ANALYSIS_RATE, nperseg=8192, noverlap=8192 - 2048)
    power = (np.abs(spectrum) ** 2).sum(axis=1)
    usable = (freqs >= 55) & (freqs <= 2000)
    classes = np.round(hz_to_midi(freqs[usable])).astype(int) % 12
    return np.bincount(classes, weights=np.sqrt(power[usable]), minlength=12)


def estimate_key(audio: np.ndarray, sample_rate: int) -> tuple[int, str]:
    """(tonic pitch class, "major" | "minor") with the best-correlating key profile."""
    profile = chroma(audio, sample_rate)
    if profile.sum() <= 0:
        return 0, "major"
    best = (-2.0, 0, "major")
    for tonic in range(12):
        rotated = np.roll(profile, -tonic)
        for mode, template in (("major", np.array(MAJOR_PROFILE)), ("minor", np.array(MINOR_PROFILE))):
            score = float(np.corrcoef(rotated, template)[0, 1])
            if score > best[0]:
                best = (score, tonic, mode)
    return best[1], best[2]


def melody_pitches(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """MIDI pitch of the strongest harmonic series in each loud frame (harmonic-sum salience, MIDI 40-88)."""
    mono = to_mono(audio, sample_rate)
    freqs, _, spectrum = stft(mono, fs=ANALYSIS_RATE, nperseg=4096, noverlap=4096 - 1024)
    magnitude = np.abs(spectrum)
    energy = magnitude.sum(axis=0)
    if not energy.size or energy.max() <= 0:
        return np.array([])
    frames = magnitude[:, energy > np.percentile(energy, 50)]
    candidates = np.arange(40, 89)
    bin_width = freqs[1]
    salience = np.zeros((len(candidates), frames.shape[1]))
    for harmonic in range(1, 6):
        bins = np.round(harmonic * midi_to_hz(candidates) / bin_width).astype(int)
        inside = bins < len(freqs)
        salience[inside] += 0.8 ** (harmonic - 1) * frames[bins[inside]]
    return candidates[salience.argmax(axis=0)].astype(float)
