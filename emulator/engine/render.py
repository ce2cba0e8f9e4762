"""Audio plumbing for the renderer: the soundfont, WAV bytes to arrays, resampling, exact lengths."""

import io
from math import gcd
from pathlib import Path

import numpy as np
import pretty_midi
from scipy.io import wavfile
from scipy.signal import resample_poly

SOUNDFONT_PATH = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"


def wav_bytes_to_array(data: bytes) -> tuple[np.ndarray, int]:
    """WAV bytes -> float32 (n, 2) in [-1, 1] and the file's sample rate."""
    rate, samples = wavfile.read(io.BytesIO(data))
    audio = samples.astype(np.float32)  # then scaled in place: no second full-size array
    if samples.dtype == np.int16:
        audio *= np.float32(1 / 32768)  # powers of two: the same bits as dividing
    elif samples.dtype == np.int32:
        audio *= np.float32(1 / 2147483648)
    elif samples.dtype == np.uint8:
        audio -= np.float32(128.0)
        audio *= np.float32(1 / 128)
    if audio.ndim == 1:
        audio = np.stack([audio, audio], axis=1)
    return np.ascontiguousarray(audio[:, :2]), int(rate)


def resample(audio: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    if source_rate == target_rate:
        return audio
    factor = gcd(source_rate, target_rate)
    resampled = resample_poly(audio, target_rate // factor, source_rate // factor, axis=0)
    return resampled.astype(np.float32, copy=False)  # float32 in, float32 out: no copy


def fit_length(audio: np.ndarray, samples: int) -> np.ndarray:
    if len(audio) >= samples:
        return audio[:samples]
    return np.concatenate([audio, np.zeros((samples - len(audio), audio.shape[1]), dtype=audio.dtype)])
