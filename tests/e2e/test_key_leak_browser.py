"""In Chromium: a key typed into the sidebar is in no page HTML, URL, server log line or data file."""

import os

import pytest

from tests.e2e.conftest import CHROMIUM, IDLE, SONG_TIMEOUT_MS, running_studio, studio_env

pytestmark = pytest.mark.e2e


@pytest.fixture
def account_studio(tmp_path):
    """`streamlit run` that lets a person give the API address (the test server's) and logs to a file."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}")
    data_dir, log_path = tmp_path / "data", tmp_path / "streamlit.log"
    env = studio_env(AIMUSIC_DATA_DIR=str(data_dir), AIMUSIC_ALLOW_CUSTOM_BASE_URL="1")
    with running_studio(env, log_path, "--logger.level", "debug") as url:
        yield url, data_dir, log_path


def test_a_typed_key_is_in_no_html_url_log_or_file(browser, account_studio, emulator, make_key):
    from playwright.sync_api import expect

    url, data_dir, log_path = account_studio
    key = make_key(credits=100)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(SONG_TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector(IDLE)
    page.get_by_text("Use my AI Music API account").click()
    page.get_by_role("textbox", name="API address").fill(emulator.base_url)
    page.get_by_role("textbox", name="API address").press("Enter")
    page.wait_for_selector(IDLE)
    page.get_by_role("textbox", name="API key").fill(key)
    page.get_by_role("textbox", name="API key").press("Enter")
    expect(page.get_by_text("Your AI Music API account").first).to_be_visible()
    page.get_by_label("Describe your song").fill("a quiet harp piece")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("audio").first).to_be_attached(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)

    assert key not in page.content()
    assert key not in page.url
    context.close()
    assert key not in log_path.read_text(errors="replace")
    assert not [p for p in data_dir.rglob("*") if p.is_file() and key.encode() in p.read_bytes()]
