"""Headless Chromium: lyrics written, edited and sung on Create; that song made a persona; a second song."""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS

pytestmark = pytest.mark.e2e

PROMPT = "a road trip with old friends, Café ☕ Москва 東京"
EDITED_LINE = "Nous chantons encore, 友よ 🎶"
PERSONA = "Road <b>Voice</b>"


def plays(audio) -> float:
    """Wait until the browser has loaded the player's audio; its length in seconds."""
    audio.page.wait_for_function(
        "el => el.readyState >= 1 && isFinite(el.duration) && el.duration > 0", arg=audio.element_handle()
    )
    return audio.evaluate("el => el.duration")


def test_lyrics_to_song_to_persona_to_second_song(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Lyrics").click()
    page.get_by_label("What is the song about?").fill(PROMPT)
    page.get_by_label("Style (optional)").fill("indie folk")
    page.get_by_label("Variations").fill("1")
    page.get_by_role("button", name="Write lyrics").click()

    editor = page.get_by_label("Lyrics of variation 1")
    expect(editor).to_be_visible()
    page.wait_for_selector(IDLE)
    lines = editor.input_value().splitlines()
    first_sung = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("["))
    lines[first_sung] = EDITED_LINE
    editor.fill("\n".join(lines))
    editor.press("Control+Enter")  # commit the edit, as leaving the field would
    expect(page.get_by_text("1 edited").first).to_be_visible()
    page.wait_for_selector(IDLE)  # the run that drew "1 edited" has ended: its download button is the live one
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .txt").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"Prompt: {PROMPT}" in text and EDITED_LINE in text

    page.get_by_role("button", name="Use these lyrics").click()
    expect(page.get_by_role("heading", name="Create a song").first).to_be_visible()
    page.wait_for_selector(IDLE)
    expect(page.get_by_label("My lyrics and style")).to_be_checked()
    assert EDITED_LINE in page.get_by_label("Lyrics", exact=True).input_value()
    assert page.get_by_label("Style", exact=True).input_value() == "indie folk"
    page.get_by_role("button", name="Create").click()

    first = page.locator("audio").first
    expect(first).to_be_attached(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    assert plays(first) > 5

    page.get_by_role("button", name="Persona", exact=True).first.click()
    expect(page.get_by_role("heading", name="Personas").first).to_be_visible()
    page.wait_for_selector(IDLE)
    page.get_by_label("Persona name").fill(PERSONA)
    page.get_by_role("button", name="Make persona").click()
    expect(page.get_by_text(PERSONA, exact=True).first).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)

    page.get_by_label("Describe the song").fill("slow waltz about the sea")
    length = page.get_by_role("slider", name="Length (seconds)")
    length.focus()
    length.press("Home")
    page.get_by_role("button", name="Make music", exact=True).click()
    # Wait for the song's notice, then for that run to end: while a run draws the page, an element that moved
    # can show twice (its old place is cleared when the run ends), and the locators below must find one.
    ready = page.get_by_text(re.compile(r"slow waltz about the sea\W* is ready")).first
    expect(ready).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    made = page.locator("[data-testid=stColumn]").filter(has_text="Made with it").locator("audio")
    expect(made).to_be_attached()
    source = page.locator("[data-testid=stColumn]").filter(has_text="The persona's song").locator("audio")
    assert plays(source) > 5
    assert plays(made) == pytest.approx(10, abs=0.5)
    assert source.get_attribute("src") != made.get_attribute("src")
