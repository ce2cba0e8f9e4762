"""The studio in headless Chromium: no key, a song from a description, play, download, reload, Library.

Drives the system Chromium (`/usr/bin/chromium` or `CHROMIUM_PATH`); without one the test skips, except
under CI=true, where it fails. Waits are on page state, never on fixed sleeps.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import imageio_ffmpeg
import pytest
import requests
from pydub import AudioSegment

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DESCRIPTION = "bright ukulele pop about a sunny morning"
SECONDS = 10
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
SONG_TIMEOUT_MS = 120_000  # making the song: generous on a busy 2-core machine
STEP_TIMEOUT_MS = 30_000  # any other page change


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"No Chromium at {CHROMIUM}: CI must run the browser tests.")
        pytest.skip(f"No Chromium at {CHROMIUM} (set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def studio_url(tmp_path_factory):
    """`streamlit run` on a free loopback port with a private data dir and no key.

    Its output goes to a file, not a pipe: nobody reads a pipe while the tests run, and a full one would
    block the server.
    """
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIMUSIC_")}
    env["AIMUSIC_DATA_DIR"] = str(tmp_path_factory.mktemp("studio"))
    log_path = tmp_path_factory.mktemp("streamlit") / "output.log"
    with open(log_path, "wb") as log, subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    ) as server:  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        give_up = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > give_up:
                server.kill()
                pytest.fail(f"streamlit did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
        server.terminate()


@pytest.fixture
def page(browser, studio_url):
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(SONG_TIMEOUT_MS)
    expect.set_options(timeout=STEP_TIMEOUT_MS)
    page.goto(studio_url)
    page.wait_for_selector(IDLE)
    yield page
    context.close()


def test_a_song_from_a_description_plays_downloads_and_stays_in_the_library(page, tmp_path):
    from playwright.sync_api import expect

    expect(page.get_by_text("Built-in engine (runs on this computer)")).to_be_visible()
    page.get_by_label("Describe your song").fill(DESCRIPTION)
    length = page.get_by_role("slider", name="Length (seconds)")
    length.focus()
    length.press("Home")  # the shortest song the API makes: 10 seconds
    expect(length).to_have_value(str(SECONDS))
    page.get_by_role("button", name="Create").click()

    audio = page.locator("audio").first
    expect(audio).to_be_attached(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    page.wait_for_function("el => el.readyState >= 1 && isFinite(el.duration)", arg=audio.element_handle())
    assert audio.evaluate("el => el.duration") == pytest.approx(SECONDS, abs=0.5)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download MP3").click()
    saved = tmp_path / "song.mp3"
    download.value.save_as(saved)
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    song = AudioSegment.from_file(saved, format="mp3", codec="mp3")  # codec given: no ffprobe needed
    assert song.duration_seconds == pytest.approx(SECONDS, abs=0.5)

    page.reload()
    page.wait_for_selector(IDLE)
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_text("1 song in your library")).to_be_visible()
    # The table draws on a canvas, so the song is found through the page's own search.
    search = page.get_by_label("Search")
    search.fill("trombone")
    search.press("Enter")
    expect(page.get_by_text("No songs match these filters.")).to_be_visible()
    search.fill("ukulele")
    search.press("Enter")
    expect(page.get_by_text("1 song in your library")).to_be_visible()
