"""Lyrics: labelled sections, rhyme, the prompt's theme, determinism; reading and syllables."""

import re

import pytest

from emulator import engine
from emulator.engine.lyrics import parse_lyrics, syllables
from emulator.engine.tables.lyric_banks import RHYME_FAMILIES


def _family(line: str) -> str | None:
    last = re.sub(r"[^a-z]", "", line.split()[-1].lower())
    return next((name for name, words in RHYME_FAMILIES.items() if last in words), None)


def test_variations_are_labelled_themed_and_match_their_structure():
    variations = engine.generate_lyrics("a song about friendship and adventure", "pop", n=3, seed=7)
    assert len(variations) == 3
    assert len({v["lyrics"] for v in variations}) == 3
    for variation in variations:
        labels = re.findall(r"^\[(Verse|Chorus|Bridge)", variation["lyrics"], flags=re.MULTILINE)
        assert "-".join(label.lower() for label in labels) == variation["structure"]
        assert "friendship" in variation["lyrics"].lower()


def test_verse_lines_rhyme_in_couplets():
    lyrics = engine.generate_lyrics("summer love", seed=1)[0]["lyrics"]
    verse = parse_lyrics(lyrics)[0][1]
    assert len(verse) == 4
    assert _family(verse[0]) == _family(verse[1]) is not None
    assert _family(verse[2]) == _family(verse[3]) is not None


@pytest.mark.parametrize(
    "prompt",
    ["summer love", "rainy city nights", "beautiful everlasting memories", "loss", "the ocean waves"],
)
def test_every_line_scans_within_a_singable_length(prompt):
    for variation in engine.generate_lyrics(prompt, n=4, seed=2):
        for _, lines in parse_lyrics(variation["lyrics"]):
            for line in lines:
                assert 5 <= len(syllables(line)) <= 12, line


def test_same_seed_same_lyrics_other_seed_other_lyrics():
    first = engine.generate_lyrics("rainy city nights", seed=3)
    assert first == engine.generate_lyrics("rainy city nights", seed=3)
    assert first != engine.generate_lyrics("rainy city nights", seed=4)


def test_sad_prompts_get_dark_lines():
    text = engine.generate_lyrics("sad song about loss", seed=0)[0]["lyrics"]
    assert any(word in text.lower() for word in ("alone", "pain", "rain", "cold", "tears", "broken", "empty"))


@pytest.mark.parametrize("prompt", ["", "   ", "x" * 6000])
def test_bad_prompts_are_refused_clearly(prompt):
    with pytest.raises(ValueError, match="prompt"):
        engine.generate_lyrics(prompt)


def test_reading_a_persons_lyrics():
    sections = parse_lyrics("Verse 1: Walking down the street\nChorus: Life is beautiful\n\nNo label here")
    assert sections == [
        ("verse", ["Walking down the street"]),
        ("chorus", ["Life is beautiful"]),
        ("verse", ["No label here"]),
    ]
    assert parse_lyrics("[Hook]\nla la\n[Bridge]\nhmm") == [("chorus", ["la la"]), ("bridge", ["hmm"])]


def test_syllables():
    assert syllables("dancing tonight") == ["dan", "cing", "to", "night"]
    assert syllables("make") == ["make"]
    assert syllables("夏の海") == ["夏", "の", "海"]
    assert syllables("🎵🎶") == []
