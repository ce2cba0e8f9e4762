"""Credits on screen: the ledger of this library, the balance and limits, spend, and the low-balance warning."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from lib import costs, revisions
from lib import ledger as ledger_data
from lib.errors import AIMusicAPIError
from lib.ledger import Ledger
from lib.store import default_data_dir
from lib.ui.session import BUILTIN, Studio, shared_library

CREDITS_PAGE = "app_pages/credits.py"
# The Credits page asks the server for the balance at most this often; reruns in between (typing in the
# search, changing the range) reuse the last answer, so the page spends no request budget on them.
BALANCE_MAX_AGE_SECONDS = 15.0
_CHECKED = "credits.balance_checked"  # (monotonic time, error sentence or None) of the last check


def ledger() -> Ledger:
    return _shared_ledger(str(default_data_dir()))


@st.cache_resource(show_spinner=False)
def _shared_ledger(path: str) -> Ledger:
    return Ledger(shared_library(path))


def ledger_frame(conn: Studio, *, start: date | None, end: date | None) -> pd.DataFrame:
    """The ledger rows of these days; kept between reruns until the library changes (do not modify it)."""
    book = ledger()
    return _frame(book, conn.owner, revisions.current(book.library), start, end)


@st.cache_resource(show_spinner=False, max_entries=8)
def _frame(_book: Ledger, owner: str, revision: tuple, start: date | None, end: date | None) -> pd.DataFrame:
    return _book.frame(owner, start=start, end=end)


@st.cache_resource(show_spinner=False, max_entries=8)
def _spend(_frame: pd.DataFrame, owner: str, revision: tuple, start, end, by: str) -> pd.DataFrame:
    return ledger_data.spend_over_time(_frame, by)


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
    checked_at, problem = st.session_state.get(_CHECKED, (float("-inf"), None))
    if time.monotonic() - checked_at < BALANCE_MAX_AGE_SECONDS:
        return problem
    conn.tracker.note_request()
    try:
        conn.credits = conn.client.get_credits()
        problem = None
    except AIMusicAPIError as e:
        problem = str(e)
    finally:
        conn.tracker.observe_rate_limit(conn.client.rate_limit)
    st.session_state[_CHECKED] = (time.monotonic(), problem)
    return problem


def balance_panel(conn: Studio, problem: str | None) -> None:
    """Available, used, total, plan and renewal; or, when the server did not answer, that it is unknown."""
    credits = conn.credits
    if problem is not None or credits is None:
        st.warning("Your balance is unknown right now: the server did not answer. Your ledger is below.",
                   icon=":material/cloud_off:")  # fmt: skip
        if problem:
            st.caption(problem)
        return
    available, used, total = st.columns(3)
    available.metric("Available", credits.available)
    used.metric("Used", credits.used)
    total.metric("Total", credits.total)
    st.caption(
        f"Plan: {str(credits.tier or 'unknown').title()} · renews on {credits.renewal_date or 'unknown'}"
    )


def limits_panel(conn: Studio) -> None:
    """The plan's limits beside current use: requests left this minute, running tasks against the cap."""
    rate = conn.client.rate_limit
    requests_left = f"{rate.remaining} of {rate.limit}" if rate is not None and rate.limit else "unknown"
    running = len(conn.tracker.pending)
    cols = st.columns(2)
    cols[0].metric("Requests left this minute", requests_left)
    cols[1].metric("Songs being made", f"{running} of {conn.tracker.max_concurrent}")


def makeable_panel(conn: Studio) -> None:
    """How many of each main thing the balance still buys, from the price list."""
    counts = ledger_data.what_you_can_make(conn.available)
    if not counts:
        st.caption("What your balance buys shows once the balance is known.")
        return
    cols = st.columns(len(counts))
    for col, (thing, price, count) in zip(cols, counts, strict=True):
        col.metric(thing[0].upper() + thing[1:], count, help=f"{price} credits each")


def spend_chart(conn: Studio, frame: pd.DataFrame, *, start, end, by: str, key: str) -> None:
    """Stacked bars of credits per day or week by capability; refunds are paler bars below zero.

    A Vega-Lite spec written out, not built with Altair: Altair validates its whole schema on every rerun.
    """
    data = _spend(frame, conn.owner, revisions.current(ledger().library), start, end, by)
    spec = {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "timeUnit": "yearmonthdate", "title": None},
            "y": {"field": "credits", "type": "quantitative", "aggregate": "sum", "title": "Credits"},
            "color": {"field": "capability", "type": "nominal", "title": "Capability"},
            "opacity": {"field": "kind", "type": "nominal", "title": None,
                        "scale": {"domain": ["charged", "refunded"], "range": [1.0, 0.45]}},
        },
    }  # fmt: skip
    st.vega_lite_chart(data, spec, key=key, width="stretch")


LEDGER_COLUMN_CONFIG = {
    "when": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
    "what": st.column_config.TextColumn("What"),
    "song": st.column_config.TextColumn("Song", width="large"),
    "price": st.column_config.NumberColumn("Price", format="%d"),
    "outcome": st.column_config.TextColumn("Outcome"),
    "refunded": st.column_config.CheckboxColumn("Refunded"),
    "spent": st.column_config.NumberColumn("Spent", format="%d"),
    "task_id": st.column_config.TextColumn("Task"),
}


def ledger_table(frame: pd.DataFrame, *, key: str) -> None:
    """The ledger rows with a CSV download of exactly these rows (a header alone when there are none)."""
    st.dataframe(frame, key=key, hide_index=True, column_order=ledger_data.COLUMNS,
                 column_config=LEDGER_COLUMN_CONFIG)  # fmt: skip
    st.download_button(
        "Download these rows as CSV",
        data=lambda: ledger_data.csv_bytes(frame),
        file_name="credits-ledger.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}.csv",
        icon=":material/download:",
    )
