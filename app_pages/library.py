"""Library: every song of this account or workspace, searchable, playable, re-runnable, downloadable."""

import streamlit as st

from lib import ui

conn = ui.page_setup("Your library")
filters = ui.library_filters()
view = ui.library_view(ui.library(), conn.owner, filters)
if view.frame.empty:
    st.info(
        f"No songs match {filters.describe()}. Change the search or the filters."
        if filters.narrowed
        else "No songs here yet. Make one on the Create page."
    )
    st.stop()

chosen = ui.library_table(view)
st.caption(ui.library_caption(len(view.frame), filters))
if chosen:
    ui.library_selection(conn, view.frame.iloc[chosen])
