"""MIDI -> audio with midirenderer and the General MIDI soundfont shipped in pretty_midi."""

import io
from functools import lru_cache
from math import gcd
from pathlib import Path

import midirenderer
import numpy as np
import pretty_midi
from scipy.io import wavfile
from scipy.signal import resample_poly

from .midi import arrangement_to_midi
from .model import Arrangement, Track
from .units import seconds_to_samples

SOUNDFONT_PATH = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"


@lru_cache(maxsize=1)
def soundfont_bytes() -> bytes:
    return SOUNDFONT_PATH.read_bytes()


def wav_bytes_to_array(data: bytes) -> tuple[np.ndarray, int]:
    """WAV bytes -> float32 (n, 2) in [-1, 1] and the file's sample rate."""
    rate, samples = wavfile.read(io.BytesIO(data))
    if samples.dtype == np.int16:
        audio = samples.astype(np.float32) / 32768.0
    elif samples.dtype == np.int32:
        audio = samples.astype(np.float32) / 2147483648.0
    elif samples.dtype == np.uint8:
        audio = (samples.astype(np.float32) - 128.0) / 128.0
    else:
        audio = samples.astype(np.float32)
    if audio.ndim == 1:
        audio = np.stack([audio, audio], axis=1)
    return np.ascontiguousarray(audio[:, :2]), int(rate)


def resample(audio: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    if source_rate == target_rate:
        return audio
    factor = gcd(source_rate, target_rate)
    return resample_poly(audio, target_rate // factor, source_rate // factor, axis=0).astype(np.float32)


def fit_length(audio: np.ndarray, samples: int) -> np.ndarray:
    if len(audio) >= samples:
        return audio[:samples]
    return np.concatenate([audio, np.zeros((samples - len(audio), audio.shape[1]), dtype=audio.dtype)])


def render_midi(midi: bytes, sample_rate: int) -> np.ndarray:
    """Synthesize MIDI bytes: float32 (n, 2) at sample_rate (the renderer itself works at 48 kHz)."""
    audio, rate = wav_bytes_to_array(midirenderer.render_wave_from(soundfont_bytes(), midi))
    return resample(audio, rate, sample_rate)


def render_tracks(
    arrangement: Arrangement,
    sample_rate: int,
    tracks: list[Track] | None = None,
    seconds: float | None = None,
) -> np.ndarray:
    """Raw (unmastered) audio of the chosen tracks, exactly `seconds` long (default: the arrangement's)."""
    seconds = arrangement.duration if seconds is None else seconds
    midi = arrangement_to_midi(arrangement, tracks, end_seconds=seconds + 0.05)
    return fit_length(render_midi(midi, sample_rate), seconds_to_samples(seconds, sample_rate))
