"""The Library's table: its columns, stable row ids, a key that follows the rows, a view kept between reruns,
and what is shown for the rows a person ticked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pandas as pd
import pyarrow as pa
import streamlit as st

from lib import arrow_tables, revisions
from lib.store import Library
from lib.text import plain
from lib.ui.cards import clip_card, task_card
from lib.ui.columns import lean
from lib.ui.session import Studio, library
from lib.ui.tray import rerun_task, zip_songs

MODELS = ("suno", "producer", "nuro", "mix")
STATUSES = ("pending", "processing", "completed", "failed", "expired")
LIBRARY_COLUMNS = ("title", "status", "duration", "model", "prompt", "created_at", "error")


def row_ids(frame) -> list[str]:
    """A stable id per Library row: the clip id, or the task id for a task without a clip yet."""
    return frame["clip_id"].fillna(frame["task_id"]).astype(str).tolist()


def table_key(prefix: str, ids: list[str]) -> str:
    """A widget key that changes when the rows do, so a selection never jumps to another song."""
    return f"{prefix}.{hashlib.sha1('|'.join(ids).encode()).hexdigest()[:12]}"


LIBRARY_COLUMN_CONFIG = lean(
    {
        "title": st.column_config.TextColumn("Title", width="medium"),
        "duration": st.column_config.NumberColumn("Length", format="%d s"),
        "model": st.column_config.TextColumn("Model", width="small"),
        "status": st.column_config.TextColumn("Status", width="small"),
        "prompt": st.column_config.TextColumn("Prompt", width="large"),
        "created_at": st.column_config.DatetimeColumn("Made", format="D MMM YYYY, HH:mm"),
        "error": st.column_config.TextColumn("Problem", width="medium"),
    }
)


@dataclass(frozen=True)
class LibraryFilters:
    """What the Library is narrowed to: words in the title or prompt, models, statuses, a first day."""

    text: str = ""
    models: tuple = ()
    statuses: tuple = ()
    since: datetime | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.text or self.models or self.statuses or self.since)

    def describe(self) -> str:
        """The filters in a few words ("" when there are none), as plain text for an element that renders
        Markdown: the search words are a person's own."""
        parts = [f"“{self.text}”" if self.text else "", ", ".join(self.models), ", ".join(self.statuses)]
        if self.since:
            parts.append(f"made since {self.since.day} {self.since:%b %Y}")
        return plain(" · ".join(part for part in parts if part))


FILTERS = "library.filters"  # the chosen filters, kept while their fields are not drawn
SEARCH = "library.search"
FILTER_FIELDS = {"models": "library.models", "statuses": "library.statuses", "since": "library.since"}


def library_filters() -> LibraryFilters:
    """The search field and a Filters button above the Library table; the line under the table says which
    filters are on. They are kept for the session, as a person left them when they come back to the page.

    The model, status and date fields are drawn only while their panel is open: in their row they cost about
    1 ms of every rerun (8 ms in all with 500 songs), and most reruns, a tick in the table, need none. The
    button's label stays the same, because Streamlit would take a new label for a new button and shut it."""
    kept = st.session_state.get(FILTERS, LibraryFilters())
    # Streamlit forgets a field's value on a run that does not draw it: each field starts from the kept one.
    st.session_state.setdefault(SEARCH, kept.text)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        # A fixed width keeps the button at the left, clear of the table's toolbar, which shows at its right.
        text = st.text_input("Search", value=None, key=SEARCH, placeholder="title or prompt", width=480)
        text = (text or "").strip()
        with st.popover(
            "Filters", key="library.filters_open", on_change="rerun", icon=":material/filter_list:"
        ) as panel:
            if panel.open:
                kept = _filter_fields(kept)
    kept = st.session_state[FILTERS] = replace(kept, text=text)
    return kept


def _filter_fields(kept: LibraryFilters) -> LibraryFilters:
    """The panel's fields, each starting from the kept filters."""
    starts = {
        "models": list(kept.models),
        "statuses": list(kept.statuses),
        "since": kept.since and kept.since.date(),
    }
    for name, key in FILTER_FIELDS.items():
        st.session_state.setdefault(key, starts[name])
    models = st.multiselect("Model", MODELS, key=FILTER_FIELDS["models"], placeholder="All models")
    statuses = st.multiselect("Status", STATUSES, key=FILTER_FIELDS["statuses"], placeholder="Any status")
    day = st.date_input("Made since", value=None, key=FILTER_FIELDS["since"], max_value=date.today())
    if models or statuses or day:
        st.button(
            "Clear filters", key="library.clear_filters", icon=":material/filter_list_off:", on_click=_clear
        )
    since = datetime.combine(day, time.min) if day else None
    return replace(kept, models=tuple(models), statuses=tuple(statuses), since=since)


def _clear() -> None:
    """Clears the panel's filters; the search words stay."""
    st.session_state[FILTERS] = LibraryFilters(text=st.session_state[FILTERS].text)
    for key in FILTER_FIELDS.values():
        st.session_state.pop(key, None)


def library_caption(shown: int, filters: LibraryFilters) -> str:
    """The line under the Library table: how many songs are shown, and through which filters."""
    if filters.narrowed:
        where = f"{shown} song matches" if shown == 1 else f"{shown} songs match"
        where += f" {filters.describe()}."
    else:
        where = f"{shown} song in your library." if shown == 1 else f"{shown} songs in your library."
    return f"{where} Tick rows to play, re-run, delete or download them."


@dataclass(frozen=True)
class LibraryView:
    """The Library's rows for one set of filters: all columns, the shown ones (already in Arrow, so a rerun
    does not convert them again), stable ids and the table's key."""

    frame: pd.DataFrame
    table: pa.Table
    ids: list[str]
    key: str


_VIEWS = revisions.Views(size=16)


def library_view(library: Library, owner: str, filters: LibraryFilters) -> LibraryView:
    """The Library table, kept between reruns until the library's revision moves (shared: never modify it)."""

    def compute() -> LibraryView:
        frame = library.clips_frame(
            owner, text=filters.text, models=filters.models, statuses=filters.statuses, since=filters.since
        )
        ids = row_ids(frame)
        table = arrow_tables.compact(frame.loc[:, list(LIBRARY_COLUMNS)])
        return LibraryView(frame, table, ids, table_key("library.table", ids))

    return _VIEWS.get((str(library.db_path), owner, revisions.current(library), filters), compute)


FOCUS = "library.focus"  # the ids of the ticked songs, kept while the rows change


def library_table(view: LibraryView) -> list[int]:
    """The table with a tick box per row; returns the positions of the ticked rows.

    Selection follows songs, not row positions: the table is keyed by its rows, and the ticked ids are
    re-applied when the rows change.
    """
    focus = set(st.session_state.get(FOCUS, ()))
    ticked = [i for i, row_id in enumerate(view.ids) if row_id in focus] if focus else []
    selection = st.dataframe(
        view.table,
        selection_default={"selection": {"rows": ticked}} if ticked else None,  # None: nothing to validate
        key=view.key,
        on_select="rerun",
        selection_mode="multi-row",
        hide_index=True,
        column_config=LIBRARY_COLUMN_CONFIG,
    )
    chosen = selection.selection.rows
    if chosen or focus:
        st.session_state[FOCUS] = [view.ids[i] for i in chosen]
    return chosen


def library_selection(conn: Studio, rows: pd.DataFrame) -> None:
    """The ticked Library rows: a zip of their songs, then each one's card with Make again and Delete."""
    chosen = rows["clip_id"].dropna().tolist()
    if chosen:
        st.download_button(
            f"Download {len(chosen)} {'song' if len(chosen) == 1 else 'songs'} as a zip",
            data=lambda: zip_songs(conn, chosen),
            file_name="songs.zip",
            mime="application/zip",
            on_click="ignore",
            key="library.zip",
            icon=":material/folder_zip:",
        )
    for row in rows.itertuples():
        clip = library().clip(conn.owner, row.clip_id) if isinstance(row.clip_id, str) else None
        if clip is not None:
            clip_card(conn, clip, key=f"library.{row.clip_id}")
        else:
            task_card(row)
        with st.container(horizontal=True, gap="small"):
            if st.button(
                "Make again",
                key=f"library.rerun.{clip.clip_id if clip else row.task_id}",
                icon=":material/replay:",
            ):
                rerun_task(conn, row.task_id)
            if clip is not None and st.button(
                "Delete", key=f"library.delete.{clip.clip_id}", icon=":material/delete:"
            ):
                st.session_state["library.confirm_delete"] = clip.clip_id
        if clip is not None and st.session_state.get("library.confirm_delete") == clip.clip_id:
            _confirm_delete(conn, clip)


def _confirm_delete(conn: Studio, clip) -> None:
    st.warning(plain(f"Delete “{clip.title}” from your library? This cannot be undone."))
    with st.container(horizontal=True, gap="small"):
        if st.button("Yes, delete it", key=f"library.confirm.{clip.clip_id}", type="primary"):
            library().delete_clip(conn.owner, clip.clip_id)
            st.session_state.pop("library.confirm_delete")
            st.rerun()
        if st.button("Keep it", key=f"library.keep.{clip.clip_id}"):
            st.session_state.pop("library.confirm_delete")
            st.rerun()
