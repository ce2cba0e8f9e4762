"""Credits on screen: the ledger of this library, the balance and limits, spend, and the low-balance warning."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from lib import arrow_tables, costs, revisions
from lib import ledger as ledger_data
from lib.errors import AIMusicAPIError
from lib.ledger import Ledger
from lib.store import default_data_dir
from lib.ui.columns import lean
from lib.ui.session import BUILTIN, Studio, shared_library, studio

CREDITS_PAGE = "app_pages/credits.py"
# The Credits page asks the server for the balance at most this often; reruns in between (typing in the
# search, changing the range) reuse the last answer, so the page spends no request budget on them.
BALANCE_MAX_AGE_SECONDS = 15.0
_CHECKED = "credits.balance_checked"  # (monotonic time, owner, error sentence or None) of the last check
_REBUILT = "credits.rebuilt_for"  # the owner whose ledger this session made sure was rebuilt
_RECONCILED = "credits.reconciled_at"  # (owner, library revision) when this session last reconciled


def ledger() -> Ledger:
    return _shared_ledger(str(default_data_dir()))


@functools.lru_cache(maxsize=8)  # as shared_library: asked on every rerun of the Credits page
def _shared_ledger(path: str) -> Ledger:
    return Ledger(shared_library(path))


@dataclass(frozen=True)
class LedgerOverview:
    """Whose ledger, at which revision of the library, and the day of its first charge."""

    book: Ledger
    owner: str
    revision: tuple
    first_day: date | None

    def key(self, *parts) -> tuple:
        return (str(self.book.library.db_path), self.owner, self.revision, *parts)


@dataclass(frozen=True)
class LedgerPeriod:
    """The charges between two days with their sums and chart data (per "day" and "week")."""

    overview: LedgerOverview
    start: date | None
    end: date | None
    frame: pd.DataFrame
    totals: dict[str, int]
    spend: dict[str, pa.Table]


@dataclass(frozen=True)
class LedgerRows:
    """The charges of a period that a search shows; `table` is their columns on screen, already in Arrow."""

    frame: pd.DataFrame
    table: pa.Table
    spent: int


# Views are kept between reruns until the library's revision moves (lib/revisions.py; read once per run by
# ledger_overview), so a rerun (a click, a keystroke in the search) neither queries 10 000 rows again nor
# converts them to Arrow again. They are shared: never modify them.
_VIEWS = revisions.Views(size=12)


def ledger_overview(conn: Studio) -> LedgerOverview:
    """The ledger of this owner now; rebuilt from the library's old tasks the first time (see Ledger.rebuild)."""
    book = ledger()
    if st.session_state.get(_REBUILT) != conn.owner:
        book.rebuild(conn.owner)
        st.session_state[_REBUILT] = conn.owner
    revision = revisions.current(book.library)
    if st.session_state.get(_RECONCILED) != (conn.owner, revision):
        # A write transaction: only worth it when the library changed since this session last did it.
        if book.reconcile(conn.owner):
            revision = revisions.current(book.library)
        st.session_state[_RECONCILED] = (conn.owner, revision)
    key = (str(book.library.db_path), conn.owner, revision, "first day")
    return LedgerOverview(book, conn.owner, revision, _VIEWS.get(key, lambda: book.first_day(conn.owner)))


def ledger_period(overview: LedgerOverview, *, start: date | None, end: date | None) -> LedgerPeriod:
    def compute() -> LedgerPeriod:
        frame = overview.book.frame(overview.owner, start=start, end=end)
        spend = {by: _arrow(ledger_data.spend_over_time(frame, by)) for by in ("day", "week")}
        return LedgerPeriod(overview, start, end, frame, ledger_data.totals(frame), spend)

    return _VIEWS.get(overview.key("period", start, end), compute)


def ledger_rows(period: LedgerPeriod, text: str) -> LedgerRows:
    def compute() -> LedgerRows:
        shown = ledger_data.search(period.frame, text)
        table = arrow_tables.compact(shown.loc[:, list(ledger_data.COLUMNS)])
        return LedgerRows(shown, table, int(shown["spent"].sum()))

    return _VIEWS.get(period.overview.key("rows", period.start, period.end, text), compute)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Chart data in plain Arrow: one row per day (or week), capability and kind, far fewer than the ledger's
    rows, so arrow_tables.compact (made for the ledger's table) would save little here."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def record_charge(
    conn: Studio,
    call: str,
    params: dict[str, Any],
    *,
    task_id: str | None = None,
    model: str = "",
    song: str = "",
) -> int:
    """Record a paid request the server just accepted (see lib.ledger.Ledger.record_charge); returns the price.

    Pages that call the API at once rather than through the tray (lyrics, MIDI) call this after the answer.
    """
    return ledger().record_charge(conn.owner, call, params, task_id=task_id, model=model, song=song)


def low_balance_warning(conn: Studio, price: int) -> None:
    """When the known balance cannot pay `price`: say so, with a way to the Credits page."""
    if costs.affordable(conn.available, price):
        return
    demo = " (demo credits of this workspace)" if conn.mode == BUILTIN else ""
    st.warning(
        f"This costs {price} credits and your balance{demo} is {conn.available}: it is not enough.",
        icon=":material/account_balance_wallet:",
    )
    st.page_link(CREDITS_PAGE, label="See your credits and where they went", icon=":material/receipt_long:")


def check_balance(conn: Studio) -> str | None:
    """Ask the server for the balance (at most every BALANCE_MAX_AGE_SECONDS); the failure as a sentence."""
    checked_at, owner, problem = st.session_state.get(_CHECKED, (float("-inf"), "", None))
    if owner == conn.owner and time.monotonic() - checked_at < BALANCE_MAX_AGE_SECONDS:
        return problem
    conn.tracker.note_request()
    try:
        conn.credits = conn.client.get_credits()
        problem = None
    except AIMusicAPIError as e:
        problem = str(e)
    finally:
        conn.tracker.observe_rate_limit(conn.client.rate_limit)
    st.session_state[_CHECKED] = (time.monotonic(), conn.owner, problem)
    return problem


def check_balance_before_the_sidebar(page) -> None:
    """When `page` (from st.navigation) is the Credits page, ask for the balance before the sidebar shows it:
    the page then reuses this answer, and the sidebar and the page show the same balance and requests left."""
    conn = studio()
    if conn is not None and conn.connected and page.url_path == Path(CREDITS_PAGE).stem:
        check_balance(conn)


def balance_panel(conn: Studio, problem: str | None) -> None:
    """One row: available, used and total credits, then the plan's limits beside current use (requests left
    this minute, songs being made against the cap); the plan and its renewal below. When the server did not
    answer, the balance is said to be unknown and the limits still show."""
    credits = conn.credits
    known = problem is None and credits is not None
    if not known:
        st.warning("Your balance is unknown right now: the server did not answer. Your ledger is below.",
                   icon=":material/cloud_off:")  # fmt: skip
        if problem:
            st.caption(problem)
    rate = conn.client.rate_limit
    with st.container(horizontal=True):  # one block where st.columns made six
        if known:
            st.metric("Available", credits.available)
            st.metric("Used", credits.used)
            st.metric("Total", credits.total)
        st.metric(
            "Requests left this minute",
            f"{rate.remaining} of {rate.limit}" if rate is not None and rate.limit else "unknown",
        )
        st.metric("Songs being made", f"{len(conn.tracker.pending)} of {conn.tracker.max_concurrent}")
    if known:
        st.caption(
            f"Plan: {str(credits.tier or 'unknown').title()} · renews on {credits.renewal_date or 'unknown'}"
        )


def makeable_panel(conn: Studio) -> None:
    """Under its heading, how many of each main thing the balance still buys, from the price list."""
    heading = "### What you can still make"
    counts = ledger_data.what_you_can_make(conn.available)
    if not counts:
        st.markdown(heading)
        st.caption("What your balance buys shows once the balance is known.")
        return
    # The heading and one small table (what, how many, price each) in one element: a subheader and a row of
    # metrics made twelve, and each element adds to every rerun of the page.
    rows = "".join(
        f"| {thing[0].upper() + thing[1:]} | {count} | {price} credits |\n" for thing, price, count in counts
    )
    st.markdown(f"{heading}\n\n| | You can make | Each costs |\n|:--|--:|--:|\n{rows}")


def spend_chart(period: LedgerPeriod, *, by: str, key: str) -> None:
    """Stacked bars of credits per day or week by capability; refunds are paler bars below zero.

    A Vega-Lite spec written out, not built with Altair: Altair validates its whole schema on every rerun.
    """
    spec = {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "timeUnit": "yearmonthdate", "title": None,
                  "axis": {"format": "%d %b %Y", "labelAngle": 0}},
            "y": {"field": "credits", "type": "quantitative", "aggregate": "sum", "title": "Credits"},
            "color": {"field": "capability", "type": "nominal", "title": "Capability"},
            "opacity": {"field": "kind", "type": "nominal", "title": None,
                        "scale": {"domain": ["charged", "refunded"], "range": [1.0, 0.45]}},
        },
    }  # fmt: skip
    st.vega_lite_chart(period.spend[by], spec, key=key, width="stretch")


def spend_section(conn: Studio) -> LedgerPeriod:
    """The days chosen and what was spent in them, in one row, then a chart per day or week; returns that
    period. One row, not two: every block and element adds to each rerun of the page."""
    today = datetime.now(UTC).date()
    overview = ledger_overview(conn)
    with st.container(horizontal=True):  # labels in one line: Between, Per, Spent, Refunded
        days = st.date_input(
            "Between",
            value=(min(overview.first_day or today, today), today),
            key="credits.range",
            format="YYYY-MM-DD",
            width=280,
        )
        by = st.segmented_control("Per", ["day", "week"], key="credits.by", default="day", required=True)
        period = ledger_period(
            overview, start=days[0] if days else None, end=days[1] if len(days) > 1 else None
        )
        if not period.frame.empty:
            st.metric("Spent", period.totals["spent"], help="Charged minus refunded, in these days")
            st.metric("Refunded", period.totals["refunded"], help="Failed tasks are refunded by the server")
    if period.frame.empty:
        st.info("No credits were spent in these days." if overview.first_day else "No credits spent yet.")
        return period
    spend_chart(period, by=by, key="credits.chart")
    return period


def ledger_section(period: LedgerPeriod) -> None:
    """The period's charges, searchable, with their CSV and what the rows shown add up to."""
    text = st.text_input("Search the ledger", key="credits.search", placeholder="what, song or task").strip()
    rows = ledger_rows(period, text)
    ledger_table(rows, key="credits.table")
    st.caption(
        f"{len(rows.frame)} charge{'' if len(rows.frame) == 1 else 's'} shown · {rows.spent} credits spent"
    )


LEDGER_COLUMN_CONFIG = lean(
    {
        "when": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
        "what": st.column_config.TextColumn("What"),
        "song": st.column_config.TextColumn("Song", width="large"),
        "price": st.column_config.NumberColumn("Price", format="%d"),
        "outcome": st.column_config.TextColumn("Outcome"),
        "refunded": st.column_config.CheckboxColumn("Refunded"),
        "spent": st.column_config.NumberColumn("Spent", format="%d"),
        "task_id": st.column_config.TextColumn("Task"),
    }
)


def ledger_table(rows: LedgerRows, *, key: str) -> None:
    """The ledger rows with a CSV download of exactly these rows (a header alone when there are none)."""
    st.dataframe(rows.table, key=key, hide_index=True, column_config=LEDGER_COLUMN_CONFIG)
    st.download_button(
        "Download these rows as CSV",
        data=lambda: ledger_data.csv_bytes(rows.frame),
        file_name="credits-ledger.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}.csv",
        icon=":material/download:",
    )
