"""The prompt lab in headless Chromium: a new visitor runs 2 phrasings x 2 takes, rates two songs, downloads
the CSV and finds the experiment again after a reload."""


import pytest

from tests.e2e.conftest import IDLE, SONG_TIMEOUT_MS, downloaded_csv, waveform_share

pytestmark = pytest.mark.e2e

BASE = "calm lofi piano with soft drums"
OTHER = "gentle lofi keys and vinyl crackle"


def rate(page, card: int, stars: int) -> None:
    radio = page.get_by_test_id("stMain").get_by_test_id("stRadio").nth(card)
    radio.get_by_text("★" * stars, exact=True).click()


def expect_chosen_experiment(page, text: str) -> None:
    """Wait until the Experiment chooser shows `text` (its value, whether kept in an input or as text)."""
    box = page.get_by_role("combobox", name="Experiment").element_handle()
    page.wait_for_function("([el, text]) => (el.value || el.innerText || '').includes(text)", arg=[box, text])


def test_a_visitor_runs_rates_downloads_and_finds_an_experiment_again(page, tmp_path):
    from playwright.sync_api import expect

    page.get_by_role("link", name="Prompt lab").click()
    page.get_by_label("Base prompt", exact=True).fill(BASE)
    page.get_by_label("Other ways to say it").fill(OTHER)
    takes = page.get_by_label("Takes of each")
    takes.fill("2")
    takes.press("Enter")
    expect(page.get_by_text("4 of 4 songs ticked · 40 credits in all · you have 500").first).to_be_visible()
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Run 4 songs · 40 credits").click()

    expect(page.get_by_text("· 4 done").first).to_be_visible(timeout=SONG_TIMEOUT_MS)
    page.wait_for_selector(IDLE)
    expect(page.get_by_test_id("stMain").locator("audio")).to_have_count(4)
    waveforms = page.get_by_test_id("stMain").get_by_test_id("stVegaLiteChart")
    expect(waveforms).to_have_count(4)
    assert min(waveform_share(waveforms.nth(i)) for i in range(4)) > 0.3  # each song's waveform is drawn
    rate(page, 0, 3)
    rate(page, 2, 5)
    # The chooser shows the best rating once the run that kept it is drawing; then wait for it to end, so
    # the download button clicked is the one that run drew.
    expect_chosen_experiment(page, "best ★★★★★")
    page.wait_for_selector(IDLE)

    rows = downloaded_csv(page, "Download CSV", tmp_path / "lab.csv")
    assert [(r["prompt"], r["take"], r["status"]) for r in rows] == [
        (BASE, "1", "done"), (BASE, "2", "done"), (OTHER, "1", "done"), (OTHER, "2", "done"),
    ]  # fmt: skip
    assert [r["rating"] for r in rows] == ["3", "", "5", ""]
    assert all(r["clip_id"].startswith("clip_") for r in rows)

    page.reload()
    page.wait_for_selector(IDLE)
    expect_chosen_experiment(page, f"{BASE} · 4 songs · best ★★★★★")
    expect(page.get_by_test_id("stMain").locator("audio")).to_have_count(4)
