"""A key used in a session appears in no log line, no element of the page (not even its own field, which
is emptied once the key is taken), no URL and no file under the data directory."""

import logging

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.app.helpers import DESCRIPTION, describe, has_songs, messages, run_until

OWN_FIELD = "sidebar.api_key"


def page_text(at: AppTest) -> str:
    """Every element's content (its protobuf)."""
    parts, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", {})
        stack.extend(children.values() if isinstance(children, dict) else children)
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
    return "\n".join(parts)


def test_a_typed_key_leaks_nowhere(emulator, make_key, monkeypatch, caplog, data_dir):
    key = make_key(credits=200)
    monkeypatch.setenv("AIMUSIC_ALLOW_CUSTOM_BASE_URL", "1")
    caplog.set_level(logging.DEBUG)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.sidebar.toggle(key="sidebar.account").set_value(True).run()
    at.sidebar.text_input(key="sidebar.base_url").set_value(emulator.base_url)
    at.sidebar.text_input(key=OWN_FIELD).set_value(key).run()
    assert at.sidebar.text_input(key=OWN_FIELD).value == ""  # taken out of the field
    assert any(f"ending in {key[-4:]}" in c.value for c in at.sidebar.caption)
    at = run_until(describe(at), has_songs)
    at.switch_page("app_pages/library.py").run()
    assert not at.exception, messages(at)

    shown = page_text(at)
    assert DESCRIPTION in shown  # the walk reaches the page's content
    assert key not in shown
    assert key not in str(dict(at.query_params))
    assert not [r.getMessage() for r in caplog.records if key in r.getMessage()]
    assert key not in caplog.text
    at.sidebar.button(key="sidebar.forget_key").click().run()
    assert any("Paste your API key" in i.value.replace("\\", "") for i in at.sidebar.info)
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert files, "the session wrote nothing: the test would prove nothing"
    assert not [p for p in files if key.encode() in p.read_bytes()]


def test_a_key_from_the_settings_shows_only_its_last_four_characters(open_app, make_key, caplog, data_dir):
    key = make_key()
    caplog.set_level(logging.DEBUG)
    at = open_app(key)
    text = page_text(at)
    assert key not in text and f"ending in {key[-4:]}" in text.replace("\\", "")
    assert key not in caplog.text
    assert not [p for p in data_dir.rglob("*") if p.is_file() and key.encode() in p.read_bytes()]
