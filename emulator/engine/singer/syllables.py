"""From eSpeak's phonemes to sung units: each unit is one syllable (or a few, on a short note) on its notes.

A syllable is onset consonants, a vowel nucleus and coda consonants. The composer gave each word of the
line as many notes as it counted syllables in the spelling; eSpeak may hear more (numbers, "Dr.") or
fewer, so a word's spoken syllables are shared out over its notes: extra syllables are sung quickly on
one note, extra notes hold the vowel over a melisma.
"""

from dataclasses import dataclass

from .espeak import Phoneme

VOWEL_CHARS = set("aeiouyAEIOUVY@0369&8")
STRESS_MARKS = "'\",%=!"


@dataclass
class Syllable:
    onset: tuple[int, int]  # source samples
    vowel: tuple[int, int]
    coda: tuple[int, int]


@dataclass
class Unit:
    """What is sung on `notes` (indices into the line's notes): source spans of its sounds."""

    notes: list[int]
    onset: tuple[int, int]
    vowel: tuple[int, int]
    coda: tuple[int, int]


def is_pause(name: str) -> bool:
    return name.startswith("_")


def is_vowel(name: str) -> bool:
    core = name.lstrip(STRESS_MARKS)
    return bool(core) and (core[0] in VOWEL_CHARS or (len(core) > 1 and core.endswith("-")))


def word_syllables(phonemes: list[Phoneme]) -> list[Syllable]:
    """Split one word's phonemes at its vowels; a consonant between two vowels starts the second syllable."""
    sounds = [p for p in phonemes if not is_pause(p.name)]
    if not sounds:
        return []
    nuclei = [i for i, p in enumerate(sounds) if is_vowel(p.name)]
    if not nuclei:  # "hmm", "shh": the longest sound carries the note
        longest = max(range(len(sounds)), key=lambda i: sounds[i].end - sounds[i].start)
        nuclei = [longest]
    out = []
    for number, nucleus in enumerate(nuclei):
        first = 0 if number == 0 else _onset_start(sounds, nuclei[number - 1], nucleus)
        last = len(sounds) if number == len(nuclei) - 1 else _onset_start(sounds, nucleus, nuclei[number + 1])
        out.append(
            Syllable(
                onset=(sounds[first].start, sounds[nucleus].start),
                vowel=(sounds[nucleus].start, sounds[nucleus].end),
                coda=(
                    sounds[nucleus].end,
                    sounds[last - 1].end if last > nucleus + 1 else sounds[nucleus].end,
                ),
            )
        )
    return out


def _onset_start(sounds: list[Phoneme], previous: int, nucleus: int) -> int:
    """Index where the next syllable begins: the last consonant before its vowel (if any) is its onset."""
    return nucleus - 1 if nucleus - previous > 1 else nucleus


def units_for_words(word_phonemes: list[list[Phoneme]], notes_per_word: list[int]) -> list[Unit]:
    """Share each word's spoken syllables over its notes, in order; a silent word extends the last vowel."""
    units: list[Unit] = []
    note = 0
    for phonemes, count in zip(word_phonemes, notes_per_word, strict=True):
        notes = list(range(note, note + count))
        note += count
        if not notes:
            continue
        spoken = word_syllables(phonemes)
        if not spoken:
            if units:
                units[-1].notes.extend(notes)
            continue
        for group_notes, group in _share(notes, spoken):
            # several syllables on one note: the sounds between their vowels are sung quickly, as vowel
            units.append(
                Unit(group_notes, group[0].onset, (group[0].vowel[0], group[-1].vowel[1]), group[-1].coda)
            )
    return units


def _share(notes: list[int], spoken: list[Syllable]) -> list[tuple[list[int], list[Syllable]]]:
    """Pair notes with syllables: several syllables on one note, or one syllable held over several notes."""
    if len(spoken) >= len(notes):
        groups, start = [], 0
        for index, _ in enumerate(notes):
            size = len(spoken) // len(notes) + (1 if index < len(spoken) % len(notes) else 0)
            groups.append(([notes[index]], spoken[start : start + size]))
            start += size
        return groups
    pairs, start = [], 0
    for index, syllable in enumerate(spoken):
        size = len(notes) // len(spoken) + (1 if index >= len(spoken) - len(notes) % len(spoken) else 0)
        pairs.append((notes[start : start + size], [syllable]))
        start += size
    return pairs
