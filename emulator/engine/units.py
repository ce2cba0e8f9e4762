"""Unit conversions, each named source_to_target with its units."""

import math

import numpy as np

from .tables.theory import NOTE_ALIASES, NOTE_NAMES


def beats_to_seconds(beats: float, bpm: float) -> float:
    return beats * 60.0 / bpm


def seconds_to_beats(seconds: float, bpm: float) -> float:
    return seconds * bpm / 60.0


def seconds_to_samples(seconds: float, sample_rate: int) -> int:
    return int(round(seconds * sample_rate))


def midi_to_hz(pitch):
    """MIDI note number(s) to frequency in Hz (numbers or numpy arrays)."""
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


def hz_to_midi(hz):
    """Frequency in Hz to (fractional) MIDI note number(s) (numbers or numpy arrays)."""
    return 69.0 + 12.0 * np.log2(np.maximum(hz, 1e-6) / 440.0)


def db_to_gain(db: float) -> float:
    return 10.0 ** (db / 20.0)


def gain_to_db(gain: float) -> float:
    return 20.0 * math.log10(max(gain, 1e-12))


def note_name_to_pitch_class(name: str) -> int:
    """'C' -> 0, 'f#' -> 6, 'Bb' -> 10; ValueError for anything else."""
    cleaned = name.strip()
    cleaned = cleaned[:1].upper() + cleaned[1:].lower().replace("♯", "#").replace("♭", "b")
    if cleaned in NOTE_NAMES:
        return NOTE_NAMES.index(cleaned)
    if cleaned in NOTE_ALIASES:
        return NOTE_ALIASES[cleaned]
    raise ValueError(f"{name!r} is not a key name; use a note name such as C, F# or Bb.")


def pitch_class_to_note_name(pitch_class: int) -> str:
    return NOTE_NAMES[pitch_class % 12]
