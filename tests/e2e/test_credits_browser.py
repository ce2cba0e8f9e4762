"""Credits in headless Chromium: a new visitor makes two songs and a MIDI export, then takes the ledger away."""

import re

import pytest

from tests.e2e.conftest import IDLE, downloaded_csv, wait_until_made

pytestmark = pytest.mark.e2e

DESCRIPTION = "warm acoustic folk about a long road home"


def make_song(page) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Describe your song").fill(DESCRIPTION)
    length = page.get_by_role("slider", name="Length (seconds)")
    length.focus()
    length.press("Home")  # the shortest song the API makes: 10 seconds
    expect(length).to_have_value("10")
    page.get_by_role("button", name="Create").click()
    page.wait_for_selector(IDLE)


def test_a_new_visitor_sees_where_the_credits_went_and_downloads_a_ledger_that_adds_up(page, tmp_path):
    from playwright.sync_api import expect

    make_song(page)
    wait_until_made(page, 1)
    make_song(page)
    wait_until_made(page, 2)
    page.get_by_role("button", name=re.compile(r"^Make MIDI")).first.click()
    expect(page.get_by_role("button", name="Download MIDI")).to_have_count(1)
    page.wait_for_selector(IDLE)

    page.get_by_role("link", name="Credits").click()
    expect(page.get_by_text("demo credits of this workspace").first).to_be_visible()
    spent = page.get_by_test_id("stMetric").filter(has_text="Spent")
    expect(spent).to_contain_text("25")  # two songs of 10 credits and a MIDI export of 5
    expect(page.get_by_test_id("stMetric").filter(has_text="Available")).to_contain_text("475")
    expect(page.get_by_text("3 charges shown · 25 credits spent").first).to_be_visible()
    # "Outcome" holds one word three times, so it travels as codes into that word (lib/arrow_tables.py):
    # the browser must still show the word.
    expect(page.get_by_test_id("stDataFrame")).to_contain_text(re.compile(r"Outcome.*done.*done.*done"))
    page.wait_for_selector(IDLE)

    rows = downloaded_csv(page, "Download these rows as CSV", tmp_path / "ledger.csv")
    assert sorted(row["what"] for row in rows) == ["MIDI export", "Song", "Song"]
    assert sum(int(row["spent"]) for row in rows) == 25
    assert all(row["outcome"] == "done" and row["refunded"] == "False" for row in rows), rows
