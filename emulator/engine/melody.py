"""Melody lines: a rhythm per line (one note per syllable) and pitches from a repeated contour motif."""

import random
from collections.abc import Callable

from .harmony import chord_degrees, degree_to_pitch, pitch_to_degree
from .style import text_seed
from .tables.theory import CELL_STEPS, SEQUENCE_SHIFTS


def line_rhythm(
    count: int, beats: float, seed: int, word_ends: list[bool] | None = None
) -> list[tuple[float, float]]:
    """(start, duration) in beats for `count` notes inside `beats`, ending on a held note and a breath.

    Spare time goes mostly to the last syllable of a word, as speech lengthens word endings.
    """
    if count <= 0:
        return []
    rng = random.Random(seed)
    usable = beats - 0.5
    grid = 0.5 if count <= usable / 0.5 else 0.25
    slots = max(count, int(usable / grid))
    start = 1 if slots - count >= 3 and rng.random() < 0.4 else 0
    lengths = [1] * count
    spare = slots - start - count
    held = min(spare, max(1, spare // 3), int(2 / grid))
    lengths[-1] += held
    spare -= held
    endings = [i for i in range(count - 1) if word_ends and i < len(word_ends) and word_ends[i]]
    while spare > 0 and count > 1:
        index = rng.choice(endings) if endings and rng.random() < 0.8 else rng.randrange(count - 1)
        lengths[index] += 1
        spare -= 1
    out, position = [], start
    for length in lengths:
        out.append((position * grid, length * grid))
        position += length
    return out


def motif_cell(seed: int, length: int = 4) -> list[int]:
    """Offsets (in scale steps) of a short motif; the same seed always gives the same motif."""
    rng = random.Random(seed)
    offsets = [0]
    while len(offsets) < length:
        step = rng.choice(CELL_STEPS)
        if abs(offsets[-1] + step) <= 4:
            offsets.append(offsets[-1] + step)
    return offsets


def _fold(degree: int, low: int, high: int) -> int:
    while degree < low or degree > high:
        degree = 2 * low - degree if degree < low else 2 * high - degree
    return degree


def line_pitches(
    rhythm: list[tuple[float, float]],
    line_start: float,
    chord_at: Callable[[float], str],
    key: int,
    mode: str,
    tonic_pitch: int,
    low: int,
    high: int,
    motif_seed: int,
    start_degree: int,
    cadence_degree: int | None,
) -> list[int]:
    """Pitches for a line: a motif stated, restated a step away, stated again; chord tones on strong
    beats; a stepwise approach to the cadence; all inside [low, high]."""
    count = len(rhythm)
    cell = motif_cell(motif_seed, 4 if count >= 6 else 3)
    shift = random.Random(motif_seed + 1).choice(SEQUENCE_SHIFTS)
    low_degree = pitch_to_degree(low, tonic_pitch, mode) + 1
    high_degree = max(low_degree + 4, pitch_to_degree(high, tonic_pitch, mode))
    degrees = []
    for i in range(count):
        block, position = divmod(i, len(cell))
        degrees.append(start_degree + cell[position] + (shift if block % 2 == 1 else 0))
    if cadence_degree is not None and count >= 2:
        previous = degrees[-2]
        target = min((cadence_degree + 7 * o for o in range(-2, 3)), key=lambda d: abs(d - previous))
        degrees[-1] = target
        if count >= 3 and abs(degrees[-2] - target) > 2:
            degrees[-2] = target + (1 if degrees[-2] > target else -1)
    pitches = []
    for i, (start, _length) in enumerate(rhythm):
        degree = _fold(degrees[i], low_degree, high_degree)
        beat = line_start + start
        strong = abs(beat - round(beat)) < 1e-6 and int(round(beat)) % 2 == 0
        if strong and not (i == count - 1 and cadence_degree is not None):
            tones = chord_degrees(chord_at(beat), key, mode)
            if degree % 7 not in tones:
                near = [
                    d for d in (degree - 1, degree + 1) if d % 7 in tones and low_degree <= d <= high_degree
                ]
                if near:
                    degree = near[0]
        pitches.append(degree_to_pitch(degree, tonic_pitch, mode))
    return pitches


def motif_seed(seed: int, kind: str, line_index: int, variant: int = 0) -> int:
    """Lines 1 and 3 of a section share a motif, as do lines 2 and 4; a chorus always repeats its tune."""
    return text_seed("motif", seed, kind, line_index % 2, variant)


def rhythm_seed(seed: int, kind: str, line_index: int, count: int, variant: int = 0) -> int:
    return text_seed("rhythm", seed, kind, line_index % 2, count, variant)
