"""Reading lyrics: their structure (verse-chorus-...), lines and syllables, in any script; a .txt for them.

Syllables are estimated, the way a songwriter counts them: vowel groups in alphabetic scripts (accents
folded, Latin, Greek, Cyrillic), one per character in Chinese, Japanese and Korean, and about one per two
letters in scripts that write few vowels (Arabic, Hebrew). Section headers ("[Chorus]", "Verse 1:") name
the structure and are not sung lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SECTION_NAMES = ("intro", "verse", "pre-chorus", "prechorus", "chorus", "bridge", "hook", "outro", "refrain")
_HEADER = re.compile(r"^\s*\[?\s*(" + "|".join(SECTION_NAMES) + r")\b[^\]:]*?(?:\]|:)\s*(.*)$", re.IGNORECASE)
_VOWELS = set("aeiouyæøœåäöüéèêëáàâíìîïóòôúùûýÿαεηιουωάέήίόύώаеёиоуыэюяіїєў")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


@dataclass(frozen=True)
class LyricsStats:
    structure: str  # "verse-chorus-verse-chorus"; "" when no section is named
    lines: int  # sung lines (headers and blank lines not counted)
    syllables: int
    syllables_per_line: tuple[int, ...]


def clamp(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to `limit` characters, and whether it had to be."""
    return (text[:limit], True) if len(text) > limit else (text, False)


def _word_syllables(word: str) -> int:
    wide = len(_WIDE.findall(word))
    if wide:  # one syllable per character; any letters of other scripts in the same word counted apart
        return wide + sum(_word_syllables(rest) for rest in _WIDE.split(word) if rest)
    lowered = word.lower()
    groups, previous = 0, False
    for char in lowered:
        vowel = char in _VOWELS or unicodedata.normalize("NFD", char)[0] in _VOWELS
        groups += vowel and not previous
        previous = vowel
    if groups == 0:
        letters = sum(c.isalpha() for c in word)
        return max(1, round(letters / 2)) if letters else 0
    if groups > 1 and lowered.endswith("e") and not lowered.endswith(("le", "ee")) and lowered.isascii():
        groups -= 1  # a silent final e: "love", "make"
    return groups


def count_syllables(line: str) -> int:
    """Estimated sung syllables of one line."""
    return sum(_word_syllables(word) for word in _WORD.findall(line))


def analyse(lyrics: str) -> LyricsStats:
    """Structure, sung lines and syllables of a lyrics text."""
    sections: list[str] = []
    per_line: list[int] = []
    for raw in (lyrics or "").splitlines():
        header = _HEADER.match(raw)
        line = raw
        if header:
            sections.append(header.group(1).lower().replace("prechorus", "pre-chorus"))
            line = header.group(2)
        if line.strip():
            per_line.append(count_syllables(line))
    return LyricsStats("-".join(sections), len(per_line), sum(per_line), tuple(per_line))


def summary(stats: LyricsStats) -> str:
    """One line for a person: "verse-chorus · 8 lines · 64 syllables (8 a line)"."""
    parts = [stats.structure or "no sections named", f"{stats.lines} lines", f"{stats.syllables} syllables"]
    if stats.lines:
        parts[-1] += f" ({stats.syllables / stats.lines:.0f} a line)"
    return " · ".join(parts)
