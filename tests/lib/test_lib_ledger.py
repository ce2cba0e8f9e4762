"""The credits ledger: real SQLite beside the library, tasks parsed by lib.models from server-shaped JSON."""

import csv
import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from appdata_helpers import clip_json, completed_json, failed_json, new_task_id, pending_json, task

from lib import ledger
from lib.ledger import Ledger

SONG = {"description": "Upbeat synthwave about neon nights", "duration": 30}
DAY = 86_400


@pytest.fixture
def book(library, clock) -> Ledger:
    return Ledger(library, clock=clock)


def charge(book, owner, call="suno.create_music", params=SONG, **options):
    task_id = options.pop("task_id", new_task_id())
    price = book.record_charge(owner, call, params, task_id=task_id, **options)
    return task_id, price


def test_a_charge_is_recorded_with_its_price_call_and_task_and_is_pending(book, owner):
    task_id, price = charge(book, owner, song="neon nights")
    frame = book.frame(owner)
    assert price == 10
    assert frame[["what", "song", "price", "outcome", "refunded", "spent", "task_id"]].to_dict("records") == [
        {"what": "Song", "song": "neon nights", "price": 10, "outcome": "in progress", "refunded": False,
         "spent": 10, "task_id": task_id},
    ]  # fmt: skip


def test_the_price_comes_from_the_price_list_per_call_and_operation(book, owner):
    charge(book, owner, "producer.create_music", {"operation": "swap_vocals", "clip_id": "c1"})
    charge(book, owner, "suno.stems_full", {"song_id": "c1"})
    book.record_charge(owner, "suno.get_midi", {"clip_id": "c1"})
    frame = book.frame(owner)
    assert sorted(zip(frame["what"], frame["price"], strict=True)) == [
        ("MIDI export", 5), ("Producer swap vocals", 15), ("Stems (12 tracks)", 50),
    ]  # fmt: skip
    assert frame.loc[frame["what"] == "MIDI export", "outcome"].tolist() == ["done"]


def test_a_free_call_records_nothing(book, owner):
    assert book.record_charge(owner, "suno.upload_music", {}) == 0
    assert book.record_charge(owner, "producer.download", {"clip_id": "c1", "format": "wav"}) == 0
    assert book.frame(owner).empty


def test_a_task_reported_twice_is_charged_once(book, owner):
    task_id, _ = charge(book, owner)
    charge(book, owner, task_id=task_id)
    assert ledger.totals(book.frame(owner))["spent"] == 10


def test_a_failed_task_is_refunded_and_a_completed_one_takes_its_titles(book, owner):
    done, _ = charge(book, owner, song="the prompt")
    failed, _ = charge(book, owner, "suno.stems_basic", {"song_id": "c1"}, song="Stems of x")
    book.settle(
        owner, task(completed_json(done, [clip_json("c7", "Neon Nights"), clip_json("c8", "Neon Days")]))
    )
    book.settle(owner, task(failed_json(failed)))
    book.settle(owner, task(pending_json(new_task_id())))  # a task the ledger does not know: nothing happens
    rows = book.frame(owner).set_index("task_id")
    assert rows.loc[done, ["song", "outcome", "refunded", "spent"]].tolist() == ["Neon Nights / Neon Days",
                                                                                 "done", False, 10]  # fmt: skip
    assert rows.loc[failed, ["outcome", "refunded", "spent"]].tolist() == ["failed", True, 0]
    assert ledger.totals(book.frame(owner)) == {"charged": 30, "refunded": 20, "spent": 10}


def test_reconcile_settles_charges_whose_task_the_library_saw_finish(book, library, owner):
    done, _ = charge(book, owner)
    failed, _ = charge(book, owner)
    running, _ = charge(book, owner)
    for task_json in (completed_json(done, [clip_json("c5")]), failed_json(failed), pending_json(running)):
        library.record_update(owner, task(task_json))  # the library learnt it; the ledger's settle never ran
    assert book.reconcile(owner) == 2
    rows = book.frame(owner).set_index("task_id")
    assert rows.loc[[done, failed, running], "outcome"].tolist() == ["done", "failed", "in progress"]
    assert rows.loc[failed, "refunded"] and not rows.loc[done, "refunded"]
    assert book.reconcile(owner) == 0  # settled once


def test_a_settled_outcome_is_not_changed_by_a_late_report(book, owner):
    task_id, _ = charge(book, owner)
    book.settle(owner, task(failed_json(task_id)))
    book.settle(owner, task(completed_json(task_id, [clip_json("c9")])))
    assert book.frame(owner)["refunded"].tolist() == [True]


def test_a_task_the_server_forgot_keeps_its_charge_with_an_unknown_outcome(book, owner):
    task_id, _ = charge(book, owner)
    book.mark_unknown(owner, task_id)
    frame = book.frame(owner)
    assert frame[["outcome", "spent"]].values.tolist() == [["unknown to the server", 10]]


def test_rebuild_adds_old_tasks_once_with_their_outcomes_and_skips_free_and_known_ones(
    library, book, owner, other_owner, clock
):
    def submitted(call, params, status_json=None):
        task_id = new_task_id()
        library.record_submission(owner, task(pending_json(task_id)), model=call.split(".")[0], call=call,
                                  params=params, label=f"old {call}")  # fmt: skip
        if status_json:
            library.record_update(owner, task(status_json(task_id)))
        return task_id

    made = submitted("suno.create_music", SONG, lambda t: completed_json(t, [clip_json(f"c{t}")]))
    failed = submitted("suno.stems_full", {"song_id": "c1"}, failed_json)
    running = submitted("nuro.create_instrumental_music", {"prompt": "drone", "duration": 60})
    submitted("suno.upload_music", {})
    known, _ = charge(book, owner, task_id=submitted("suno.wav", {"song_id": "c1"}))
    clock.advance(DAY)

    assert book.rebuild(owner) == 3
    rows = book.frame(owner).set_index("task_id")
    assert rows.loc[[made, failed, running, known], ["price", "outcome", "refunded"]].values.tolist() == [
        [10, "done", False], [50, "failed", True], [15, "in progress", False], [10, "in progress", False],
    ]  # fmt: skip
    assert rows.loc[made, "when"] == pd.Timestamp(clock.now - DAY, unit="s", tz="UTC")
    # A made song is named by its title, as a settled charge is; a song still running by what was asked.
    assert rows.loc[[made, running], "song"].tolist() == ["Neon Nights", "old nuro.create_instrumental_music"]

    submitted("suno.create_music", SONG)  # made after the rebuild: recorded by the tray, not by a rebuild
    assert book.rebuild(owner) == 0
    assert len(book.frame(owner)) == 4
    assert book.frame(other_owner).empty


def test_the_frame_filters_by_days_and_text_newest_first(book, owner, clock):
    first = datetime.fromtimestamp(clock.now, UTC).date()
    charge(book, owner, song="morning song")
    clock.advance(2 * DAY)
    charge(book, owner, "suno.wav", {"song_id": "c1"}, song="WAV of evening song")
    assert book.frame(owner)["song"].tolist() == ["WAV of evening song", "morning song"]
    assert book.frame(owner, end=first)["song"].tolist() == ["morning song"]
    assert book.frame(owner, start=date.fromordinal(first.toordinal() + 1))["song"].tolist() == [
        "WAV of evening song"
    ]
    assert book.frame(owner, start=date(2001, 1, 1), end=date(2001, 1, 2)).empty
    assert book.frame(owner, text="WAV EXPORT")["song"].tolist() == ["WAV of evening song"]
    assert book.first_day(owner) == first


def test_spend_over_time_splits_by_capability_and_shows_refunds_below_zero(book, owner, clock):
    charge(book, owner)
    failed, _ = charge(book, owner, "suno.stems_full", {"song_id": "c1"})
    book.settle(owner, task(failed_json(failed)))
    clock.advance(DAY)
    charge(book, owner)
    book.record_charge(owner, "lyrics.generate", {"prompt": "sea"})
    by_day = ledger.spend_over_time(book.frame(owner))
    assert by_day[["capability", "kind", "credits"]].values.tolist() == [
        ["Songs", "charged", 10], ["Stems", "charged", 50], ["Stems", "refunded", -50],
        ["Lyrics", "charged", 5], ["Songs", "charged", 10],
    ]  # fmt: skip
    assert by_day["period"].nunique() == 2
    assert ledger.spend_over_time(book.frame(owner), "week")["credits"].sum() == 25
    assert ledger.spend_over_time(book.frame(owner).head(0)).empty


def test_the_csv_has_the_rows_of_the_frame_and_a_header_when_empty(book, owner):
    charge(book, owner, song='a "quoted", song')
    book.record_charge(owner, "lyrics.generate", {"prompt": "sea"})
    rows = list(csv.DictReader(io.StringIO(ledger.csv_bytes(book.frame(owner)).decode())))
    assert [(r["what"], r["song"], int(r["spent"])) for r in rows] == [
        ("Lyrics", "", 5), ("Song", 'a "quoted", song', 10),
    ]  # fmt: skip
    assert ledger.csv_bytes(book.frame(owner, text="nothing like this")).decode().strip() == ",".join(
        ledger.COLUMNS
    )


def test_what_you_can_still_make_divides_the_balance_by_each_price():
    assert ledger.what_you_can_make(105) == [
        ("songs", 10, 10), ("extensions", 10, 10), ("stem splits (12 tracks)", 50, 2), ("WAV exports", 10, 10),
        ("persona songs", 10, 10),
    ]  # fmt: skip
    assert ledger.what_you_can_make(None) == []
