"""The Credits page in AppTest against the real built-in server: balance, spend, chart, ledger, CSV, faults."""

import csv
import io
import time
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from emulator import start_in_background
from lib.ledger import Ledger
from lib.models import Task
from lib.workspace import DemoLimits
from tests.app.helpers import describe, has_songs, library_of, messages, run_until

CREDITS = "app_pages/credits.py"
DAY = 86_400.0
CSV_NAME = "credits-ledger.csv"


@pytest.fixture
def downloads(monkeypatch):
    """file name -> the data callable of each deferred download button (a spy: the button still works)."""
    made = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **options):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


@pytest.fixture
def own_server(tmp_path):
    """A built-in server of this test's own, for faults and a stop that no other test may see."""
    server = start_in_background(tmp_path / "own-emulator")
    yield server
    server.stop()


def open_credits(at):
    at.switch_page(CREDITS).run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def table(at):
    [frame] = at.main.dataframe
    return frame.value


def makeable(at) -> dict[str, str]:
    """What the balance buys, from the page's table: thing -> how many."""
    [table_md] = [m.value for m in at.main.markdown if "You can make" in m.value]
    table_lines = [line for line in table_md.splitlines() if line.startswith("|")]  # under the heading
    rows = [line.strip("|").split("|") for line in table_lines[2:]]
    return {cells[0].strip(): cells[1].strip() for cells in rows}


def csv_rows(downloads) -> list[dict]:
    return list(csv.DictReader(io.StringIO(downloads[CSV_NAME]().decode())))


def chart_data(at):
    [chart] = at.get("vega_lite_chart")
    return pa.ipc.open_stream(chart.proto.data.data).read_pandas()


def caption_of_table(at) -> str:
    return next(c.value for c in at.main.caption if "shown" in c.value)


def seed_history(data_dir, key) -> dict:
    """Five charges over four days, one refunded; returns task ids by name."""
    library, owner = library_of(data_dir, key)
    now = time.time()
    clock = [now - 3 * DAY]
    book = Ledger(library, clock=lambda: clock[0])
    book.record_charge(
        owner, "suno.create_music", {"description": "sea"}, task_id="task_song", song="Sea song"
    )
    book.record_charge(owner, "suno.stems_full", {"song_id": "c1"}, task_id="task_stems", song="Stems of Sea")
    book.settle(owner, Task.from_dict({"task_id": "task_song", "status": "completed"}))
    book.settle(owner, Task.from_dict({"task_id": "task_stems", "status": "failed"}))
    clock[0] = now - DAY
    book.record_charge(owner, "suno.wav", {"song_id": "c1"}, task_id="task_wav", song="WAV of Sea song")
    clock[0] = now
    book.record_charge(owner, "lyrics.generate", {"prompt": "the sea"}, model="lyrics")
    book.record_charge(owner, "suno.get_midi", {"clip_id": "c1"}, song="Sea song")
    return {"first_day": datetime.fromtimestamp(now - 3 * DAY, UTC).date()}


def test_an_empty_ledger_shows_the_balance_limits_what_it_buys_and_a_header_only_csv(
    open_app, make_key, downloads
):
    at = open_credits(open_app(make_key(tier="pro", credits=1000)))
    shown = metrics(at)
    assert (shown["Available"], shown["Used"], shown["Total"]) == ("1000", "0", "1000")
    buys = makeable(at)
    assert (buys["Songs"], buys["Stem splits (12 tracks)"], buys["WAV exports"]) == ("100", "20", "100")
    assert shown["Songs being made"] == "0 of 10"
    assert shown["Requests left this minute"].endswith("of 60")
    assert any(c.value.startswith("Plan: Pro · renews on ") for c in at.main.caption)
    assert "No credits spent yet." in messages(at)
    assert not any("demo credits" in m for m in messages(at))  # an account's credits are real
    assert table(at).empty
    assert caption_of_table(at) == "0 charges shown · 0 credits spent"
    assert downloads[CSV_NAME]().decode().strip() == "when,what,song,price,outcome,refunded,spent,task_id"


def test_the_sidebar_shows_the_balance_and_requests_left_the_page_just_asked_for(
    open_app, make_key, client_for
):
    key = make_key(tier="pro", credits=1000)
    at = open_app(key)
    client_for(key).lyrics.generate(prompt="the sea")  # credits spent elsewhere: another tab, the dashboard
    shown = metrics(open_credits(at))
    assert shown["Available"] == "995"  # the page asked the server again
    [balance] = at.sidebar.metric
    assert balance.value == shown["Available"]
    left = shown["Requests left this minute"].replace(" of ", "/") + " requests left this minute"
    assert any(left in c.value for c in at.sidebar.caption), (left, [c.value for c in at.sidebar.caption])


def test_on_the_built_in_engine_the_page_says_these_are_demo_credits(open_app):
    at = open_credits(open_app())
    assert any("demo credits of this workspace" in i.value for i in at.info)
    assert metrics(at)["Available"] == str(DemoLimits().credits)  # a new workspace's demo credits


def test_a_mixed_history_shows_spend_refunds_chart_and_a_csv_of_the_rows_shown(
    open_app, make_key, data_dir, downloads
):
    key = make_key()
    seeded = seed_history(data_dir, key)
    at = open_credits(open_app(key))

    shown = metrics(at)
    assert (shown["Spent"], shown["Refunded"]) == ("30", "50")
    rows = table(at)
    assert rows["what"].tolist() == ["MIDI export", "Lyrics", "WAV export", "Stems (12 tracks)", "Song"]
    assert rows["refunded"].tolist() == [False, False, False, True, False]
    assert caption_of_table(at) == "5 charges shown · 30 credits spent"

    data = chart_data(at)
    by_day = data.groupby([data["period"].dt.date, "capability", "kind"])["credits"].sum().to_dict()
    first, today = seeded["first_day"], datetime.now(UTC).date()
    assert by_day == {
        (first, "Songs", "charged"): 10, (first, "Stems", "charged"): 50, (first, "Stems", "refunded"): -50,
        (first + timedelta(days=2), "Exports", "charged"): 10,
        (today, "Exports", "charged"): 5, (today, "Lyrics", "charged"): 5,
    }  # fmt: skip

    exported = csv_rows(downloads)
    assert [r["task_id"] for r in exported] == rows["task_id"].tolist()
    assert [(r["what"], r["song"], int(r["price"]), int(r["spent"])) for r in exported] == list(
        zip(rows["what"], rows["song"], rows["price"], rows["spent"], strict=True)
    )
    assert sum(int(r["spent"]) for r in exported) == 30

    at.text_input(key="credits.search").set_value("sea song").run()
    assert table(at)["what"].tolist() == ["MIDI export", "WAV export", "Song"]
    assert [r["what"] for r in csv_rows(downloads)] == ["MIDI export", "WAV export", "Song"]
    assert caption_of_table(at) == "3 charges shown · 25 credits spent"

    at.text_input(key="credits.search").set_value("").run()
    at.button_group(key="credits.by").set_value("week").run()
    assert chart_data(at)["credits"].sum() == 30
    at.date_input(key="credits.range").set_value((today - timedelta(days=1), today)).run()
    assert (metrics(at)["Spent"], metrics(at)["Refunded"]) == ("20", "0")


def test_a_date_range_with_nothing_in_it_says_so_and_its_csv_is_a_header(
    open_app, make_key, data_dir, downloads
):
    key = make_key()
    first = seed_history(data_dir, key)["first_day"]
    at = open_credits(open_app(key))
    at.date_input(key="credits.range").set_value(
        (first - timedelta(days=30), first - timedelta(days=1))
    ).run()
    assert not at.exception
    assert "No credits were spent in these days." in messages(at)
    assert not at.get("vega_lite_chart")
    assert table(at).empty
    assert csv_rows(downloads) == []
    assert caption_of_table(at) == "0 charges shown · 0 credits spent"


def test_a_song_made_on_create_is_in_the_ledger_and_agrees_with_the_server(open_app, make_key, data_dir):
    key = make_key(credits=100)
    at = run_until(describe(open_app(key)), has_songs)
    open_credits(at)
    shown = metrics(at)
    assert (shown["Spent"], shown["Used"], shown["Available"]) == ("10", "10", "90")
    rows = table(at)
    assert rows[["what", "price", "outcome"]].values.tolist() == [["Song", 10, "done"]]
    library, owner = library_of(data_dir, key)
    assert rows["task_id"].tolist() == library.clips_frame(owner)["task_id"].tolist()


def test_create_warns_when_the_balance_cannot_pay_and_links_to_credits(open_app, make_key):
    at = open_app(make_key(credits=5))
    warning = [w.value for w in at.warning if "not enough" in w.value]
    assert warning == ["This costs 10 credits and your balance is 5: it is not enough."]
    assert [(link.proto.page, link.proto.label) for link in at.get("page_link")] == [
        ("credits", "See your credits and where they went")
    ]
    rich = open_app(make_key(credits=10))
    assert not [w for w in rich.warning if "not enough" in w.value]
    assert not rich.get("page_link")


@pytest.mark.parametrize("fault", ["500", "unreachable"])
def test_when_the_server_fails_while_the_page_opens_the_balance_is_unknown_and_the_ledger_shows(
    open_app, own_server, data_dir, fault
):
    key = own_server.create_key("pro", credits=1000)
    seed_history(data_dir, key)
    at = open_app(key, own_server.base_url)
    if fault == "500":
        own_server.configure(fault_rate=1.0, fault_kinds=("500",))
    else:
        own_server.stop()
    open_credits(at)
    assert any("balance is unknown right now" in w.value for w in at.warning), messages(at)
    assert "Available" not in metrics(at)
    assert len(table(at)) == 5
    assert metrics(at)["Spent"] == "30"


def test_a_ledger_row_whose_task_the_server_no_longer_knows_keeps_its_charge(open_app, make_key, data_dir):
    key = make_key()
    library, owner = library_of(data_dir, key)
    gone = Task.from_dict({"task_id": "task_forgotten_by_the_server", "status": "pending"})
    params = {"description": "a song the server lost", "duration": 10}
    library.record_submission(owner, gone, model="suno", call="suno.create_music", params=params)
    Ledger(library).record_charge(owner, "suno.create_music", params, task_id=gone.task_id, song="lost song")

    at = run_until(open_app(key), lambda at: any("no longer known" in m for m in messages(at)))
    open_credits(at)
    rows = table(at)
    assert rows[["song", "outcome", "spent"]].values.tolist() == [["lost song", "unknown to the server", 10]]


def test_charges_whose_task_the_library_saw_end_are_settled_on_open_and_while_the_page_is_open(
    open_app, make_key, data_dir
):
    """The tray records a task's end, then settles its charge; a run stopped in between leaves the charge
    "in progress". The page settles such charges when it opens, and again whenever the library changes."""
    key = make_key()
    library, owner = library_of(data_dir, key)
    book = Ledger(library)
    for name in ("first", "second"):
        task = Task.from_dict({"task_id": f"task_{name}", "status": "pending"})
        params = {"description": f"the {name} song", "duration": 10}
        library.record_submission(owner, task, model="suno", call="suno.create_music", params=params)
        book.record_charge(owner, "suno.create_music", params, task_id=task.task_id, song=f"{name} song")
    library.record_update(owner, Task.from_dict({"task_id": "task_first", "status": "failed"}))

    at = open_credits(open_app(key))
    outcomes = dict(table(at)[["song", "outcome"]].values.tolist())
    assert outcomes == {"first song": "failed", "second song": "in progress"}

    library.record_update(owner, Task.from_dict({"task_id": "task_second", "status": "completed"}))
    at.run()
    outcomes = dict(table(at)[["song", "outcome"]].values.tolist())
    assert outcomes == {"first song": "failed", "second song": "done"}
