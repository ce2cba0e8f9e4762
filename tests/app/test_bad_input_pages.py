"""Bad input, page side: ids of another workspace or made up in the address, absurd prompts, hostile search
text. Each page stays up with a clear message, shows nothing of anyone else, and charges nothing."""

import pytest

from lib.text import plain
from lib.ui import navigation
from tests.app.helpers import describe, has_songs, messages, run_until

CLIP_PAGES = [info.path for info in navigation.clip_actions()]


@pytest.fixture(scope="module")
def someone_elses_clip(emulator):
    """A finished clip of another key: its id must open nothing for us."""
    from lib.client import AIMusicClient

    key = emulator.create_key("pro", 100)
    with AIMusicClient(key, emulator.base_url) as client:
        task = client.suno.create_music(description="their private song", duration=10)
        return client.wait_for_task(task.task_id, "suno", timeout=120).clips[0].id


def credits_shown(at) -> list[str]:
    return [m.value for m in at.sidebar.metric if m.label == "Credits"]


@pytest.mark.parametrize("page", CLIP_PAGES)
@pytest.mark.parametrize("clip", ["other", "../../etc/passwd", "clip_" + "0" * 24, "<script>x</script>"])
def test_a_clip_id_that_is_not_ours_opens_nothing(open_app, make_key, someone_elses_clip, page, clip):
    at = open_app(make_key(credits=100))
    before = credits_shown(at)
    at.query_params["clip"] = someone_elses_clip if clip == "other" else clip
    at.switch_page(page).run()
    assert not at.exception, messages(at)
    assert "their private song" not in str([t.value for t in (*at.text, *at.caption, *at.markdown)])
    assert not [a for a in at.get("audio")]  # nothing plays
    assert credits_shown(at) == before


def test_a_prompt_past_the_limit_is_refused_by_the_field_and_charges_nothing(open_app, make_key):
    at = open_app(make_key(credits=100))
    field = at.text_area(key="create.description")
    at = describe(at, "x" * 10_000)
    assert not at.exception, messages(at)
    sent = at.text_area(key="create.description").value
    assert sent is None or len(sent) <= field.max_chars
    assert credits_shown(at) in (["100"], ["90"])  # at most one song, of at most the allowed length


@pytest.mark.parametrize(
    "text", ["🎸🔥 فرح على الشاطئ 🎶", "שיר עליז על הים ☀️", "<b>bold</b> [x](http://evil.invalid) **loud**"]
)
def test_emoji_right_to_left_and_markup_prompts_make_songs(open_app, make_key, text):
    at = run_until(describe(open_app(make_key(credits=100)), text), has_songs)
    assert not at.exception, messages(at)
    assert credits_shown(at) == ["90"]


@pytest.mark.parametrize("text", ["%' OR 1=1 --", "_%_", "[(*+?\\", "'; DROP TABLE clips; --", "😀" * 300])
def test_hostile_search_text_finds_nothing_and_breaks_nothing(open_app, make_key, text):
    at = run_until(describe(open_app(make_key(credits=100))), has_songs)
    at.switch_page("app_pages/library.py").run()
    at.text_input(key="library.search").set_value(text).run()
    assert not at.exception, messages(at)
    (shown,) = [m for m in messages(at) if "No songs match" in m]
    assert plain(text.strip()) in shown, "the search words are shown as they were typed, never as Markdown"
    at.text_input(key="library.search").set_value("").run()
    assert any("1 song in your library" in c.value for c in at.caption)  # the song is still there
