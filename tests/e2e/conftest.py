"""Browser-test fixtures: the system Chromium and `streamlit run` of the studio on a free loopback port.

Drives the system Chromium (`/usr/bin/chromium` or `CHROMIUM_PATH`); without one the tests skip, except
under CI=true, where they fail. Waits are on page state, never on fixed sleeps.
"""

import contextlib
import csv
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Wait for the content a step expects, then for IDLE, before clicking a download or reading a value. While a run
# draws, an element that moved shows both at its old place and its new one until the run ends, so text that
# marks such a moment is matched with `.first`.
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
SONG_TIMEOUT_MS = 120_000  # making a song: generous on a busy 2-core machine
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


@contextlib.contextmanager
def running_studio(env: dict[str, str], log_path: Path, *options: str) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free loopback port with `env`; yields its URL once it answers.

    Its output goes to a file, not a pipe: nobody reads a pipe while the tests run, and a full one would
    block the server.
    """
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *options,
    ]  # fmt: skip
    with open(log_path, "wb") as log, subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    ) as server:
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


def studio_env(**settings: str) -> dict[str, str]:
    """This process's environment without any AIMUSIC_ setting, plus `settings`."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("AIMUSIC_")}, **settings}


@pytest.fixture(scope="module")
def studio_url(tmp_path_factory):
    """The studio with a private data dir and no key."""
    env = studio_env(AIMUSIC_DATA_DIR=str(tmp_path_factory.mktemp("studio")))
    with running_studio(env, tmp_path_factory.mktemp("streamlit") / "output.log") as url:
        yield url


def wait_until_made(page, songs: int) -> None:
    """Wait for a finished run that shows `songs` players and no task in progress.

    Counting players alone is not enough. While a run draws, a card that moved shows at both places, so the
    count can be reached while the last song is still being made. This checks all three in one look at the page.
    """
    page.wait_for_function(
        """([idle, songs]) => document.querySelector(idle) !== null
            && document.querySelectorAll("audio").length === songs
            && !document.querySelector("[data-testid=stSidebar]").innerText.includes("In progress")""",
        arg=[IDLE, songs],
        timeout=SONG_TIMEOUT_MS,
    )


def waveform_share(chart) -> float:
    """The share of a waveform chart's height that its drawn waveform (the area mark) takes.

    A waveform squeezed by its layout still has a chart element of the right size, so the mark is measured."""
    return chart.evaluate(
        """chart => chart.querySelector(".mark-area path").getBoundingClientRect().height
            / chart.querySelector("svg").getBoundingClientRect().height"""
    )


def downloaded_csv(page, button: str, path: Path) -> list[dict]:
    """Click the download button named `button`, save the file at `path`; its rows."""
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    download.value.save_as(path)
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


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
