"""Credits: balance, plan and limits, what the balance still buys, where the credits went, and the ledger."""

from datetime import UTC, datetime

import streamlit as st

from lib import ledger, ui

conn = ui.page_setup()
book = ui.ledger()
book.rebuild(conn.owner)  # once per owner: charges of songs made before the ledger existed

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
st.subheader("What you can still make")
ui.makeable_panel(conn)

st.subheader("Where your credits went")
today = datetime.now(UTC).date()
first_day = book.first_day(conn.owner)
first = min(first_day or today, today)
range_col, by_col = st.columns([3, 1])
days = range_col.date_input("Between", value=(first, today), key="credits.range", format="YYYY-MM-DD")
by = by_col.radio("Per", ["day", "week"], key="credits.by", horizontal=True)
start = days[0] if days else None
end = days[1] if len(days) > 1 else None
frame = ui.ledger_frame(conn, start=start, end=end)

if frame.empty:
    st.info("No credits were spent in these days." if first_day else "No credits spent yet.")
else:
    sums = ledger.totals(frame)
    spent, refunded, charges = st.columns(3)
    spent.metric("Spent", sums["spent"], help="Charged minus refunded, in these days")
    refunded.metric("Refunded", sums["refunded"], help="Failed tasks are refunded by the server")
    charges.metric("Charges", sums["count"])
    ui.spend_chart(conn, frame, start=start, end=end, by=by, key="credits.chart")

st.subheader("Ledger")
text = st.text_input("Search the ledger", key="credits.search", placeholder="what, song or task").strip()
shown = ledger.search(frame, text)
ui.ledger_table(shown, key="credits.table")
st.caption(
    f"{len(shown)} charge{'' if len(shown) == 1 else 's'} shown · {int(shown['spent'].sum())} credits spent"
)
