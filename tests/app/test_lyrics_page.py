"""The Lyrics page in AppTest against the real built-in server: write, edit, keep, find, use in Create."""

import pytest
from streamlit.testing.v1 import AppTest

from lib.lyrics_book import LyricsBook
from tests.app.conftest import APP
from tests.app.helpers import library_of, messages

PAGE = "app_pages/lyrics.py"
WORLD = "Café ☕ Москва 東京 שלום 🎸"  # accents, Cyrillic, CJK, right-to-left, emoji


def credits(at: AppTest) -> list[str]:
    return [m.value for m in at.sidebar.metric if m.label == "Credits"]


def lyrics_page(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def write(at: AppTest, prompt: str, style: str = "", count: int = 2) -> AppTest:
    at.text_area(key="lyrics.prompt").set_value(prompt)
    at.text_input(key="lyrics.style").set_value(style)
    at.number_input(key="lyrics.count").set_value(count)
    at.button(key="lyrics.generate").click().run()
    assert not at.exception, at.exception
    return at


def editors(at: AppTest) -> list:
    return [t for t in at.text_area if str(t.key).startswith("lyrics.edit.")]


def book_of(data_dir, key):
    library, owner = library_of(data_dir, key)
    return LyricsBook(library), owner


def test_writing_shows_the_variations_side_by_side_with_counts_and_keeps_them(open_app, make_key, data_dir):
    key = make_key()
    at = write(lyrics_page(open_app(key)), f"a song about {WORLD}", style="chanson 🇫🇷", count=3)
    assert credits(at) == ["995"]
    book, owner = book_of(data_dir, key)
    (kept,) = book.search(owner)
    assert kept.prompt == f"a song about {WORLD}" and kept.style == "chanson 🇫🇷"
    assert len(kept.variations) == 3
    shown = editors(at)
    assert [t.value for t in shown] == [kept.text(i) for i in range(3)]
    counts = [c.value for c in at.caption if " lines · " in c.value]
    assert len(counts) == 3 and all("syllables" in c and "verse" in c for c in counts), counts
    assert any(WORLD in t.value for t in at.text), "the prompt is listed as plain text"


def test_an_edit_is_kept_and_a_fresh_session_finds_it_by_search(open_app, make_key, data_dir):
    key = make_key()
    at = write(lyrics_page(open_app(key)), "friendship and adventure", count=1)
    (editor,) = editors(at)
    edited = editor.value.replace("\n", f"\nUn vers à moi {WORLD}\n", 1)
    editor.set_value(edited).run()
    assert not at.exception
    book, owner = book_of(data_dir, key)
    (kept,) = book.search(owner)
    assert kept.text(0) == edited and kept.edits[0] == edited

    again = lyrics_page(open_app(key))  # a new browser session on the same account
    again.text_input(key="lyrics.search").set_value("Москва").run()
    assert any("friendship and adventure" in t.value for t in again.text)
    assert any("1 edited" in c.value for c in again.caption)
    again.button(key=f"lyrics.open.{kept.set_id}").click().run()
    assert [t.value for t in editors(again)] == [edited]
    again.text_input(key="lyrics.search").set_value("no such words").run()
    assert any("No lyrics match" in i.value for i in again.info)


def test_use_these_lyrics_opens_create_with_lyrics_style_and_title_filled(open_app, make_key):
    at = write(lyrics_page(open_app(make_key())), f"sea and {WORLD}", style="indie folk", count=2)
    second = editors(at)[1]
    words = second.value.replace("\n", f"\nMa ligne {WORLD}\n", 1)
    second.set_value(words).run()
    set_id = str(second.key).split(".")[2]
    at.button(key=f"lyrics.use.{set_id}.1").click().run()
    assert not at.exception
    assert at.radio(key="create.mode").value == "My lyrics and style"
    assert at.text_area(key="create.lyrics").value == words.strip()
    assert at.text_input(key="create.style").value == "indie folk"
    assert at.text_input(key="create.title").value == f"sea and {WORLD}"


def test_use_with_a_persona_takes_the_lyrics_to_personas(open_app, make_key):
    at = write(lyrics_page(open_app(make_key())), "rain on the roof", count=1)
    (editor,) = editors(at)
    set_id, words = str(editor.key).split(".")[2], editor.value
    at.button(key=f"lyrics.persona.{set_id}.0").click().run()
    assert not at.exception
    assert at.session_state["personas.lyrics"] == words.strip()
    assert any(t.value == "Personas" for t in at.title)


def test_delete_removes_a_set(open_app, make_key, data_dir):
    key = make_key()
    at = write(lyrics_page(open_app(key)), "a set to delete", count=1)
    book, owner = book_of(data_dir, key)
    (kept,) = book.search(owner)
    at.button(key=f"lyrics.delete.{kept.set_id}").click().run()
    assert not at.exception
    assert book.search(owner) == [] and not editors(at)
    assert any("Lyrics you write are kept here" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [("   ", "say what the song is about"), ("x" * 10_000, "limit of 500 characters")],
)
def test_an_empty_or_oversized_prompt_is_refused_with_a_sentence_and_not_sent(
    open_app, make_key, client_for, data_dir, prompt, expected
):
    key = make_key()
    at = write(lyrics_page(open_app(key)), prompt)
    assert any(expected in w.value for w in at.warning), messages(at)
    assert client_for(key).get_credits().used == 0
    book, owner = book_of(data_dir, key)
    assert book.search(owner) == []
    if len(prompt) > 500:
        assert len(at.text_area(key="lyrics.prompt").value) == 500  # clamped, kept for the person to check
        at.button(key="lyrics.generate").click().run()  # the next click sends what is left
        assert [len(s.prompt) for s in book.search(owner)] == [500]


def test_markup_in_prompt_and_lyrics_is_shown_as_plain_text(open_app, make_key):
    markup = "<b>bold</b> **stars** [link](http://example.invalid)"
    at = write(lyrics_page(open_app(make_key())), markup, count=1)
    assert any(markup in t.value for t in at.text)
    assert not any("<b>" in m.value or "**stars**" in m.value for m in at.markdown)
    (editor,) = editors(at)
    editor.set_value(f"[Verse]\n{markup}").run()
    assert not at.exception
    assert not any("<b>" in m.value for m in (*at.markdown, *at.caption))


def test_a_fresh_built_in_session_on_the_same_workspace_finds_the_lyrics(open_app):
    at = lyrics_page(open_app())
    workspace = at.query_params["ws"]
    workspace = workspace[0] if isinstance(workspace, list) else workspace
    write(at, f"workspace {WORLD}", count=1)
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["ws"] = workspace
    again.run()
    lyrics_page(again)
    assert any(f"workspace {WORLD}" in t.value for t in again.text)
