"""The lyrics book: sets kept with prompt, style, variations, edits and time; search, text file, delete."""

import pytest

from lib.lyrics_book import LyricsBook

OWNER, OTHER = "a" * 64, "b" * 64
WORLD = "Café ☕ · Москва · 東京 · שלום · 🎸 <b>bold</b> **stars**"


@pytest.fixture
def book(library, clock):
    return LyricsBook(library, clock=clock)


def variations(*texts):
    return [{"lyrics": text, "structure": "verse-chorus"} for text in texts]


def test_a_set_is_kept_with_everything_intact(book, library, clock):
    kept = book.add(OWNER, WORLD, "chanson 🇫🇷", variations(f"[Verse]\n{WORLD}", "[Chorus]\nla la"))
    again = LyricsBook(library).get(OWNER, kept.set_id)  # a new book on the same database: a later visit
    assert again.prompt == WORLD and again.style == "chanson 🇫🇷"
    assert [again.text(0), again.text(1)] == [f"[Verse]\n{WORLD}", "[Chorus]\nla la"]
    assert again.edits == (None, None)
    assert again.created_at.timestamp() == clock.now


def test_an_edit_is_kept_and_an_edit_back_to_the_original_is_no_edit(book):
    kept = book.add(OWNER, "sea", "", variations("first words", "second words"))
    edited = book.save_edit(OWNER, kept.set_id, 1, "my words ✍️")
    assert edited.text(1) == "my words ✍️" and edited.text(0) == "first words"
    assert book.save_edit(OWNER, kept.set_id, 1, "second words").edits == (None, None)
    with pytest.raises(ValueError, match="no variation 3"):
        book.save_edit(OWNER, kept.set_id, 2, "x")


def test_search_finds_words_of_prompt_style_lyrics_and_edits_newest_first(book, clock):
    first = book.add(OWNER, "friendship", "pop", variations("we ride at dawn"))
    clock.advance(10)
    second = book.add(OWNER, "Москва ночью", "synthwave", variations("огни города"))
    book.save_edit(OWNER, first.set_id, 0, "we ride at dusk 100%")
    book.add(OTHER, "someone else's dawn", "", variations("dawn"))

    def ids(text):
        return [s.set_id for s in book.search(OWNER, text)]

    assert ids("") == [second.set_id, first.set_id]
    assert ids("Москва") == [second.set_id]
    assert ids("огни") == [second.set_id]
    assert ids("dusk") == [first.set_id]
    assert ids("100%") == [first.set_id] and ids("%") == [first.set_id]  # % is a character, not a wildcard
    assert ids("SYNTH") == [second.set_id]
    assert [s.prompt for s in book.search(OTHER, "")] == ["someone else's dawn"]


def test_the_text_file_has_the_prompt_style_and_each_variation_as_it_stands(book):
    kept = book.add(OWNER, WORLD, "", variations("one", "two"))
    kept = book.save_edit(OWNER, kept.set_id, 0, "uno 🎵")
    text = kept.as_txt()
    assert text.startswith(f"Prompt: {WORLD}\nStyle: -\n")
    assert "--- Variation 1 (edited) ---\nuno 🎵" in text and "--- Variation 2 ---\ntwo" in text
    assert text.encode("utf-8").decode("utf-8") == text


def test_delete_removes_only_this_owners_set(book):
    kept = book.add(OWNER, "sea", "", variations("x"))
    assert not book.delete(OTHER, kept.set_id)
    assert book.delete(OWNER, kept.set_id)
    assert book.get(OWNER, kept.set_id) is None
    with pytest.raises(ValueError, match="deleted"):
        book.save_edit(OWNER, kept.set_id, 0, "y")
