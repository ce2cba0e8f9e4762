"""Stems in Chromium: a new visitor makes a song, splits it, mutes the vocals, plays and keeps the mix."""

import pytest

from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS, waveform_share

pytestmark = pytest.mark.e2e

DESCRIPTION = "gentle acoustic folk song about a river"
SECONDS = 10


def test_a_song_split_from_its_card_remixed_without_vocals_and_kept_in_the_library(page):
    from playwright.sync_api import expect

    page.get_by_label("Describe your song").fill(DESCRIPTION)
    length = page.get_by_role("slider", name="Length (seconds)")
    length.focus()
    length.press("Home")  # 10 seconds
    expect(length).to_have_value(str(SECONDS))
    page.get_by_role("button", name="Create").click()

    stems_button = page.get_by_role("button", name="Stems")
    expect(stems_button).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    stems_button.click()
    expect(page.get_by_role("heading", name="Stems").first).to_be_visible()
    expect(page.get_by_text("Costs 20 credits").first).to_be_visible()
    page.get_by_role("button", name="Split into stems").click()

    play = page.get_by_role("button", name="Play my mix")
    expect(play).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("Vocals", exact=True).first).to_be_visible()
    expect(page.get_by_text("Instrumental", exact=True).first).to_be_visible()
    charts = page.locator("[data-testid=stVegaLiteChart]")
    expect(charts).to_have_count(3)  # the song's waveform and one per stem
    expect(charts.last.locator("svg").first).to_be_visible()
    # The instrumental's waveform fills much of its row (it was once squeezed to 2 of its 48 pixels).
    assert waveform_share(charts.last) > 0.3
    page.get_by_text("Mute", exact=True).first.click()  # the first row is the vocals
    expect(page.get_by_role("switch", name="Mute").first).to_be_checked()
    expect(page.get_by_role("switch", name="Mute").last).not_to_be_checked()
    page.wait_for_selector(IDLE)
    play.click()

    mix = page.locator("audio").last
    expect(page.get_by_role("button", name="Download WAV").first).to_be_visible()
    page.wait_for_selector(IDLE)
    page.wait_for_function("el => el.readyState >= 1 && isFinite(el.duration)", arg=mix.element_handle())
    assert mix.evaluate("el => el.duration") == pytest.approx(SECONDS, abs=0.5)
    assert mix.evaluate("el => el.play().then(() => true)")  # the browser accepts it as playable audio

    page.get_by_role("button", name="Keep this mix").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("(my mix)” is in your Library")
    page.wait_for_selector(IDLE)
    page.get_by_role("link", name="Library").click()
    expect(page.get_by_text("2 songs in your library").first).to_be_visible()
    search = page.get_by_role("textbox", name="Search")
    search.fill("my mix")
    search.press("Enter")
    expect(page.get_by_text("1 song matches “my mix”").first).to_be_visible()
