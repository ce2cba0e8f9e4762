"""The Personas page in AppTest against the real built-in server: make, list, use, rename, forget, fail."""

from streamlit.testing.v1 import AppTest

from lib.personas import PersonaBook
from lib.text import plain
from tests.app.conftest import APP
from tests.app.helpers import describe, has_songs, library_of, messages, run_until

PAGE = "app_pages/personas.py"
MARKUP = "<b>Bold</b> **Voice** 🎤"


def credits(at: AppTest) -> list[str]:
    return [m.value for m in at.sidebar.metric if m.label == "Credits"]


def song(at: AppTest, data_dir, key: str, text: str = "upbeat pop song about the sea") -> str:
    """Make a 10-second song on Create; its clip id."""
    run_until(describe(at, text=text), has_songs)
    library, owner = library_of(data_dir, key)
    return library.clips_frame(owner)["clip_id"].dropna().iloc[0]


def make_persona(at: AppTest, clip_id: str, name: str) -> AppTest:
    at.switch_page(PAGE).run()
    at.selectbox(key="personas.source.clip").set_value(clip_id).run()
    at.text_input(key="personas.name").set_value(name)
    at.button(key="personas.create.submit").click().run()
    assert not at.exception, at.exception
    return at


def book_of(data_dir, key):
    library, owner = library_of(data_dir, key)
    return PersonaBook(library), owner


def test_a_persona_is_made_listed_in_a_fresh_session_and_sings_a_new_song(open_app, make_key, data_dir):
    key = make_key()
    at = open_app(key)
    clip_id = song(at, data_dir, key)
    make_persona(at, clip_id, MARKUP)
    assert any("300" in c.value or "5 minutes" in c.value for c in at.caption)
    assert credits(at) == ["940"]  # 10 for the song, 50 for the persona
    book, owner = book_of(data_dir, key)
    run_until(at, lambda _: book.all(owner))
    ready = [s.value for s in at.success if "is ready" in s.value]
    assert ready == [plain("“Persona <b>Bold</b> **Voice** 🎤” is ready.")], messages(at)  # shown as typed
    (persona,) = book.all(owner)
    assert persona.name == MARKUP and persona.source_clip_id == clip_id

    again = AppTest.from_file(APP, default_timeout=60)  # a new session on the same account
    again.secrets.update(at.secrets)
    again.run()
    again.switch_page(PAGE).run()
    assert not again.exception
    assert any(t.value == MARKUP for t in again.text), "the persona's name is plain text on its card"
    assert not any("<b>" in m.value or "**Voice**" in m.value for m in (*again.markdown, *again.caption))
    assert again.get("audio"), "the card plays the source"

    again.button(key=f"personas.card.{persona.persona_id}.use").click().run()
    assert again.selectbox(key="personas.chosen").value == persona.persona_id
    again.text_area(key="personas.description").set_value("slow ballad about trains")
    again.slider(key="personas.duration").set_value(10)
    again.button(key="personas.music.submit").click().run()
    assert not again.exception
    run_until(again, lambda _: book.songs(owner, persona.persona_id))
    (made,) = book.songs(owner, persona.persona_id)
    again.run()
    assert len(again.get("audio")) >= 3, "source beside the new song, and the card's source player"
    assert any(b.key == f"personas.made.{made}.mp3" for b in again.get("download_button"))


def test_rename_and_forget_are_local(open_app, make_key, data_dir):
    key = make_key()
    book, owner = book_of(data_dir, key)
    book.add(owner, "persona_local", "Old name", source_clip_id=None, task_id=None)
    at = open_app(key).switch_page(PAGE).run()
    card = "personas.card.persona_local"
    at.text_input(key=f"{card}.name").set_value("New name ✨")
    at.button(key=f"{card}.rename").click().run()
    assert book.get(owner, "persona_local").name == "New name ✨"
    at.text_input(key=f"{card}.name").set_value("   ")
    at.button(key=f"{card}.rename").click().run()
    assert any("Give the persona a name" in w.value for w in at.warning), messages(at)
    book.add(owner, "persona_other", "Other", source_clip_id=None, task_id=None)
    at.run()
    at.button(key=f"{card}.use").click().run()
    assert at.selectbox(key="personas.chosen").value == "persona_local"
    at.button(key=f"{card}.forget").click().run()  # the chosen one: the form falls back to another
    assert not at.exception
    assert at.selectbox(key="personas.chosen").value == "persona_other"
    at.button(key="personas.card.persona_other.forget").click().run()
    assert book.all(owner) == []
    assert any("No personas yet" in i.value for i in at.info)


def test_a_persona_the_server_does_not_know_is_marked_not_crashed_on(
    open_app, make_key, data_dir, client_for
):
    key = make_key()
    book, owner = book_of(data_dir, key)
    book.add(owner, "persona_gone", "Ghost", source_clip_id=None, task_id=None)
    at = open_app(key).switch_page(PAGE).run()
    at.text_area(key="personas.description").set_value("pop")
    at.button(key="personas.music.submit").click().run()
    assert not at.exception
    assert any("no longer knows the persona “Ghost”" in e.value for e in at.error), messages(at)
    assert any("no longer knows this persona" in w.value for w in at.warning)
    assert book.get(owner, "persona_gone").missing
    assert client_for(key).get_credits().used == 0
    at.run()
    assert at.button(key="personas.card.persona_gone.use").disabled
    assert any("appear here once one is made" in i.value for i in at.info)


def test_missing_input_is_named_before_anything_is_sent(open_app, make_key, data_dir, client_for):
    key = make_key()
    at = open_app(key).switch_page(PAGE).run()
    at.button(key="personas.create.submit").click().run()
    assert any("add a song and add a name" in w.value for w in at.warning), messages(at)
    book, owner = book_of(data_dir, key)
    book.add(owner, "persona_x", "X", source_clip_id=None, task_id=None)
    at.run()
    at.button(key="personas.music.submit").click().run()
    assert any("add a description or lyrics" in w.value for w in at.warning), messages(at)
    assert client_for(key).get_credits().used == 0


def test_a_persona_of_a_song_without_voice_fails_and_the_credits_come_back(open_app, make_key, data_dir):
    key = make_key()
    at = open_app(key)
    clip_id = song(at, data_dir, key, text="instrumental ambient pads, no vocals")
    make_persona(at, clip_id, "Nobody")
    run_until(at, lambda a: any("failed" in e.value for e in a.error))
    assert any("instrumental" in e.value for e in at.error), messages(at)
    assert credits(at) == ["990"]
    book, owner = book_of(data_dir, key)
    assert book.all(owner) == []


def test_a_clip_cards_persona_action_opens_the_page_on_that_song(open_app, make_key, data_dir):
    key = make_key()
    at = open_app(key)
    clip_id = song(at, data_dir, key)
    at.button(key=f"create.latest.{clip_id}.open.personas").click().run()
    assert not at.exception
    assert at.selectbox(key="personas.source.clip").value == clip_id
