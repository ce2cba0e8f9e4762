"""Chords and scales: Roman numerals to pitches, scale degrees to pitches, voice leading."""

import re
from functools import lru_cache

from .tables.theory import CHORD_INTERVALS, ROMAN_DEGREES, SCALES

ROMAN_RE = re.compile(r"^(b|#)?(vii|iii|ii|iv|vi|v|i)(maj7|m7|m9|7|9|sus4|add9|dim|5)?$", re.IGNORECASE)


@lru_cache(maxsize=512)
def parse_roman(numeral: str) -> tuple[int, tuple[int, ...]]:
    """'bVI' -> (8, (0, 4, 7)); 'ii7' -> (2, (0, 3, 7, 10)): root semitones above the tonic, intervals."""
    match = ROMAN_RE.match(numeral.strip())
    if not match:
        raise ValueError(f"{numeral!r} is not a chord numeral such as I, vi, bVII or ii7.")
    accidental, roman, suffix = match.groups()
    root = ROMAN_DEGREES[roman.lower()] + {"b": -1, "#": 1}.get(accidental or "", 0)
    minor = roman.islower()
    if suffix is None:
        quality = "min" if minor else "maj"
    elif suffix == "7":
        quality = "m7" if minor else "7"
    elif suffix == "9":
        quality = "m9" if minor else "9"
    elif suffix in ("m7", "m9", "maj7", "sus4", "add9", "dim", "5"):
        quality = suffix
    if quality == "maj7" and minor:
        quality = "m7"
    return root % 12, CHORD_INTERVALS[quality]


def chord_pitch_classes(numeral: str, key: int) -> list[int]:
    root, intervals = parse_roman(numeral)
    return [(key + root + i) % 12 for i in intervals]


def chord_root(numeral: str, key: int) -> int:
    return (key + parse_roman(numeral)[0]) % 12


def nearest_pitch(pitch_class: int, target: float) -> int:
    """The MIDI pitch of this pitch class closest to target."""
    base = int(round(target)) - 6
    return base + (pitch_class - base) % 12


def voice_chord(
    numeral: str, key: int, center: float, previous: list[int] | None = None, size: int = 4
) -> list[int]:
    """A close voicing near center; the inversion that moves least from the previous voicing."""
    classes = chord_pitch_classes(numeral, key)
    unique = list(dict.fromkeys(classes))
    tones = [unique[i % len(unique)] for i in range(max(size, len(unique)))][:size]
    best, best_cost = None, None
    for inversion in range(len(tones)):
        order = tones[inversion:] + tones[:inversion]
        pitches = [nearest_pitch(order[0], center - 5)]
        for pc in order[1:]:
            pitches.append(pitches[-1] + ((pc - pitches[-1]) % 12 or 12))
        mean = sum(pitches) / len(pitches)
        cost = abs(mean - center)
        if previous:
            cost = (
                cost * 0.5
                + sum(abs(a - b) for a, b in zip(sorted(pitches), sorted(previous), strict=False)) / size
            )
        if best_cost is None or cost < best_cost:
            best, best_cost = pitches, cost
    return best


def degree_to_pitch(degree: int, tonic_pitch: int, mode: str) -> int:
    """Scale degree (0 = tonic, 7 = tonic an octave up, negative below) to a MIDI pitch."""
    scale = SCALES[mode]
    octave, step = divmod(degree, len(scale))
    return tonic_pitch + 12 * octave + scale[step]


def pitch_to_degree(pitch: int, tonic_pitch: int, mode: str) -> int:
    """The scale degree nearest to a pitch (rounding down for notes between degrees)."""
    scale = SCALES[mode]
    octave, rest = divmod(pitch - tonic_pitch, 12)
    step = max(i for i, s in enumerate(scale) if s <= rest)
    return octave * len(scale) + step


def chord_degrees(numeral: str, key: int, mode: str) -> set[int]:
    """Scale steps (0-6) whose pitch class belongs to the chord."""
    classes = set(chord_pitch_classes(numeral, key))
    return {i for i, s in enumerate(SCALES[mode]) if (key + s) % 12 in classes}
