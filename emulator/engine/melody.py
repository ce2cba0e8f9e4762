"""Melody lines: a rhythm per line (one note per syllable) and pitches from a repeated contour motif."""

import random
from collections.abc import Callable

from .harmony import chord_degrees, degree_to_pitch, pitch_to_degree
from .style import text_seed

STEP_CHOICES = (-2, -1, -1, 0, 1, 1, 2, 3, -3)


def line_rhythm(count: int, beats: float, seed: int) -> list[tuple[float, float]]:
    """(start, duration) in beats for `count` notes inside `beats`, ending on a held note and a breath."""
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
    while spare > 0 and count > 1:
        index = rng.randrange(count - 1)
        if rng.random() < 0.6 or index % 2 == 1:
            lengths[index] += 1
            spare -= 1
    out, position = [], start
    for length in lengths:
        out.append((position * grid, length * grid))
        position += length
    return out


def contour(seed: int, length: int) -> list[int]:
    """Scale steps of a motif: an arch that rises then falls, repeated whenever the seed repeats."""
    rng = random.Random(seed)
    steps = []
    for i in range(length):
        step = rng.choice(STEP_CHOICES)
        if i > length * 0.6 and step > 0 and rng.random() < 0.6:
            step = -step
        steps.append(step)
    return steps


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
    """Pitches for a line: the motif's steps, chord tones on strong beats, inside [low, high]."""
    steps = contour(motif_seed, len(rhythm))
    low_degree = pitch_to_degree(low, tonic_pitch, mode) + 1
    high_degree = pitch_to_degree(high, tonic_pitch, mode)
    degree = start_degree
    pitches = []
    for i, (start, _length) in enumerate(rhythm):
        if i:
            degree += steps[i]
        if degree < low_degree:
            degree = low_degree + (low_degree - degree) % 3
        if degree > high_degree:
            degree = high_degree - (degree - high_degree) % 3
        beat = line_start + start
        strong = abs(beat - round(beat)) < 1e-6 and int(round(beat)) % 2 == 0
        last = i == len(rhythm) - 1
        if strong or last:
            tones = chord_degrees(chord_at(beat), key, mode)
            if last and cadence_degree is not None and cadence_degree % 7 in tones:
                tones = {cadence_degree % 7}
            if tones:
                degree = min(
                    (
                        d
                        for d in range(degree - 3, degree + 4)
                        if d % 7 in tones and low_degree <= d <= high_degree
                    ),
                    key=lambda d: (abs(d - degree), d),
                    default=degree,
                )
        pitches.append(degree_to_pitch(degree, tonic_pitch, mode))
    return pitches


def motif_seed(seed: int, kind: str, line_index: int, variant: int = 0) -> int:
    """Lines 1 and 3 of a section share a motif, as do lines 2 and 4; a chorus always repeats its tune."""
    return text_seed("motif", seed, kind, line_index % 2, variant)


def rhythm_seed(seed: int, kind: str, line_index: int, count: int, variant: int = 0) -> int:
    return text_seed("rhythm", seed, kind, line_index % 2, count, variant)
