"""Starting tasks without waiting, and the task tray: the one polling fragment, the queue, finished results."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib import calls, costs, recovery
from lib.errors import AIMusicAPIError, ConcurrencyLimitError, NotFoundError, RateLimitError
from lib.models import Task
from lib.store import TaskRecord
from lib.text import plain
from lib.ui.credits import ledger, record_charge
from lib.ui.feedback import show_error
from lib.ui.session import Studio, library, studio

log = logging.getLogger(__name__)

# The tray ticks between these bounds while anything is pending; a tick without a due task makes no request,
# so a short ceiling only keeps the display close to the schedule (which may shorten between full runs).
MIN_TICK_SECONDS, MAX_TICK_SECONDS = 1.0, 3.0

AUDIO_PROBLEMS, AUDIO_RETRY_AT = "tray.audio_problems", "tray.audio_retry_at"
AUDIO_RETRY_SECONDS, AUDIO_RETRIES_PER_TICK = 30.0, 2

Finisher = Callable[[Studio, Task, TaskRecord], None]
# What a finished task of a call leaves besides clips (a WAV file, stems, a persona), kept by the feature that
# made it. Modules of lib/ui register theirs with @on_finish("suno.stems_full") when lib.ui is imported.
FINISHERS: dict[str, Finisher] = {}
# What a feature puts back in the queue when a session starts (a reload empties the in-memory queue).
Resumer = Callable[[Studio], None]
RESUMERS: list[Resumer] = []


def on_finish(*call_names: str) -> Callable[[Finisher], Finisher]:
    """Register `finisher` to run when a task of one of `call_names` completes (after its clips are kept)."""

    def register(finisher: Finisher) -> Finisher:
        for name in call_names:
            FINISHERS[name] = finisher
        return finisher

    return register


Remaker = Callable[[Studio, TaskRecord], None]
# Songs made on this machine (a kept mix) are made again by the feature that made them, without a request.
# Registered with @remakes("mix") like finishers; rerun_task hands them the recorded task.
REMAKERS: dict[str, Remaker] = {}


def remakes(*call_names: str) -> Callable[[Remaker], Remaker]:
    """Register `remaker` to make again a recorded song of one of `call_names` (see rerun_task)."""

    def register(remaker: Remaker) -> Remaker:
        for name in call_names:
            REMAKERS[name] = remaker
        return remaker

    return register


def on_resume(resumer: Resumer) -> Resumer:
    """Register `resumer` to run once per connected session, before the tray first polls."""
    RESUMERS.append(resumer)
    return resumer


def start_recorded(
    conn: Studio, start: Callable[[], Task], *, label: str, model: str, call: str, params: dict
) -> Task:
    """Run `start` now and keep what it started: the library's record, the ledger, the tray, the balance."""
    try:
        task = start()
    finally:
        observe(conn)
    library().record_submission(conn.owner, task, model=model, call=call, params=params, label=label)
    record_charge(conn, call, params, task_id=task.task_id, model=model, song=label)
    conn.tracker.track(task.task_id, model, label, task.estimated_time)
    if conn.credits is not None:
        conn.credits.available = costs.balance_after(conn.credits.available, costs.estimate(call, **params))
    return task


def submit(
    conn: Studio, start: Callable[[], Task], *, label: str, model: str, call: str, params: dict
) -> None:
    """Start a task without waiting for it: it joins the tray, or the queue when no slot is free.

    On success the app reruns (the tray must be rescheduled); on failure the error shows where it was asked.
    """
    start_and_record = _recorded(conn, start, label=label, model=model, call=call, params=params)
    queued_note = f"“{label}” is queued: it starts as soon as one of your running songs finishes."
    if not conn.tracker.has_free_slot():
        conn.tracker.enqueue(label, start_and_record, model=model, call=call, params=params)
        notify_and_rerun(conn, "info", queued_note)
    conn.tracker.note_request()
    try:
        start_and_record()
    except ConcurrencyLimitError:
        conn.tracker.enqueue(label, start_and_record, model=model, call=call, params=params)
        notify_and_rerun(conn, "info", queued_note)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    notify_and_rerun(conn, "started", f"Started “{label}”. It will appear here when it is ready.")


def queue(
    conn: Studio, start: Callable[[], Task], *, label: str, model: str, call: str, params: dict
) -> None:
    """Queue a start for the tray's next free slot, without a rerun: for finishers, which run inside the
    tray (the next step of a whole-song chain); the tray starts it in the same tick when a slot is free."""
    start_and_record = _recorded(conn, start, label=label, model=model, call=call, params=params)
    conn.tracker.enqueue(label, start_and_record, model=model, call=call, params=params)


def is_queued(conn: Studio, call: str, **params) -> bool:
    """Whether a submission of `call` with these parameters waits in the queue (so a page does not offer,
    and charge for, the same thing twice)."""
    return any(
        q.context.get("call") == call and all(q.context.get("params", {}).get(k) == v for k, v in params.items())
        for q in conn.tracker.queued
    )


def _recorded(
    conn: Studio, start: Callable[[], Task], *, label: str, model: str, call: str, params: dict
) -> Callable[[], Task]:
    """start_recorded(...) for later: what the queue keeps until a slot is free."""
    return lambda: start_recorded(conn, start, label=label, model=model, call=call, params=params)


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
    if recorded.call in REMAKERS:
        REMAKERS[recorded.call](conn, recorded)
        return
    submit_call(conn, recorded.call, recorded.params, label=recorded.label, model=recorded.model)


def task_tray() -> None:
    """The one poller: a fragment that reruns on the tracker's schedule and stops when idle."""
    conn = studio()
    if conn is None or not conn.connected:
        return
    if st.session_state.get("tray.resumed_for") is not conn:
        st.session_state["tray.resumed_for"] = conn
        for resumer in RESUMERS:
            resumer(conn)
    delay = conn.tracker.next_delay()
    run_every = None if delay is None else min(max(MIN_TICK_SECONDS, delay), MAX_TICK_SECONDS)
    with st.sidebar:
        if run_every is None:
            _tray_body()  # nothing to wait for: a fragment with no timer would only add its cost to each rerun
        else:
            st.fragment(run_every=run_every)(_tray_body)()


def _tray_body() -> None:
    conn = studio()
    if conn is None or not conn.connected:
        return
    completed, failed = _poll_due(conn)
    _retry_missing_audio(conn, time.time())
    if failed:
        refresh_credits(conn)  # a failed task is refunded
    if completed + failed + _start_queued(conn) and _fragment_run():
        st.rerun(scope="app")  # the page shows the new clips and the notices
    if not (conn.tracker.pending or conn.tracker.queued):
        return
    st.subheader("In progress")
    for tracked in conn.tracker.pending:
        if tracked.status == "processing":
            percent = int(tracked.progress or 0)
            st.progress(percent, text=plain(f"{tracked.label} · {percent}%"))
        else:
            st.progress(0, text=plain(f"{tracked.label} · about to start"))
    for queued in conn.tracker.queued:
        st.caption(plain(f"Waiting for a free slot: {queued.label}"))


def _fragment_run() -> bool:
    """Whether only the tray is running (its timer), not the whole app.

    In a whole-app run the page is drawn after the tray and shows the news anyway; rerunning there would
    drop a button click that arrived in the same run.
    """
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


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
    """Start queued submissions that now have a slot; returns how many left the queue.

    A 429 is no error here: the submission goes back to the front of the queue (after the server's
    Retry-After when it is the request limit, not the concurrency limit).
    """
    started = 0
    ready = conn.tracker.ready_submissions()
    for position, queued in enumerate(ready):
        try:
            queued.submit()
        except ConcurrencyLimitError:
            conn.tracker.requeue(queued)
            continue
        except RateLimitError as e:
            for later in reversed(ready[position:]):
                conn.tracker.requeue(later)
            conn.tracker.hold(e.retry_after or MIN_TICK_SECONDS)
            break
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
    """The clip's audio on disk, downloading it now (with fresh links when the stored one fails); None when
    that fails for now, with the reason kept for `audio_problem`."""
    problems = st.session_state.setdefault(AUDIO_PROBLEMS, {})
    try:
        path = recovery.cache_clip_audio(library(), conn.client, conn.owner, clip.clip_id)
    except recovery.AudioUnavailable as e:
        problems[clip.clip_id] = str(e)
        return None
    problems.pop(clip.clip_id, None)
    return path


def zip_songs(conn: Studio, clip_ids: list[str]) -> bytes:
    """The songs as a zip; audio not on disk yet is fetched (with fresh links if needed), and any song that
    still cannot be had is named in the zip's MISSING.txt."""
    return library().zip_clips(
        conn.owner,
        clip_ids,
        cache_clip=lambda clip_id: recovery.cache_clip_audio(library(), conn.client, conn.owner, clip_id),
    )


def audio_problem(clip_id: str) -> str:
    """Why a clip's audio is not on disk, in one sentence (after cache_audio failed for it)."""
    return st.session_state.get(AUDIO_PROBLEMS, {}).get(clip_id) or (
        "The audio could not be downloaded just now; it is tried again on the next refresh."
    )


def _retry_missing_audio(conn: Studio, now: float) -> None:
    """Clips paid for whose audio is not on disk yet: a few are tried again, at most every so often."""
    if now < st.session_state.get(AUDIO_RETRY_AT, 0.0):
        return
    st.session_state[AUDIO_RETRY_AT] = now + AUDIO_RETRY_SECONDS
    for clip in library().uncached_clips(conn.owner, limit=AUDIO_RETRIES_PER_TICK):
        cache_audio(conn, clip)


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
