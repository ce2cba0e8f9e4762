"""The edit pages in headless Chromium: a new visitor creates a song, extends it from the card, makes the
whole song, plays and downloads it; then uploads a short wav and covers it."""

import imageio_ffmpeg
import pytest
from pydub import AudioSegment

from tests.contract.contract_support import wav_bytes as wav
from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS

pytestmark = pytest.mark.e2e

WHOLE_SECONDS = 30


def by_key(page, key: str):
    """The element of the widget with this key (Streamlit marks its container with st-key-<key>)."""
    return page.locator(f".st-key-{key.replace('.', '-')}")


def duration_of(page, audio) -> float:
    page.wait_for_function("el => el.readyState >= 1 && isFinite(el.duration)", arg=audio.element_handle())
    return audio.evaluate("el => el.duration")


def to_start(slider):
    slider.focus()
    slider.press("Home")


def test_create_extend_make_the_whole_song_play_and_download(page, tmp_path):
    from playwright.sync_api import expect

    page.get_by_label("Describe your song").fill("bright ukulele pop about a sunny morning")
    to_start(page.get_by_role("slider", name="Length (seconds)"))
    page.get_by_role("button", name="Create").click()
    expect(page.locator("audio").first).to_be_attached(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)

    page.get_by_role("button", name="Extend").first.click()
    expect(page.get_by_role("heading", name="Extend a song").first).to_be_visible()
    page.wait_for_selector(IDLE)
    to_start(page.get_by_role("slider", name="New music (seconds)"))
    by_key(page, "extend.submit").locator("button").click()
    expect(page.get_by_text("Original · 0:10").first).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)

    page.get_by_text("Make the whole song", exact=True).click()
    page.wait_for_selector(IDLE)
    target = page.get_by_role("slider", name="Length of the whole song (seconds)")
    to_start(target)  # 20 s
    target.press("ArrowRight")
    expect(target).to_have_value(str(WHOLE_SECONDS))
    page.get_by_role("button", name="Make the whole song · 15 credits").click()
    whole = page.locator("[class*=st-key-extend-whole-progress-chain-chain_]").first
    expect(whole.locator("audio")).to_be_attached(timeout=2 * SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    assert duration_of(page, whole.locator("audio")) == pytest.approx(WHOLE_SECONDS, abs=1.5)

    with page.expect_download() as download:
        whole.get_by_role("button", name="Download MP3").click()
    saved = tmp_path / "whole.mp3"
    download.value.save_as(saved)
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    song = AudioSegment.from_file(saved, format="mp3", codec="mp3")
    assert song.duration_seconds == pytest.approx(WHOLE_SECONDS, abs=1.5)


def test_upload_a_short_wav_and_cover_it(page, tmp_path):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Cover and edit").click()
    expect(page.get_by_role("heading", name="Cover and edit").first).to_be_visible()
    page.get_by_text("Upload a file", exact=True).click()
    page.wait_for_selector(IDLE)
    path = tmp_path / "my hum.wav"
    path.write_bytes(wav(4.0, rate=22050))
    by_key(page, "cover.source.file").locator("input[type=file]").set_input_files(str(path))
    audio = page.locator("audio").first
    expect(audio).to_be_attached()
    page.wait_for_selector(IDLE)
    assert duration_of(page, audio) == pytest.approx(4.0, abs=0.5)

    page.get_by_label("Style of the cover").fill("jazz with piano")
    page.get_by_label("Style of the cover").press("Enter")
    page.wait_for_selector(IDLE)
    by_key(page, "cover.submit").locator("button").click()
    expect(page.get_by_text("Original · 0:04").first).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    assert page.locator("audio").count() >= 3  # the upload's player, then the original beside the cover
