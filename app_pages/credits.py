"""Credits: balance, plan and limits, what the balance still buys, where the credits went, and the ledger."""

from datetime import UTC, datetime

import streamlit as st

from lib import ui

conn = ui.page_setup()

st.title("Credits")
if conn.mode == ui.BUILTIN:
    st.info(
        "These are demo credits of this workspace on the built-in engine: they cost nothing and are not "
        "the credits of an AI Music API account.",
        icon=":material/science:",
    )

problem = ui.check_balance(conn)
ui.balance_panel(conn, problem)
ui.limits_panel(conn)
ui.webhook_secret_panel(conn)
st.subheader("What you can still make")
ui.makeable_panel(conn)

st.subheader("Where your credits went")
today = datetime.now(UTC).date()
overview = ui.ledger_overview(conn)
first_day = overview.first_day
range_col, by_col = st.columns([3, 1])
days = range_col.date_input(
    "Between", value=(min(first_day or today, today), today), key="credits.range", format="YYYY-MM-DD"
)
by = by_col.radio("Per", ["day", "week"], key="credits.by", horizontal=True)
period = ui.ledger_period(overview, start=days[0] if days else None, end=days[1] if len(days) > 1 else None)

if period.frame.empty:
    st.info("No credits were spent in these days." if first_day else "No credits spent yet.")
else:
    spent, refunded, charges = st.columns(3)
    spent.metric("Spent", period.totals["spent"], help="Charged minus refunded, in these days")
    refunded.metric("Refunded", period.totals["refunded"], help="Failed tasks are refunded by the server")
    charges.metric("Charges", period.totals["count"])
    ui.spend_chart(period, by=by, key="credits.chart")

st.subheader("Ledger")
text = st.text_input("Search the ledger", key="credits.search", placeholder="what, song or task").strip()
rows = ui.ledger_rows(period, text)
ui.ledger_table(rows, key="credits.table")
st.caption(f"{len(rows.frame)} charge{'' if len(rows.frame) == 1 else 's'} shown · {rows.spent} credits spent")
