"""Counting lyrics: structure from section headers, sung lines, syllables in many scripts."""

import pytest

from lib.lyrics_text import analyse, clamp, count_syllables, summary

SONG = """[Verse 1]
Walking down the street
Life is beautiful

Chorus: Oh oh oh
[Bridge]
Été ensoleillé
"""


@pytest.mark.parametrize(
    ("line", "syllables"),
    [
        ("Walking down the street", 5),
        ("Life is beautiful", 5),
        ("I love you", 3),
        ("Été ensoleillé", 6),  # accents folded: é is a vowel
        ("любовь и море", 5),  # Cyrillic vowels
        ("我爱你中国", 5),  # one syllable per character
        ("ありがとう", 5),
        ("사랑해요", 4),
        ("שלום עולם", 4),  # few written vowels: about one per two letters
        ("party 🎉 time!", 3),  # emoji and punctuation are not sung
        ("", 0),
    ],
)
def test_syllables_are_counted_in_many_scripts(line, syllables):
    assert count_syllables(line) == syllables


def test_structure_lines_and_syllables_come_from_headers_and_sung_lines():
    stats = analyse(SONG)
    assert stats.structure == "verse-chorus-bridge"
    assert stats.lines == 4  # headers and blank lines are not sung; "Chorus: Oh oh oh" is
    assert stats.syllables_per_line == (5, 5, 3, 6)
    assert stats.syllables == 19
    assert summary(stats) == "verse-chorus-bridge · 4 lines · 19 syllables (5 a line)"


def test_lyrics_without_headers_have_no_named_structure():
    stats = analyse("one line\nanother line")
    assert (stats.structure, stats.lines) == ("", 2)
    assert summary(analyse("")) == "no sections named · 0 lines · 0 syllables"


def test_clamp_says_whether_it_cut():
    assert clamp("x" * 10_000, 500) == ("x" * 500, True)
    assert clamp("привет 👋", 500) == ("привет 👋", False)
