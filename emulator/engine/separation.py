"""Honest DSP separation of uploaded audio (no arrangement): approximate stems that still sum to the mix.

Vocals: the centre-panned, harmonic, mid-band part (left/right similarity x harmonic mask x band).
Drums: the percussive part (harmonic-percussive separation by median filtering). Bass: harmonic below
200 Hz. Whatever is left is "other", so the stems always add up to the input exactly.
"""

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import istft, stft

NPERSEG = 2048
KERNEL = 17
VOCAL_BAND = (150.0, 6000.0)
BASS_CUTOFF = 200.0


def _spectra(audio: np.ndarray, sample_rate: int):
    freqs, _, left = stft(audio[:, 0], fs=sample_rate, nperseg=NPERSEG)
    _, _, right = stft(audio[:, 1], fs=sample_rate, nperseg=NPERSEG)
    return freqs, left.astype(np.complex64), right.astype(np.complex64)


def _back(spectrum: np.ndarray, sample_rate: int, samples: int) -> np.ndarray:
    _, signal = istft(spectrum, fs=sample_rate, nperseg=NPERSEG)
    out = np.zeros(samples, dtype=np.float32)
    out[: min(samples, len(signal))] = signal[:samples]
    return out


def _masks(left: np.ndarray, right: np.ndarray):
    """(harmonic, percussive) soft masks of the mid signal, and the centre (L/R similarity) mask."""
    magnitude = np.abs(left + right) * 0.5
    harmonic = median_filter(magnitude, size=(1, KERNEL), mode="nearest")
    percussive = median_filter(magnitude, size=(KERNEL, 1), mode="nearest")
    total = harmonic**2 + percussive**2 + 1e-12
    cross = np.abs(left * np.conj(right))
    centre = 2 * cross / (np.abs(left) ** 2 + np.abs(right) ** 2 + 1e-12)
    return harmonic**2 / total, percussive**2 / total, centre


def separate(audio: np.ndarray, sample_rate: int, kind: str) -> dict[str, np.ndarray]:
    """'basic': vocals + instrumental; 'full': lead_vocals, drums, bass, other, mix, background."""
    samples = len(audio)
    freqs, left, right = _spectra(audio, sample_rate)
    harmonic, percussive, centre = _masks(left, right)
    band = ((freqs >= VOCAL_BAND[0]) & (freqs <= VOCAL_BAND[1]))[:, None]
    vocal_mask = np.clip(centre**4 * harmonic * band, 0, 1)

    def stereo(mask):
        return np.stack(
            [_back(left * mask, sample_rate, samples), _back(right * mask, sample_rate, samples)], axis=1
        )

    vocals = stereo(vocal_mask)
    if kind == "basic":
        return {"vocals": vocals, "instrumental": (audio - vocals).astype(np.float32)}
    low = (freqs < BASS_CUTOFF)[:, None]
    drums = stereo(percussive * (1 - vocal_mask))
    bass = stereo(harmonic * low * (1 - vocal_mask))
    other = (audio - vocals - drums - bass).astype(np.float32)
    return {
        "lead_vocals": vocals,
        "drums": drums,
        "bass": bass,
        "other": other,
        "mix": audio.astype(np.float32),
        "background": (audio - vocals).astype(np.float32),
    }
