"""The Create page's singer choice (built-in engine): sung words by default with lyrics, else wordless."""

from tests.app.helpers import has_songs, library_of, messages, run_until

SUNG, WORDLESS = "Sung words (synthetic voice)", "Wordless voice"


def test_the_page_says_plainly_what_the_singer_is(open_app):
    at = open_app()
    captions = " ".join(c.value for c in at.caption)
    assert "synthetic voice that sings your words" in captions
    assert "does not pronounce" not in captions


def test_sung_words_are_the_default_when_there_are_lyrics(open_app):
    at = open_app()
    assert at.radio(key="create.suno_singing").value == SUNG
    at.toggle(key="create.auto_lyrics").set_value(False).run()
    assert at.radio(key="create.suno_singing_no_lyrics").value == WORDLESS
    at.radio(key="create.mode").set_value("My lyrics and style").run()
    assert at.radio(key="create.lyrics_singing").value == SUNG


def test_the_choice_is_the_built_in_engines_only(open_app, make_key):
    at = open_app(make_key())  # an API account: the hosted API has no such field
    assert "create.suno_singing" not in [r.key for r in at.radio]


def test_the_wordless_voice_is_sent_with_the_song_and_it_arrives(open_app, data_dir):
    at = open_app()
    at.radio(key="create.mode").set_value("My lyrics and style").run()
    at.text_area(key="create.lyrics").set_value("Walking down the street")
    at.text_input(key="create.style").set_value("folk")
    at.radio(key="create.lyrics_singing").set_value(WORDLESS).run()
    at.button(key="create.submit").click().run()
    assert not at.exception and not at.error, messages(at)
    workspace = at.query_params["ws"]
    library, owner = library_of(data_dir, workspace[0] if isinstance(workspace, list) else workspace)
    (task_id,) = library.clips_frame(owner)["task_id"].unique()
    assert library.task(owner, task_id).params["singing"] == "wordless"
    run_until(at, has_songs)
