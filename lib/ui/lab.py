"""The prompt lab's components: the grid to run and its price, the run through the tray's queue, stop and
resume, the cells as their songs arrive (player, waveform, rating, note) and the results (A/B is in ab.py).

Cells never start on their own: each waits in the tray's queue, so no more run at once than the plan allows
and a 429 only puts a cell back in line. A cell is claimed in the database before it starts, so a reload
(which puts the waiting cells back in the queue) or a second tab never starts one twice.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib import calls
from lib import experiments as ex
from lib.errors import AIMusicAPIError, RateLimitError
from lib.models import Task
from lib.text import duration_text, file_stem, plain, short_label
from lib.ui import tray
from lib.ui.charts import waveform
from lib.ui.session import Studio, library
from lib.ui.tables import table_key

EXPERIMENT_PARAM = "exp"
FORM_DEFAULTS = {
    "base": "", "alternatives": "", "models": ["suno"], "lengths": [30], "voices": [], "takes": 1,
    "seeds": "", "cap": ex.DEFAULT_CAP,
}  # fmt: skip
STARS = {n: "★" * n for n in range(1, 6)}
CARDS_PER_ROW = 3
REFUNDED = "its credits were refunded"


@st.cache_resource(show_spinner=False)
def _lab(db_path: str) -> ex.Lab:
    return ex.Lab(library())


def lab() -> ex.Lab:
    """The experiments of the studio's library (tables created once per library)."""
    return _lab(str(library().db_path))


def songs(count: int) -> str:
    return f"{count} song" + ("" if count == 1 else "s")


# The form


def form_key(name: str) -> str:
    """The widget key of a form field: "lab.base", then "lab.base.1"... once a winner's settings refill it."""
    version = st.session_state.get("lab.form_version", 0)
    return f"lab.{name}" + (f".{version}" if version else "")


def form_field(widget: Callable, label: str, name: str, **options):
    """A field of the new-experiment form, its default (or a winner's setting) given to the widget itself.

    Fresh keys rather than writes to widget state: a widget drawn again after its state was dropped (a page
    switch, an interrupted run) still starts from the right value.
    """
    given = "default" if widget is st.multiselect else "value"
    value = st.session_state.get("lab.form_values", {}).get(name, FORM_DEFAULTS[name])
    return widget(label, key=form_key(name), **{given: value}, **options)


def form_open(conn: Studio) -> bool:
    """The form starts open for a first experiment, and when it holds a winner's settings."""
    return "lab.parent" in st.session_state or not lab().summaries(conn.owner, limit=1)


def prefill(axes: ex.Axes, parent_id: str) -> None:
    """Refill the form with `axes` (new widget keys, so the widgets take the new values)."""
    st.session_state["lab.form_values"] = {
        "base": axes.base_prompt,
        "alternatives": "\n".join(axes.alternatives),
        "models": list(axes.models),
        "lengths": [n for n in axes.lengths if n is not None],
        "voices": [v for v in axes.voices if v is not None],
        "takes": axes.takes,
        "seeds": ", ".join(map(str, axes.seeds)),
        "cap": max(ex.DEFAULT_CAP, axes.size),
    }
    st.session_state["lab.form_version"] = st.session_state.get("lab.form_version", 0) + 1
    st.session_state["lab.parent"] = parent_id


def grid(conn: Studio, make_axes: Callable[[], ex.Axes], *, cap: int) -> None:
    """The grid the form describes, each song with a tick box, its price against the balance, and Run.

    A form that describes no grid (no base prompt, a grid over the cap) says why, and offers no Run.
    """
    try:
        axes = make_axes()
        cells = ex.plan(axes, cap)
    except ex.GridError as e:
        (st.info if str(e) == ex.NO_BASE_PROMPT else st.warning)(str(e))
        return
    st.subheader(f"The grid: {songs(len(cells))}")
    key = table_key("lab.cell", [str(axes.to_dict())])
    ticked = []
    for cell in cells:
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            if st.checkbox(f"#{cell.index}", value=True, key=f"{key}.{cell.index}"):
                ticked.append(cell.index)
            st.text(f"{short_label(cell.prompt, 60)} · {cell.settings} · {cell.price} credits")
    cells = ex.tick(cells, ticked)
    count, price = len(ticked), ex.price(cells)
    affordable = ex.affordable_count(cells, conn.available)
    balance = "" if conn.available is None else f" · you have {conn.available}"
    st.caption(f"{count} of {len(cells)} songs ticked · {price} credits in all{balance}")
    if count and affordable < count:
        st.warning(
            f"This experiment costs {price} credits and you have {conn.available}: your balance pays for "
            f"{affordable} of its {songs(count)}. Untick some songs"
            + (f", or run only the first {affordable}." if affordable else ", or add credits.")
        )
        if affordable and st.button(f"Run only the first {songs(affordable)}", key="lab.run_affordable"):
            start(conn, axes, ex.keep_first(cells, affordable))
    label = f"Run {songs(count)} · {price} credits"
    if st.button(
        label,
        key="lab.run",
        type="primary",
        icon=":material/science:",
        disabled=not count or affordable < count,
    ):
        start(conn, axes, cells)


# Running


def start(conn: Studio, axes: ex.Axes, cells: list[ex.Cell]) -> None:
    """Keep the experiment, put its ticked songs in the tray's queue and show it."""
    try:
        experiment = lab().create(conn.owner, axes, cells, parent_id=st.session_state.get("lab.parent"))
    except ex.GridError as e:
        st.warning(plain(e))
        return
    st.session_state.pop("lab.parent", None)
    choose(experiment.id)
    for cell in experiment.cells:
        if cell.status == ex.WAITING:
            _enqueue(conn, experiment.id, cell)
    tray.notify_and_rerun(
        conn,
        "started",
        f"Experiment started: {songs(len(experiment.ticked))} for {experiment.price} credits; "
        "they fill in as they finish.",
    )


def _enqueue(conn: Studio, experiment_id: str, cell: ex.Cell) -> None:
    label = f"Lab #{cell.index}: {short_label(cell.prompt, 32)}"
    conn.tracker.enqueue(
        label,
        lambda: _start_cell(conn, experiment_id, cell, label),
        model=cell.model,
        experiment=experiment_id,
        cell=cell.index,
    )


def _start_cell(conn: Studio, experiment_id: str, cell: ex.Cell, label: str) -> Task | None:
    """Start one waiting cell (called by the tray when a slot is free); None when it was not waiting."""
    book = lab()
    if not book.claim(conn.owner, experiment_id, cell.index):
        return None  # started by another tab, or stopped
    try:
        task = tray.start_recorded(
            conn,
            calls.bind(conn.client, cell.call, cell.params),
            label=label,
            model=cell.model,
            call=cell.call,
            params=cell.params,
        )
    except RateLimitError:
        book.release(conn.owner, experiment_id, cell.index)  # back in line: the tray requeues it
        raise
    except (AIMusicAPIError, ValueError) as e:
        book.not_started(conn.owner, experiment_id, cell.index, str(e))
        raise
    book.started(conn.owner, experiment_id, cell.index, task.task_id)
    return task


@tray.on_resume
def _resume_waiting(conn: Studio) -> None:
    """A new session (a reload, a restart) puts the cells that were waiting back in the queue."""
    queued = {(q.context.get("experiment"), q.context.get("cell")) for q in conn.tracker.queued}
    for experiment_id, cell in lab().waiting(conn.owner):
        if (experiment_id, cell.index) not in queued:
            _enqueue(conn, experiment_id, cell)


def stop(conn: Studio, experiment: ex.Experiment) -> None:
    """Cancel the songs that have not started (never charged); those being made finish."""
    for queued in conn.tracker.queued:
        if queued.context.get("experiment") == experiment.id:
            conn.tracker.cancel(queued.id)
    stopped = lab().stop(conn.owner, experiment.id)
    making = experiment.count(ex.MAKING)
    still = f" {making} already being made will finish." if making else ""
    text = (
        f"Stopped: cancelled {songs(stopped)} that had not started (not charged).{still}"
        if stopped
        else f"Nothing was waiting to start.{still}"
    )
    tray.notify_and_rerun(conn, "info", text)


# The experiment


def choose(experiment_id: str) -> None:
    st.session_state["lab.experiment"] = experiment_id
    st.query_params[EXPERIMENT_PARAM] = experiment_id


def picker(conn: Studio) -> ex.Experiment | None:
    """The experiments of this library, newest first; the chosen one is kept in the address (`?exp=`)."""
    summaries = lab().summaries(conn.owner)
    if not summaries:
        return None
    labels = {s.id: s.label for s in summaries}
    wanted = st.query_params.get(EXPERIMENT_PARAM)
    if wanted in labels and "lab.experiment" not in st.session_state:
        st.session_state["lab.experiment"] = wanted
    if st.session_state.get("lab.experiment") not in labels:
        st.session_state["lab.experiment"] = summaries[0].id
    chosen = st.selectbox("Experiment", list(labels), key="lab.experiment", format_func=labels.get)
    if st.query_params.get(EXPERIMENT_PARAM) != chosen:
        st.query_params[EXPERIMENT_PARAM] = chosen
    return lab().get(conn.owner, chosen)


def overview(conn: Studio, experiment: ex.Experiment) -> None:
    st.text(experiment.axes.base_prompt)
    counts = [
        f"{experiment.count(status)} {status}"
        for status in (ex.DONE, ex.MAKING, ex.WAITING, ex.FAILED, ex.STOPPED)
        if experiment.count(status)
    ]
    st.caption(f"{experiment.created_at:%d %b %Y, %H:%M} UTC · " + " · ".join(counts))
    if experiment.running and st.button("Stop", key="lab.stop", icon=":material/stop_circle:"):
        stop(conn, experiment)


def cells(conn: Studio, experiment: ex.Experiment) -> None:
    """The grid as it fills in: a card per song that was run."""
    shown = experiment.ticked
    for start_at in range(0, len(shown), CARDS_PER_ROW):
        for column, cell in zip(
            st.columns(CARDS_PER_ROW), shown[start_at : start_at + CARDS_PER_ROW], strict=False
        ):
            with column:
                _cell_card(conn, experiment, cell)


def _cell_card(conn: Studio, experiment: ex.Experiment, cell: ex.Cell) -> None:
    key = f"lab.{experiment.id}.{cell.index}"
    with st.container(border=True):
        st.text(f"#{cell.index} {short_label(cell.prompt, 70)}")
        st.caption(plain(cell.settings))
        if cell.status == ex.DONE:
            _song(conn, experiment.id, cell, key)
        elif cell.status == ex.FAILED:
            charged = REFUNDED if cell.task_id else "it was not charged"
            st.error(plain(f"Failed: {cell.error.rstrip('.') or 'the server gave no reason'}; {charged}."))
        elif cell.status == ex.STOPPED:
            st.caption("Stopped before it started: not charged.")
        else:
            st.caption("Being made…" if cell.status == ex.MAKING else "Waiting for a free slot…")


def _song(conn: Studio, experiment_id: str, cell: ex.Cell, key: str) -> None:
    clip = library().clip(conn.owner, cell.clip_id) if cell.clip_id else None
    path = None if clip is None else (clip.audio_path if clip.cached else tray.cache_audio(conn, clip))
    if path is None or not path.is_file():
        st.warning("The audio of this song is not available right now.")
    else:
        waveform(path, clip.duration or 0.0, key=f"{key}.waveform", height=50, axis=False)
        st.audio(str(path), format="audio/mpeg")
    report = cell.report or ex.Report()
    facts = [duration_text(report.duration)]
    facts += [f"{report.tempo:.0f} BPM"] if report.tempo else []
    facts += [report.key] if report.key else []
    st.caption(" · ".join(facts))
    if report.instruments:
        st.text(", ".join(i.replace("_", " ") for i in report.instruments))
    owner, index = conn.owner, cell.index
    st.radio(
        "Rating",
        list(STARS),
        index=None if cell.rating is None else cell.rating - 1,
        format_func=STARS.get,
        horizontal=True,
        key=f"{key}.rating",
        on_change=lambda: lab().rate(owner, experiment_id, index, st.session_state[f"{key}.rating"]),
    )
    st.text_input(
        "Note",
        value=cell.note,
        max_chars=300,
        key=f"{key}.note",
        placeholder="what works, what does not",
        on_change=lambda: lab().annotate(owner, experiment_id, index, st.session_state[f"{key}.note"]),
    )


# Results


def results(conn: Studio, experiment: ex.Experiment) -> None:
    """The results, best rated first (click a column to sort), the exports and a new run from the winner."""
    st.subheader("Results")
    st.dataframe(
        pd.DataFrame(ex.results_rows(experiment)),
        hide_index=True,
        key=f"lab.results.{experiment.id}",
        column_config={
            "cell": st.column_config.NumberColumn("#", width="small"),
            "rating": st.column_config.NumberColumn("Rating", format="%d ★"),
            "length": st.column_config.NumberColumn("Length", format="%d s"),
            "price": st.column_config.NumberColumn("Credits"),
            "tempo": st.column_config.NumberColumn("Tempo", format="%.0f BPM"),
        },
    )
    owner, experiment_id, stem = conn.owner, experiment.id, file_stem(experiment.axes.base_prompt)
    with st.container(horizontal=True, gap="small"):
        for kind, export, mime in (("CSV", ex.to_csv, "text/csv"), ("JSON", ex.to_json, "application/json")):
            st.download_button(
                f"Download {kind}",
                data=lambda export=export: export(lab().get(owner, experiment_id)),  # the latest ratings
                file_name=f"lab_{stem}.{kind.lower()}",
                mime=mime,
                on_click="ignore",
                key=f"lab.download.{kind.lower()}",
                icon=":material/download:",
            )
        if st.button("Run again with the best settings", key="lab.rerun_best", icon=":material/replay:"):
            axes = ex.winner_axes(experiment)
            if axes is None:
                st.info("Rate a song first: the new experiment starts from the best-rated one.")
                return
            prefill(axes, experiment.id)
            tray.notify_and_rerun(
                conn,
                "info",
                "The form above holds the best song's settings: check the grid and its price, then Run.",
            )
