"""Credits: balance, plan and limits, what the balance still buys, where the credits went, the ledger, and
the webhook signing secret."""

import streamlit as st

from lib import ui

conn = ui.page_setup("Credits")

if conn.mode == ui.BUILTIN:
    st.info(
        "These are demo credits of this workspace on the built-in engine: they cost nothing and are not "
        "the credits of an AI Music API account.",
        icon=":material/science:",
    )

problem = ui.check_balance(conn)
ui.balance_panel(conn, problem)
ui.makeable_panel(conn)

st.subheader("Where your credits went")
period = ui.spend_section(conn)
ui.ledger_section(period)  # the same days: one heading over the chart and the rows
ui.webhook_secret_panel(conn)
