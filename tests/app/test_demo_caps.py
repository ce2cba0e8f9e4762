"""A public demo's caps in the app: minted workspace ids only, new workspaces per hour, demo credits."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.app.helpers import messages


def workspace_of(at: AppTest) -> str:
    value = at.query_params["ws"]
    return value[0] if isinstance(value, list) else value


def credits_shown(at: AppTest) -> list[str]:
    return [m.value for m in at.sidebar.metric if m.label == "Credits"]


def test_a_workspace_id_the_app_did_not_mint_is_replaced_by_a_new_one(open_app):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["ws"] = "a" * 30  # the old 20-64 character shape, typed by hand
    at.run()
    assert not at.exception and workspace_of(at) != "a" * 30 and len(workspace_of(at)) == 22


def test_new_workspaces_stop_at_the_hourly_cap_with_one_sentence(open_app, monkeypatch):
    monkeypatch.setenv("AIMUSIC_DEMO_WORKSPACES_PER_HOUR", "1")
    monkeypatch.setenv("AIMUSIC_DEMO_CREDITS", "30")
    first = open_app()
    assert credits_shown(first) == ["30"]
    second = open_app()
    assert not second.exception
    (error,) = [e.value.replace("\\", "") for e in second.sidebar.error]  # shown escaped, as plain text
    assert "1 new workspaces for this hour" in error and error.count(". ") == 0
    reopened = AppTest.from_file(APP, default_timeout=60)
    reopened.query_params["ws"] = workspace_of(first)
    reopened.run()
    assert credits_shown(reopened) == ["30"], messages(reopened)


def test_a_malformed_demo_setting_is_named(open_app, monkeypatch):
    monkeypatch.setenv("AIMUSIC_DEMO_CREDITS", "lots")
    at = open_app()
    assert any("AIMUSIC_DEMO_CREDITS" in e.value.replace("\\", "") for e in at.sidebar.error)
