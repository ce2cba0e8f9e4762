"""Library: every song of this account or workspace, searchable, playable, re-runnable, downloadable."""

import streamlit as st

from lib import ui

conn = ui.page_setup("Your library")
filters = ui.library_filters()
view = ui.library_view(ui.library(), conn.owner, filters)
if view.frame.empty:
    st.info(
        "No songs match these filters."
        if filters.narrowed
        else "No songs here yet. Make one on the Create page."
    )
    st.stop()

chosen = ui.library_table(view)
count = f"{len(view.frame)} song" + ("" if len(view.frame) == 1 else "s")
st.caption(f"{count} in your library. Tick rows to play, re-run, delete or download them.")
if chosen:
    ui.library_selection(conn, view.frame.iloc[chosen])
