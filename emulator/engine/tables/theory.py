"""Music theory: note names, scales, chords, Roman degrees, key profiles, melody steps.

Progressions elsewhere are Roman numerals relative to the key's tonic (upper case = major, lower case =
minor, "b" = flattened root, suffixes 7, maj7, m7, 9, sus4, dim, 5).
"""

BEATS_PER_BAR = 4
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
NOTE_ALIASES = {"Db": 1, "D#": 3, "Gb": 6, "G#": 8, "A#": 10, "Cb": 11, "B#": 0, "E#": 5, "Fb": 4}
SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
}
ROMAN_DEGREES = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
CHORD_INTERVALS = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "9": (0, 4, 7, 10, 14),
    "m9": (0, 3, 7, 10, 14),
    "sus4": (0, 5, 7),
    "add9": (0, 4, 7, 14),
    "5": (0, 7, 12),
}

# Krumhansl-Kessler key profiles (tonic first).
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
CELL_STEPS = (1, 1, -1, -1, 2, -2, 0, 3)
SEQUENCE_SHIFTS = (1, 2, -1, 0)
