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

frame = library.clips_frame(
    conn.owner,
    text=text,
    models=tuple(chosen_models),
    statuses=tuple(chosen_statuses),
    since=datetime.combine(since_day, time.min) if since_day else None,
)
if frame.empty:
    st.info(
        "No songs here yet. Make one on the Create page."
        if not (text or chosen_models or chosen_statuses or since_day)
        else "No songs match these filters."
    )
    st.stop()

# Selection follows songs, not row positions: the table is keyed by its rows, and the selected ids
# ("library.focus", also how other pages open a song here) are re-applied when the rows change.
ids = ui.row_ids(frame)
focus = set(st.session_state.get("library.focus", ()))
selection = st.dataframe(
    frame,
    selection_default={"selection": {"rows": [i for i, row_id in enumerate(ids) if row_id in focus]}},
    key=ui.table_key("library.table", ids),
    on_select="rerun",
    selection_mode="multi-row",
    hide_index=True,
    column_order=ui.LIBRARY_COLUMNS,
    column_config=ui.library_column_config(),
)
rows = frame.iloc[selection.selection.rows]
st.session_state["library.focus"] = [ids[i] for i in selection.selection.rows]
count = f"{len(frame)} song" + ("" if len(frame) == 1 else "s")
st.caption(f"{count} in your library. Tick rows to play, re-run, delete or download them.")
if rows.empty:
    st.stop()

chosen = rows["clip_id"].dropna().tolist()
if chosen:
    st.download_button(
        f"Download {len(chosen)} {'song' if len(chosen) == 1 else 'songs'} as a zip",
        data=lambda: ui.zip_songs(conn, chosen),
        file_name="songs.zip",
        mime="application/zip",
        on_click="ignore",
        key="library.zip",
        icon=":material/folder_zip:",
    )

for row in rows.itertuples():
    clip = library.clip(conn.owner, row.clip_id) if isinstance(row.clip_id, str) else None
    if clip is not None:
        ui.clip_card(conn, clip, key=f"library.{row.clip_id}")
    else:
        ui.task_card(row)
    with st.container(horizontal=True, gap="small"):
        if st.button(
            "Make again",
            key=f"library.rerun.{clip.clip_id if clip else row.task_id}",
            icon=":material/replay:",
        ):
            ui.rerun_task(conn, row.task_id)
        if clip is not None and st.button(
            "Delete", key=f"library.delete.{clip.clip_id}", icon=":material/delete:"
        ):
            st.session_state["library.confirm_delete"] = clip.clip_id
    if clip is not None and st.session_state.get("library.confirm_delete") == clip.clip_id:
        st.warning(ui.plain(f"Delete “{clip.title}” from your library? This cannot be undone."))
        with st.container(horizontal=True, gap="small"):
            if st.button("Yes, delete it", key=f"library.confirm.{clip.clip_id}", type="primary"):
                library.delete_clip(conn.owner, clip.clip_id)
                st.session_state.pop("library.confirm_delete")
                st.rerun()
            if st.button("Keep it", key=f"library.keep.{clip.clip_id}"):
                st.session_state.pop("library.confirm_delete")
                st.rerun()
