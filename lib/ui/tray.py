"""Starting tasks without waiting, and the task tray: the one polling fragment, the queue, finished results."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import streamlit as st

from lib import calls, costs
from lib.errors import AIMusicAPIError, ConcurrencyLimitError, NotFoundError, RateLimitError
from lib.models import Task
from lib.store import TaskRecord
from lib.ui.credits import ledger, record_charge
from lib.ui.feedback import show_error
from lib.ui.session import Studio, library, studio

log = logging.getLogger(__name__)

# The tray ticks between these bounds while anything is pending; a tick without a due task makes no request,
# so a short ceiling only keeps the display close to the schedule (which may shorten between full runs).
MIN_TICK_SECONDS, MAX_TICK_SECONDS = 1.0, 3.0

Finisher = Callable[[Studio, Task, TaskRecord], None]
# What a finished task of a call leaves besides clips (a WAV file, stems, a persona), kept by the feature that
# made it. Modules of lib/ui register theirs with @on_finish("suno.stems_full") when lib.ui is imported.
FINISHERS: dict[str, Finisher] = {}


def on_finish(*call_names: str) -> Callable[[Finisher], Finisher]:
    """Register `finisher` to run when a task of one of `call_names` completes (after its clips are kept)."""

    def register(finisher: Finisher) -> Finisher:
        for name in call_names:
            FINISHERS[name] = finisher
        return finisher

    return register


def submit(
    conn: Studio, start: Callable[[], Task], *, label: str, model: str, call: str, params: dict
) -> None:
    """Start a task without waiting for it: it joins the tray, or the queue when no slot is free.

    On success the app reruns (the tray must be rescheduled); on failure the error shows where it was asked.
    """

    def start_and_record() -> Task:
        try:
            task = start()
        finally:
            observe(conn)
        library().record_submission(conn.owner, task, model=model, call=call, params=params, label=label)
        conn.tracker.track(task.task_id, model, label, task.estimated_time)
        record_charge(conn, call, params, task_id=task.task_id, model=model, song=label)
        if conn.credits is not None:
            conn.credits.available = costs.balance_after(conn.credits.available, costs.estimate(call, **params))
        return task

    queued_note = f"“{label}” is queued: it starts as soon as one of your running songs finishes."
    if not conn.tracker.has_free_slot():
        conn.tracker.enqueue(label, start_and_record, model=model)
        notify_and_rerun(conn, "info", queued_note)
    conn.tracker.note_request()
    try:
        start_and_record()
    except ConcurrencyLimitError:
        conn.tracker.enqueue(label, start_and_record, model=model)
        notify_and_rerun(conn, "info", queued_note)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    notify_and_rerun(conn, "started", f"Started “{label}”. It will appear here when it is ready.")


def submit_call(conn: Studio, call: str, params: dict, *, label: str, model: str) -> None:
    """submit() of a client call named like the cost table ("suno.extend_music") with its arguments."""
    submit(conn, calls.bind(conn.client, call, params), label=label, model=model, call=call, params=params)


def notify_and_rerun(conn: Studio, kind: str, text: str) -> NoReturn:
    """Rerun the whole app so the sidebar (balance, tray schedule) reflects what just happened."""
    conn.notices.append((kind, text))
    st.rerun()


def observe(conn: Studio) -> None:
    conn.tracker.observe_rate_limit(conn.client.rate_limit)


def rerun_task(conn: Studio, task_id: str) -> None:
    """Submit a recorded task again with the same parameters (a new take of the same prompt)."""
    recorded = library().task(conn.owner, task_id)
    if recorded is None or not recorded.call:
        st.warning("The settings of this song were not kept, so it cannot be made again.")
        return
    submit_call(conn, recorded.call, recorded.params, label=recorded.label, model=recorded.model)


def task_tray() -> None:
    """The one poller: a fragment that reruns on the tracker's schedule and stops when idle."""
    conn = studio()
    if conn is None or not conn.connected:
        return
    delay = conn.tracker.next_delay()
    run_every = None if delay is None else min(max(MIN_TICK_SECONDS, delay), MAX_TICK_SECONDS)
    with st.sidebar:
        st.fragment(run_every=run_every)(_tray_body)()


def _tray_body() -> None:
    conn = studio()
    if conn is None or not conn.connected:
        return
    completed, failed = _poll_due(conn)
    if failed:
        refresh_credits(conn)  # a failed task is refunded
    if completed + failed + _start_queued(conn):
        st.rerun(scope="app")  # the page shows the new clips and the notices
    if not (conn.tracker.pending or conn.tracker.queued):
        return
    st.subheader("In progress")
    for tracked in conn.tracker.pending:
        if tracked.status == "processing":
            st.progress(int(tracked.progress or 0), text=f"{tracked.label} · {int(tracked.progress or 0)}%")
        else:
            st.progress(0, text=f"{tracked.label} · about to start")
    for queued in conn.tracker.queued:
        st.caption(f"Waiting for a free slot: {queued.label}")


def _poll_due(conn: Studio) -> tuple[int, int]:
    """Poll the tasks whose time has come; returns how many completed and how many failed."""
    completed = failed = 0
    for task_id in conn.tracker.due():
        label = conn.tracker.label_of(task_id)
        try:
            task = conn.client.resource(conn.tracker.model_of(task_id)).get_music(task_id)
        except RateLimitError as e:
            conn.tracker.hold(e.retry_after or MIN_TICK_SECONDS)
            break
        except NotFoundError as e:
            conn.tracker.forget(task_id)
            ledger().mark_unknown(conn.owner, task_id)
            conn.notices.append(("error", f"“{label}” is no longer known to the server: {e}"))
            failed += 1
            continue
        except AIMusicAPIError:
            conn.tracker.poll_failed(task_id)  # a network or server hiccup: try again later
            continue
        finally:
            observe(conn)
        if not conn.tracker.update(task):
            library().record_update(conn.owner, task)
            continue
        new_clips = library().record_update(conn.owner, task)
        ledger().settle(conn.owner, task)  # a failed task is refunded
        if task.status == "completed":
            for clip in new_clips:
                cache_audio(conn, clip)
            _finish(conn, task)
            conn.notices.append(("success", f"“{label}” is ready."))
            completed += 1
        else:
            reason = (task.error.message if task.error else "").rstrip(".") or "the server gave no reason"
            conn.notices.append(("error", f"“{label}” failed: {reason}."))
            failed += 1
    return completed, failed


def _start_queued(conn: Studio) -> int:
    """Start queued submissions that now have a slot; returns how many left the queue."""
    started = 0
    for queued in conn.tracker.ready_submissions():
        try:
            queued.submit()
        except ConcurrencyLimitError:
            conn.tracker.requeue(queued)
            continue
        except (AIMusicAPIError, ValueError) as e:
            conn.notices.append(("error", f"“{queued.label}” could not start: {e}"))
        started += 1
    return started


def refresh_credits(conn: Studio) -> None:
    """The balance, when the request budget allows one more request."""
    if conn.tracker.budget_left() <= 1:
        return
    conn.tracker.note_request()
    try:
        conn.credits = conn.client.get_credits()
    except AIMusicAPIError as e:
        log.info("credits refresh skipped: %s", e)
    finally:
        observe(conn)


def cache_audio(conn: Studio, clip) -> Path | None:
    """The clip's audio on disk, downloading it now if needed; None (logged) when that fails for now."""
    try:
        return library().cache_audio(conn.owner, clip.clip_id, conn.client.download)
    except (AIMusicAPIError, ValueError) as e:
        log.info("audio of %s not cached yet: %s", clip.clip_id, e)
        return None


def _finish(conn: Studio, task: Task) -> None:
    record = library().task(conn.owner, task.task_id)
    finisher = FINISHERS.get(record.call) if record is not None else None
    if finisher is not None:
        finisher(conn, task, record)


@on_finish("suno.wav")
def _save_finished_export(conn: Studio, task: Task, record: TaskRecord) -> None:
    """A finished WAV task: keep the file beside its clip."""
    if not task.wav_url:
        return
    try:
        library().save_export(conn.owner, record.params["song_id"], "wav", conn.client.download(task.wav_url))
    except (AIMusicAPIError, ValueError) as e:
        conn.notices.append(("error", f"The WAV file could not be saved: {e}"))
