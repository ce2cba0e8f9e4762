"""What the edit pages share: a result beside its original, and the whole-song chain run through the tray."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib import calls, costs, edits, whole_song
from lib.errors import AIMusicAPIError, ConcurrencyLimitError
from lib.models import Task
from lib.store import ClipRecord, TaskRecord
from lib.text import duration_text, plain
from lib.ui.cards import clip_card
from lib.ui.session import Studio, library
from lib.ui.tray import cache_audio, on_finish, queue, submit


def beside_original(
    conn: Studio,
    clip: ClipRecord,
    made_by: tuple[str, ...],
    *,
    key: str,
    then: Callable[[ClipRecord], None] | None = None,
) -> None:
    """The latest edits of `clip`, each result next to the original, so a person compares before keeping.

    `then(result)` adds the page's next step under a result (Extend offers to join it after the song).
    """
    for edit in edits.edits_of(library(), conn.owner, clip, made_by):
        if edit.failed:
            reason = edit.task.error_message or "the server gave no reason"
            st.error(plain(f"“{edit.task.label}” failed: {reason}."))
            continue
        for result in edit.clips:
            original, made = st.columns(2)
            with original:
                st.caption(f"Original · {duration_text(clip.duration)}")
                _player(conn, clip)
            with made:
                clip_card(conn, result, key=f"{key}.{result.clip_id}")
                if then is not None:
                    then(result)


def _player(conn: Studio, clip: ClipRecord) -> None:
    path = clip.audio_path if clip.cached else cache_audio(conn, clip)
    if path is not None and path.is_file():
        st.audio(str(path), format="audio/mpeg")


# The whole song: each step is a task in the tray; when one finishes, the next one is queued.


def chains() -> whole_song.Chains:
    return whole_song.Chains(library())


def start_whole_song(conn: Studio, clip: ClipRecord, plan: whole_song.ChainPlan) -> None:
    """Start the chain's first extension (the app reruns); the tray moves it on from there."""
    chain = chains().start(conn.owner, clip.clip_id, clip.title or "Untitled", plan)
    call, params = chain.next_call
    submit(
        conn, _step(conn, chain, call, params), label=chain.step_label, model="suno", call=call, params=params
    )


def _step(conn: Studio, chain: whole_song.Chain, call: str, params: dict):
    """Start one step and note its task in the chain; a step that cannot start stops the chain."""
    start = calls.bind(conn.client, call, params)

    def started() -> Task:
        try:
            task = start()
        except ConcurrencyLimitError:
            raise  # the tray queues it again: the chain goes on once a slot frees
        except (AIMusicAPIError, ValueError) as e:
            chains().failed(conn.owner, chain.chain_id, str(e).rstrip("."))
            raise
        chains().note_task(conn.owner, chain.chain_id, task.task_id)
        return task

    return started


@on_finish("suno.extend_music", "suno.concat_music")
def _chain_step_done(conn: Studio, task: Task, record: TaskRecord) -> None:
    chain = chains().of_task(conn.owner, task.task_id)
    if chain is None or chain.status != "running" or not task.clips:
        return
    if record.call == "suno.concat_music":
        chains().finished(conn.owner, chain.chain_id, task.clips[0].id)
        return
    chain = chains().step_finished(conn.owner, chain.chain_id, task.clips[0].id)
    call, params = chain.next_call
    queue(
        conn, _step(conn, chain, call, params), label=chain.step_label, model="suno", call=call, params=params
    )


def whole_song_progress(conn: Studio, *, key: str) -> None:
    """The latest chains: where each one is, why it stopped, and the whole song once it is made."""
    for chain in chains().recent(conn.owner, limit=3):
        chain = _check_failure(conn, chain)
        parts = len(chain.steps) + 1
        with st.container(border=True, key=f"{key}.chain.{chain.chain_id}"):
            st.text(f"Whole song of “{chain.title}”: {min(len(chain.tasks), parts)} of {parts} steps started")
            if chain.status == "failed":
                st.error(plain(chain.error))
            elif chain.status == "running":
                st.info("In progress: each step shows in the tray, and the next starts when one finishes.")
            if chain.whole_clip_id:
                whole = library().clip(conn.owner, chain.whole_clip_id)
                if whole is not None:
                    clip_card(conn, whole, key=f"{key}.{chain.chain_id}")


def _check_failure(conn: Studio, chain: whole_song.Chain) -> whole_song.Chain:
    """A running chain whose current task failed stops here, saying why (the tray already refunded it)."""
    if chain.status != "running" or not chain.tasks:
        return chain
    current = library().task(conn.owner, chain.tasks[-1])
    if current is None or current.status != "failed":
        return chain
    return chains().failed(conn.owner, chain.chain_id, current.error_message.rstrip(".") or "no reason given")


def whole_song_price(plan: whole_song.ChainPlan) -> str:
    steps = ", ".join(f"+{s} s" for s in plan.steps)
    return (
        f"{len(plan.steps)} extension(s) ({steps}), then one join: {duration_text(plan.total)} in all, "
        f"{plan.price} credits ({costs.estimate('suno.extend_music')} per extension, "
        f"{costs.estimate('suno.concat_music')} for the join), each paid when it starts."
    )
