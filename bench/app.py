"""Benchmarks of the app, printed as figures and ratios (never asserted).

Tray: N songs on the real built-in engine (optionally each delayed like a busy hosted API), tracked by
lib.tasks.TaskTracker with the real client, against a fixed 2-second poller. Figures: poll requests per completed task, completion-to-display latency (the server's
own completion time to the moment the poller sees it), and 429 answers.

Library: median rerun time of the Library page (app_pages/library.py in the full app, AppTest) with 500 clips
in the library, against bare pages that show only the same table, and against an empty Streamlit page.
The Library is measured as it opens, its Filters panel shut, and then with the panel open.
Credits: the same for the Credits page with 10 000 ledger rows. Pages compared are rerun in turns, and each
comparison is repeated (--repeats); the figures shown are those of the repeat with the median ratio. Each
page's reruns taken back to back are printed too (bench/reruns.py: how far the two ways differ).
Run it from the repository (its .streamlit/config.toml applies, as it does to the app).

    python bench/app.py [--tasks 4] [--tier pro] [--seconds 10] [--rounds 3] [--delay 0]
                        [--clips 500] [--ledger-rows 10000] [--reruns 15] [--repeats 5]
                        [--only tray|library]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.dataframe_util import convert_arrow_table_to_arrow_bytes  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.reruns import connect_with, median_rerun, middle, ratios, repeated  # noqa: E402
from emulator import start_in_background  # noqa: E402
from lib import arrow_tables, costs  # noqa: E402
from lib.client import AIMusicClient, RetryConfig  # noqa: E402
from lib.errors import RateLimitError  # noqa: E402
from lib.ledger import COLUMNS as LEDGER_COLUMNS  # noqa: E402
from lib.ledger import Ledger, write_charge  # noqa: E402
from lib.models import Task  # noqa: E402
from lib.store import Library  # noqa: E402
from lib.tasks import TaskTracker, tier_limits  # noqa: E402
from lib.ui.tables import LIBRARY_COLUMNS  # noqa: E402
from lib.workspace import owner_id  # noqa: E402

PROMPTS = (
    "calm lo-fi piano",
    "bright folk guitar",
    "dark synthwave",
    "happy ukulele pop",
    "slow blues",
    "jazz trio",
)
FIXED_INTERVAL = 2.0


class Run:
    """One poller's run: its requests, what it saw when, and 429 answers."""

    def __init__(self, name: str, server, client: AIMusicClient, tier: str):
        self.name, self.server, self.client = name, server, client
        self.tracker = TaskTracker(*tier_limits(tier))  # one per session, as in the app: it spans the rounds
        self.polls = self.refused = 0
        self.retry_after = 0.0
        # Seconds from the server finishing a task to this poller seeing it.
        self.latency: dict[str, float] = {}

    def poll(self, task_id: str) -> Task | None:
        self.polls += 1
        try:
            task = self.client.suno.get_music(task_id)
        except RateLimitError as e:
            self.refused += 1
            self.retry_after = e.retry_after or 1.0
            return None
        if task.is_done:
            self.latency[task_id] = time.time() - self.server.runtime.store.task(task_id)["completed_at"]
        return task

    def latencies(self) -> list[float]:
        return list(self.latency.values())


def submit_all(client: AIMusicClient, count: int, seconds: int) -> list[Task]:
    return [
        client.suno.create_music(description=PROMPTS[i % len(PROMPTS)], duration=seconds)
        for i in range(count)
    ]


def run_tracker(run: Run, tasks: list[Task]) -> None:
    tracker = run.tracker
    for task in tasks:
        tracker.note_request()
        tracker.track(task.task_id, "suno", task.task_id, task.estimated_time)
    while (delay := tracker.next_delay()) is not None:
        time.sleep(delay)
        for task_id in tracker.due():
            task = run.poll(task_id)
            tracker.observe_rate_limit(run.client.rate_limit)
            if task is None:
                tracker.hold(run.retry_after)
            else:
                tracker.update(task)


def run_fixed(run: Run, tasks: list[Task]) -> None:
    pending = {task.task_id for task in tasks}
    while pending:
        time.sleep(FIXED_INTERVAL)
        for task_id in sorted(pending):
            task = run.poll(task_id)
            if task is not None and task.is_done:
                pending.discard(task_id)


def bench_tray(args) -> None:
    count = min(args.tasks, tier_limits(args.tier)[1])  # more would be refused with concurrent_task_limit
    with tempfile.TemporaryDirectory() as data_dir:
        server = start_in_background(data_dir, task_delay_seconds=args.delay)
        try:
            warm = AIMusicClient(
                api_key=server.create_key(tier="pro", credits=10_000), base_url=server.base_url
            )
            # One song first, so the engine's estimated_time has learnt this machine's speed.
            warm.wait_for_task(submit_all(warm, 1, args.seconds)[0].task_id, timeout=600)
            runs = {}
            for name, poller in (("tracker", run_tracker), ("fixed 2 s", run_fixed)):
                key = server.create_key(tier=args.tier, credits=10_000)
                # No retries: every 429 reaches the poller and is counted, none is waited out inside the client.
                client = AIMusicClient(
                    api_key=key, base_url=server.base_url, retry=RetryConfig(max_retries=0)
                )
                run = runs[name] = Run(name, server, client, args.tier)
                for _ in range(args.rounds):
                    poller(run, submit_all(client, count, args.seconds))
        finally:
            server.stop()
    print(
        f"Tray: {args.rounds} rounds of {count} songs of {args.seconds} s at once, tier {args.tier}, built-in engine"
    )
    print(f"{'poller':<10} {'polls/task':>10} {'median lat':>11} {'p90 lat':>8} {'max lat':>8} {'429s':>5}")
    for run in runs.values():
        lat = run.latencies()
        print(
            f"{run.name:<10} {run.polls / len(lat):>10.2f} {statistics.median(lat):>10.2f}s "
            f"{np.percentile(lat, 90):>7.2f}s {max(lat):>7.2f}s {run.refused:>5}"
        )
    mine, fixed = runs["tracker"], runs["fixed 2 s"]
    print(f"ratio tracker/fixed: requests per task {mine.polls / fixed.polls:.2f}, "
          f"median latency {statistics.median(mine.latencies()) / statistics.median(fixed.latencies()):.2f}")  # fmt: skip


def seed_library(data_dir: Path, key: str, clips: int) -> float:
    """Fill the key's library with `clips` clips; returns the median time of one clips_frame query."""
    library, owner = Library(data_dir / "library.db", data_dir / "audio"), owner_id(key)
    per_task = 2
    for i in range(clips // per_task):
        task_id = f"task_bench{i:06d}"
        params = {"description": f"{PROMPTS[i % len(PROMPTS)]} number {i}", "duration": 30}
        library.record_submission(owner, Task(task_id, "pending"), model="suno", call="suno.create_music",
                                  params=params)  # fmt: skip
        clips_json = [
            {"id": f"clip_bench{i:06d}{j}", "audio_url": "http://127.0.0.1:9/x.mp3", "title": f"Song {i}.{j}",
             "duration": 30, "metadata": {"model": "suno", "prompt": params["description"]}}
            for j in range(per_task)
        ]  # fmt: skip
        completed = {"task_id": task_id, "status": "completed", "clips": clips_json}
        library.record_update(owner, Task.from_dict(completed))
    times = []
    for _ in range(20):
        start = time.perf_counter()
        library.clips_frame(owner)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


BARE_TABLE_PAGE = """
import pandas as pd
import streamlit as st

@st.cache_resource
def rows():
    return pd.read_pickle({path!r})

st.dataframe(rows(), hide_index=True)
"""


def bare_table_page(frame, path: Path) -> AppTest:
    """A page that only shows `frame` (kept in memory) in st.dataframe."""
    frame.to_pickle(path)
    bare = AppTest.from_string(BARE_TABLE_PAGE.format(path=str(path)), default_timeout=60)
    return bare.run()


SHELL_ENTRY = """
import streamlit as st
from lib import ui

st.set_page_config(page_title="bench", layout="wide")
ui.init_session()
ui.connection_sidebar()
navigation = st.navigation([st.Page({page!r}, title="Table")])
ui.task_tray()
ui.status_sidebar()
navigation.run()
"""


def shell_table_page(frame, folder: Path, key: str, base_url: str) -> AppTest:
    """The same table as the only content of a page in the studio's shell (sidebar, navigation, tray)."""
    folder.mkdir()
    frame.to_pickle(folder / "rows.pkl")
    page = folder / "table_page.py"
    page.write_text(BARE_TABLE_PAGE.format(path=str(folder / "rows.pkl")))
    (folder / "entry.py").write_text(SHELL_ENTRY.format(page=str(page)))
    connect_with(key, base_url)
    return AppTest.from_file(str(folder / "entry.py"), default_timeout=120).run()


def open_page(key: str, base_url: str, page: str) -> AppTest:
    connect_with(key, base_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    return at


def seed_ledger(data_dir: Path, key: str, rows: int) -> None:
    """`rows` charges over the last 90 days, one in ten refunded, written in one transaction."""
    library, owner = Library(data_dir / "library.db", data_dir / "audio"), owner_id(key)
    Ledger(library)  # its tables
    now = time.time()
    calls = ("suno.create_music", "suno.wav", "suno.stems_full", "lyrics.generate", "suno.extend_music")
    with library.connect() as db:
        for i in range(rows):
            call = calls[i % len(calls)]
            task_id = None if call == "lyrics.generate" else f"task_ledger{i:06d}"
            outcome = "failed" if task_id and i % 10 == 3 else "completed" if task_id else "charged"
            write_charge(db, owner, now - (rows - i) * 90 * 86_400 / rows, call, {"description": "x"},
                         costs.estimate(call), model=call.partition(".")[0], task_id=task_id, song=f"Song {i}",
                         outcome=outcome)  # fmt: skip


def bench_library(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        os.environ["AIMUSIC_DATA_DIR"] = str(data_dir)
        server = start_in_background(Path(tmp) / "emulator")
        try:
            key = server.create_key(tier="pro", credits=1000)
            frame_median = seed_library(data_dir, key, args.clips)
            at = open_page(key, server.base_url, "app_pages/library.py")
            caption = next((c.value for c in at.caption if "in your library" in c.value), "no count shown")
            library = Library(data_dir / "library.db", data_dir / "audio")
            clips = library.clips_frame(owner_id(key))
            # Two bare pages: the table as the Library page used to hand it to st.dataframe (every column of
            # clips_frame, 7 of them displayed: the baseline), and only the 7 columns on screen.
            bare_full = bare_table_page(clips, Path(tmp) / "clips.pkl")
            bare_shown = bare_table_page(clips.loc[:, list(LIBRARY_COLUMNS)], Path(tmp) / "shown.pkl")
            shell = shell_table_page(clips, Path(tmp) / "shell", key, server.base_url)
            library_repeats = repeated(args.repeats, args.reruns, at, bare_full, bare_shown, shell)
            library_median, bare_library, bare_columns, shell_library = middle(library_repeats)
            library_b2b = repeated(args.repeats, args.reruns, at, bare_full, back_to_back=True)
            at.session_state["library.filters_open"] = True  # a click on Filters: its fields are drawn too
            panel_open = repeated(args.repeats, args.reruns, at.run(), bare_full)

            ledger_key = server.create_key(tier="pro", credits=1000)
            seed_ledger(data_dir, ledger_key, args.ledger_rows)
            at = open_page(ledger_key, server.base_url, "app_pages/credits.py")
            ledger_caption = next((c.value for c in at.caption if "shown" in c.value), "no count shown")
            shown = Ledger(library).frame(owner_id(ledger_key)).loc[:, list(LEDGER_COLUMNS)]
            ledger_kb = (
                table_kb(pa.Table.from_pandas(shown, preserve_index=False)),
                table_kb(arrow_tables.compact(shown)),
            )
            bare = bare_table_page(shown, Path(tmp) / "ledger.pkl")
            shell = shell_table_page(shown, Path(tmp) / "shell-ledger", ledger_key, server.base_url)
            credits_repeats = repeated(args.repeats, args.reruns, at, bare, shell)
            credits_median, bare_ledger, shell_ledger = middle(credits_repeats)
            credits_b2b = repeated(args.repeats, args.reruns, at, bare, back_to_back=True)

            empty = AppTest.from_string("import streamlit as st\n", default_timeout=60)
            empty.run()
            empty_median = median_rerun(empty, args.reruns)
        finally:
            server.stop()
    print(f"Library: {args.clips} clips seeded ({caption}), median of {args.reruns} reruns, taken in turns")
    print(f"clips_frame  {frame_median * 1000:8.1f} ms (the one query behind the table)")
    print(f"library page {library_median * 1000:8.1f} ms")
    print(f"bare table   {bare_library * 1000:8.1f} ms (a page showing only the same {args.clips}-row clips_frame)")
    print(f"bare columns {bare_columns * 1000:8.1f} ms (a page showing only its {len(LIBRARY_COLUMNS)} columns on screen)")
    print(f"shell table  {shell_library * 1000:8.1f} ms (the same clips_frame as the only content of a studio page)")
    print(f"empty page   {empty_median * 1000:8.1f} ms")
    print(f"ratio library/bare table: {library_median / bare_library:.2f} (goal <= 1.3; the median of "
          f"{args.repeats} repeats: {ratios(library_repeats)})")  # fmt: skip
    print(f"back to back: library page {middle(library_b2b)[0] * 1000:.1f} ms, bare table "
          f"{middle(library_b2b)[1] * 1000:.1f} ms, ratio {_ratio(library_b2b)} (each page's {args.reruns} reruns "
          f"together; repeats: {ratios(library_b2b)})")  # fmt: skip
    print(f"Filters panel open: library page {middle(panel_open)[0] * 1000:.1f} ms, bare table "
          f"{middle(panel_open)[1] * 1000:.1f} ms, ratio {_ratio(panel_open)} (in turns; repeats: {ratios(panel_open)})")  # fmt: skip
    print(f"ratio library/bare columns: {library_median / bare_columns:.2f}")
    print(f"ratio library/shell table: {library_median / shell_library:.2f} (what the page adds to its table)")
    print(f"ratio library/empty: {library_median / empty_median:.1f}")
    print(f"Credits: {args.ledger_rows} ledger rows ({ledger_caption}), median of {args.reruns} reruns, in turns")
    print(f"credits page {credits_median * 1000:8.1f} ms")
    print(f"bare table   {bare_ledger * 1000:8.1f} ms (a page showing only the same {args.ledger_rows}-row table)")
    print(f"shell table  {shell_ledger * 1000:8.1f} ms (the same table as the only content of a studio page)")
    print(f"table bytes  {ledger_kb[1]:8.0f} KB as the page sends them (lib/arrow_tables.py), {ledger_kb[0]:.0f} KB "
          "as the bare page does (pandas' own conversion)")  # fmt: skip
    print(f"ratio credits/bare table: {credits_median / bare_ledger:.2f} (goal <= 1.5; the median of "
          f"{args.repeats} repeats: {ratios(credits_repeats)})")  # fmt: skip
    print(f"back to back: credits page {middle(credits_b2b)[0] * 1000:.1f} ms, bare table "
          f"{middle(credits_b2b)[1] * 1000:.1f} ms, ratio {_ratio(credits_b2b)} (repeats: {ratios(credits_b2b)})")  # fmt: skip
    print(f"ratio credits/shell table: {credits_median / shell_ledger:.2f} (what the page adds to its table)")


def table_kb(table: pa.Table) -> float:
    """The size of the Arrow bytes st.dataframe writes for `table` on every rerun."""
    return len(convert_arrow_table_to_arrow_bytes(table)) / 1000


def _ratio(measurements: list[list[float]]) -> str:
    page, baseline = middle(measurements)[:2]
    return f"{page / baseline:.2f}"


def main() -> None:
    os.chdir(ROOT)  # the app's .streamlit/config.toml, as `streamlit run` from the repository reads it
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--tier", default="pro", choices=("free", "starter", "pro", "custom"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each task waits before it starts")
    parser.add_argument("--clips", type=int, default=500)
    parser.add_argument("--ledger-rows", type=int, default=10_000)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=5, help="measurements of each page against its baselines")
    parser.add_argument("--only", choices=("tray", "library"))
    args = parser.parse_args()
    if args.only != "library":
        bench_tray(args)
    if args.only != "tray":
        bench_library(args)


if __name__ == "__main__":
    main()
