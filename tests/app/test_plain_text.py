"""Page-side bad input: Markdown and HTML in titles, prompts and server messages show as text; a malformed
settings file is named in the sidebar."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.text import WORD_JOINER, plain
from tests.app.conftest import APP

HOSTILE = [
    "[click me](http://evil.invalid/steal)",
    "![tracker](http://evil.invalid/pixel.png)",
    "<img src=x onerror=alert(1)> <b>bold</b>",
    "**loud** _quiet_ `code` ~~gone~~",
    "# Heading\n- item\n1. first",
    ":material/warning: :smile: :red[red text] $x^2$",
    "مرحبا بالعالم — שלום עולם ‮RTL override‬",
    "emoji 🎵🔥 and \\ backslash",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_escapes_every_markdown_construct_and_keeps_every_character(text):
    escaped = plain(text)
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == text.replace("\\", "")
    assert "http:" not in escaped.replace("\\", "")  # no bare address for Markdown to turn into a link
    for mark in "[]()!<>*_`~#:$":
        assert mark not in escaped.replace("\\" + mark, "")  # every markup character is escaped


@pytest.fixture
def settings_dir(tmp_path, monkeypatch):
    """A working directory with its own .streamlit/; Streamlit's parsed secrets (and the environment
    variables it sets from them) are dropped before and after, so no other test sees this file."""
    (tmp_path / ".streamlit").mkdir()
    monkeypatch.chdir(tmp_path)  # Streamlit reads ./.streamlit/secrets.toml
    st.secrets._reset()
    yield tmp_path / ".streamlit" / "secrets.toml"
    st.secrets._reset()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('AIMUSIC_API_KEY = "sk_test"\nthis is not toml\n', "line 2"),
        ('AIMUSIC_API_KEY = "unterminated\n', "line 1"),
        ("[section\nkey = 1\n", "line 1"),
    ],
)
def test_a_malformed_settings_file_is_named_with_its_line_in_the_sidebar(settings_dir, content, line):
    secrets = settings_dir
    secrets.write_text(content)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    (error,) = [e.value for e in at.sidebar.error if "settings file" in e.value]
    unescaped = error.replace("\\", "")
    assert str(secrets) in unescaped and line in unescaped and "AIMUSIC_API_KEY" in unescaped


def test_a_valid_settings_file_raises_no_alarm(settings_dir):
    settings_dir.write_text('AIMUSIC_DEMO_CREDITS = "40"\n')
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not [e for e in at.sidebar.error if "settings file" in e.value]
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["40"]


def test_a_settings_file_written_while_the_studio_runs_is_read_at_the_next_rerun(
    settings_dir, make_key, emulator
):
    at = AppTest.from_file(APP, default_timeout=60).run()  # no settings file yet: the built-in engine
    assert not at.toggle(key="sidebar.account").value
    key = make_key()
    settings_dir.write_text(f'AIMUSIC_API_KEY = "{key}"\nAIMUSIC_BASE_URL = "{emulator.base_url}"\n')
    at.toggle(key="sidebar.account").set_value(True).run()
    assert not at.sidebar.text_input  # the key is the file's: nothing to type
    assert any(key[-4:] in c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]
