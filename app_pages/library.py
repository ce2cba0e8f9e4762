"""Library: every song of this account or workspace, searchable, playable, re-runnable, downloadable."""

from datetime import date, datetime, time

import streamlit as st

from lib import ui

conn = ui.page_setup()
library = ui.library()

st.title("Your library")

search, models, statuses, since = st.columns([3, 2, 2, 2])
text = search.text_input("Search", key="library.search", placeholder="title or prompt").strip()
chosen_models = models.multiselect("Model", ui.MODELS, key="library.models", placeholder="All models")
chosen_statuses = statuses.multiselect(
    "Status", ui.STATUSES, key="library.statuses", placeholder="Any status"
)
since_day = since.date_input("Made since", value=None, key="library.since", max_value=date.today())

view = ui.library_view(
    library,
    conn.owner,
    text=text,
    models=tuple(chosen_models),
    statuses=tuple(chosen_statuses),
    since=datetime.combine(since_day, time.min) if since_day else None,
)
frame, ids = view.frame, view.ids
if frame.empty:
    st.info(
        "No songs here yet. Make one on the Create page."
        if not (text or chosen_models or chosen_statuses or since_day)
        else "No songs match these filters."
    )
    st.stop()

# Selection follows songs, not row positions: the table is keyed by its rows, and the selected ids
# ("library.focus", also how other pages open a song here) are re-applied when the rows change.
focus = set(st.session_state.get("library.focus", ()))
selection = st.dataframe(
    view.table,
    selection_default={"selection": {"rows": [i for i, row_id in enumerate(ids) if row_id in focus]}},
    key=view.key,
    on_select="rerun",
    selection_mode="multi-row",
    hide_index=True,
    column_config=ui.library_column_config(),
)
chosen_rows = selection.selection.rows
st.session_state["library.focus"] = [ids[i] for i in chosen_rows]
count = f"{len(frame)} song" + ("" if len(frame) == 1 else "s")
st.caption(f"{count} in your library. Tick rows to play, re-run, delete or download them.")
if not chosen_rows:
    st.stop()
ui.library_selection(conn, frame.iloc[chosen_rows])
