"""In Chromium: a prompt full of Markdown and HTML shows as the very characters typed; no link, image or
markup of it reaches the page."""

import pytest

from lib.text import WORD_JOINER
from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS

pytestmark = pytest.mark.e2e

HOSTILE = (
    "[click me](http://evil.invalid/steal) ![px](http://evil.invalid/p.png) <b>bold</b> **loud** :red[x]"
)


def test_markdown_and_html_in_a_prompt_show_as_text(page):
    from playwright.sync_api import expect

    page.get_by_label("Describe your song").fill(HOSTILE)
    length = page.get_by_role("slider", name="Length (seconds)")
    length.focus()
    length.press("Home")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("audio").first).to_be_attached(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)

    links = page.locator('a[href*="evil.invalid"]')
    found = [links.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(links.count())]
    assert not found, found
    assert page.locator('img[src*="evil.invalid"]').count() == 0
    caption = page.get_by_text("**loud** :red[x]", exact=False).first  # the card's caption (labels are cut)
    expect(caption).to_be_visible()
    shown = caption.text_content().replace(WORD_JOINER, "")
    assert "[click me](http://evil.invalid/steal) ![px](http://evil.invalid/p.png)" in shown
    assert "<b>bold</b> **loud** :red[x]" in shown
