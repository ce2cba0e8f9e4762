"""In Chromium: a key typed into the sidebar is in no page HTML, URL, server log line or data file."""

import os
import subprocess
import sys
import time

import pytest
import requests

from tests.e2e.conftest import CHROMIUM, IDLE, ROOT, SONG_TIMEOUT_MS, _free_port

pytestmark = pytest.mark.e2e


@pytest.fixture
def account_studio(tmp_path):
    """`streamlit run` that lets a person give the API address (the test server's) and logs to a file."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}")
    port, data_dir, log_path = _free_port(), tmp_path / "data", tmp_path / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIMUSIC_")}
    env.update(AIMUSIC_DATA_DIR=str(data_dir), AIMUSIC_ALLOW_CUSTOM_BASE_URL="1")
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--logger.level", "debug",
    ]  # fmt: skip
    with open(log_path, "wb") as log, subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    ) as server:
        url, give_up = f"http://127.0.0.1:{port}", time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None and time.monotonic() < give_up, log_path.read_text(errors="replace")
            time.sleep(0.2)
        yield url, data_dir, log_path
        server.terminate()


def test_a_typed_key_is_in_no_html_url_log_or_file(browser, account_studio, emulator, make_key):
    from playwright.sync_api import expect

    url, data_dir, log_path = account_studio
    key = make_key(credits=100)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(SONG_TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector(IDLE)
    page.get_by_text("My AI Music API account").click()
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
