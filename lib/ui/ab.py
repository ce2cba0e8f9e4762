"""A/B listening in the prompt lab: two chosen songs one after the other at matched loudness, in an order
kept hidden until the person votes. The pair is rendered once on this machine and cached beside the audio."""

from __future__ import annotations

import random
from pathlib import Path

import streamlit as st

from lib import comparison
from lib import experiments as ex
from lib.store import write_atomically
from lib.text import short_label
from lib.ui import tray
from lib.ui.feedback import show_error
from lib.ui.session import Studio, library


def panel(conn: Studio, experiment: ex.Experiment) -> None:
    """Two chosen songs one after the other at matched loudness, in a hidden order revealed after the vote."""
    done = {c.index: c for c in experiment.cells if c.status == ex.DONE and c.clip_id}
    st.subheader("A/B")
    if len(done) < 2:
        st.caption("A/B needs two finished songs.")
        return
    names = {i: f"#{i} · {c.settings}" for i, c in done.items()}
    left, right = st.columns(2)
    key = f"lab.ab.{experiment.id}"
    first = left.selectbox("Song A", list(done), index=0, format_func=names.get, key=f"{key}.a")
    second = right.selectbox("Song B", list(done), index=1, format_func=names.get, key=f"{key}.b")
    if st.button("Play A/B", key="lab.ab.play", icon=":material/compare_arrows:", disabled=first == second):
        order = [first, second]
        random.shuffle(order)
        try:
            path = _render_pair(conn, experiment.id, [done[i] for i in order])
        except ValueError as e:
            show_error(e)
            return
        st.session_state["lab.ab"] = {
            "experiment": experiment.id,
            "order": order,
            "path": str(path),
            "vote": None,
        }
    state = st.session_state.get("lab.ab")
    if not state or state["experiment"] != experiment.id or not Path(state["path"]).is_file():
        return
    st.caption("Two songs at the same loudness, one after the other, in an order you do not know.")
    st.audio(state["path"], format="audio/mpeg")
    with st.container(horizontal=True, gap="small"):
        for position, name in enumerate(("first", "second")):
            if st.button(f"The {name} was better", key=f"lab.ab.vote{position + 1}"):
                state["vote"] = position
    if state["vote"] is not None:
        st.success(f"You preferred the {('first', 'second')[state['vote']]} song. Here is which was which:")
        for name, index in zip(("First", "Second"), state["order"], strict=True):
            st.text(
                f"{name}: {'A' if index == first else 'B'} · #{index} {short_label(done[index].prompt, 50)}"
            )


def _render_pair(conn: Studio, experiment_id: str, pair: list[ex.Cell]) -> Path:
    paths = []
    for cell in pair:
        clip = library().clip(conn.owner, cell.clip_id)
        path = None if clip is None else (clip.audio_path if clip.cached else tray.cache_audio(conn, clip))
        if path is None or not path.is_file():
            raise ValueError(f"The audio of song #{cell.index} is not available right now; try again soon.")
        paths.append(path)
    target = library().audio_dir / conn.owner / "lab" / f"{experiment_id}_{pair[0].index}_{pair[1].index}.mp3"
    if not target.is_file():
        write_atomically(target, comparison.matched_pair(paths[0].read_bytes(), paths[1].read_bytes()))
    return target
