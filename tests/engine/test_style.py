"""Reading a description: genre, mood, tempo, key, instruments; odd text falls back to defaults."""

import pytest

from emulator.engine.harmony import parse_roman
from emulator.engine.style import detect_instruments, parse_style
from emulator.engine.units import beats_to_seconds, note_name_to_pitch_class, seconds_to_beats


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("upbeat pop song about summer", "pop"),
        ("dark trap beat", "hiphop"),
        ("128 bpm house track", "edm"),
        ("jazz version with piano", "jazz"),
        ("epic orchestral soundtrack with choir", "cinematic"),
        ("lo-fi study beat", "lofi"),
        ("ambient meditation", "ambient"),
        ("acoustic folk ballad", "folk"),
        ("country road song", "country"),
        ("neo soul groove", "rnb"),
        ("thrash metal", "metal"),
        ("roots reggae", "reggae"),
        ("salsa night", "latin"),
        ("delta blues", "blues"),
        ("indie rock anthem", "rock"),
        ("string quartet, classical", "classical"),
    ],
)
def test_genre_words_pick_the_genre(text, genre):
    assert parse_style(text).genre == genre


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("sad piano ballad about loss", "minor"),
        ("dark ominous synthwave", "minor"),
        ("happy sunny pop song", "major"),
        ("romantic wedding song", "major"),
        ("happy song in D minor", "minor"),
        ("sad song in E major", "major"),
    ],
)
def test_mode_follows_mood_words_unless_a_key_is_named(text, mode):
    assert parse_style(text).mode == mode


def test_explicit_tempo_and_key_win():
    style = parse_style("rock song at 97 bpm in F# minor")
    assert style.tempo == 97.0
    assert (style.key, style.mode) == (6, "minor")
    assert parse_style("ballad in Bb major").key == 10


def test_mood_moves_the_implied_tempo():
    assert parse_style("sad calm pop song").tempo < parse_style("energetic upbeat pop song").tempo


def test_named_instruments_are_found_longest_first():
    found = [
        (word, stem) for word, stem, _ in detect_instruments(" acoustic guitar with piano, strings and 808 ")
    ]
    assert found == [
        ("acoustic guitar", "guitar"),
        ("piano", "piano"),
        ("strings", "strings"),
        ("808", "bass"),
    ]
    style = parse_style("folk song with banjo and flute")
    assert {"guitar", "other"} <= set(style.named_instruments)
    assert any(p.program == 105 for p in style.parts) and any(p.program == 73 for p in style.parts)


@pytest.mark.parametrize(
    "text", ["", "🎸🔥💃 " * 50, "夏の海の歌", "песня о лете", "x" * 5000, "in a minor way 9999 bpm"]
)
def test_odd_text_falls_back_to_defaults(text):
    style = parse_style(text)
    assert 40 <= style.tempo <= 220 and style.parts


def test_instrumental_words_remove_the_voice():
    assert parse_style("instrumental lofi beat").voice_gender is None
    assert parse_style("pop song", voice_gender="male").voice_gender == "male"
    with pytest.raises(ValueError, match="voice"):
        parse_style("pop", voice_gender="robot")


def test_unit_conversions_and_chords_have_known_values():
    assert beats_to_seconds(4, 120) == 2.0
    assert seconds_to_beats(1.5, 80) == 2.0
    assert note_name_to_pitch_class("f#") == 6 and note_name_to_pitch_class("Bb") == 10
    assert parse_roman("bVI") == (8, (0, 4, 7))
    assert parse_roman("ii7") == (2, (0, 3, 7, 10))
    with pytest.raises(ValueError):
        parse_roman("IX")
