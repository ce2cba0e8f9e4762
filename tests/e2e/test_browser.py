"""The studio in headless Chromium: no key, a song from a description, play, download, reload, Library."""

import imageio_ffmpeg
import pytest
from pydub import AudioSegment

from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS

pytestmark = pytest.mark.e2e

DESCRIPTION = "bright ukulele pop about a sunny morning"
SECONDS = 10


def test_a_song_from_a_description_plays_downloads_and_stays_in_the_library(page, tmp_path):
    from playwright.sync_api import expect

    expect(page.get_by_text("Built-in engine (runs on this computer)").first).to_be_visible()
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
    expect(page.get_by_text("1 song in your library").first).to_be_visible()
    # The table draws on a canvas, so the song is found through the page's own search (the text box: the
    # table's toolbar has a "Search" button too, while the table is on screen or still fading out).
    search = page.get_by_role("textbox", name="Search")
    search.fill("trombone")
    search.press("Enter")
    expect(page.get_by_text("No songs match “trombone”").first).to_be_visible()
    page.wait_for_selector(IDLE)
    search.fill("ukulele")
    search.press("Enter")
    expect(page.get_by_text("1 song matches “ukulele”").first).to_be_visible()
    page.wait_for_selector(IDLE)

    # The other filters are in a panel; the line under the table says which are on once it is shut.
    page.get_by_role("button", name="Filters").click()
    page.get_by_test_id("stMultiSelect").filter(has_text="Status").click()
    page.get_by_role("option", name="failed").click()
    expect(page.get_by_text("No songs match “ukulele” · failed").first).to_be_visible()
    page.wait_for_selector(IDLE)
    page.keyboard.press("Escape")  # shuts the list, then the panel
    page.keyboard.press("Escape")
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stMultiSelect")).to_have_count(0)
    expect(page.get_by_text("No songs match “ukulele” · failed").first).to_be_visible()
    page.get_by_role("button", name="Filters").click()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_text("1 song matches “ukulele”").first).to_be_visible()
