"""Streamlit side of the studio: session set-up, connection, task tray, clip card, errors, costs.

The only module in lib/ that imports streamlit. Everything it decides is delegated to plain modules
(client, tasks, store, workspace, costs); this file turns their answers into widgets.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from lib import costs, workspace
from lib.arguments import MAX_DURATION, MIN_DURATION
from lib.client import DEFAULT_BASE_URL, AIMusicClient, RetryConfig
from lib.errors import (
    AIMusicAPIError,
    AuthenticationError,
    ConcurrencyLimitError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from lib.models import Task
from lib.store import Library, default_data_dir
from lib.tasks import TaskTracker, tier_limits

log = logging.getLogger(__name__)

BUILTIN = "Built-in engine"
ACCOUNT = "My AI Music API account"
# Each browser workspace on the built-in engine gets a demo key of this tier with these credits.
DEMO_TIER = "starter"
DEMO_CREDITS = 500
# The tray ticks between these bounds while anything is pending; a tick without a due task makes no request,
# so a short ceiling only keeps the display close to the schedule (which may shorten between full runs).
MIN_TICK_SECONDS, MAX_TICK_SECONDS = 1.0, 3.0
WORKSPACE_PARAM = "ws"
NO_KEY = "no_api_key"
ENGINE_DOWN = (
    "The built-in engine could not start on this computer. Restart the app, or connect your API account."
)
# A page run must never sit out a long server-requested wait: a few quick retries, then a message.
APP_RETRY = RetryConfig(max_retries=2, initial_delay=0.5, max_delay=2.0, max_wait=3.0)
APP_TIMEOUT_SECONDS = 20.0
# Input bounds the API accepts; widgets are clamped to them so nothing out of range is ever sent.
MIN_SECONDS, MAX_SECONDS = MIN_DURATION, MAX_DURATION
MAX_PROMPT, MAX_STYLE, MAX_TITLE, MAX_LYRICS = 500, 200, 80, 3000
LATEST_COUNT = 3
MODELS = ("suno", "producer", "nuro")
STATUSES = ("pending", "processing", "completed", "failed")
LIBRARY_COLUMNS = ("title", "status", "duration", "model", "prompt", "created_at", "error")


# --- settings and shared resources -------------------------------------------------------------


def setting(name: str, default: str = "") -> str:
    """An operator setting: .streamlit/secrets.toml first, then the environment."""
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file at all is the normal case
        value = None
    return str(value) if value else os.environ.get(name, default)


@st.cache_resource(show_spinner="Opening your library...")
def shared_library(path: str) -> Library:
    root = Path(path)
    return Library(root / "library.db", root / "audio")


@st.cache_resource(show_spinner="Starting the built-in music engine...", on_release=lambda e: e.stop())
def builtin_engine(path: str):
    """The built-in server, started once per Streamlit server process."""
    from emulator import start_in_background

    return start_in_background(Path(path) / "engine")


def library() -> Library:
    return shared_library(str(default_data_dir()))


# --- the session -------------------------------------------------------------------------------


@dataclass
class Studio:
    """What a page needs: who is connected, to what, and where their songs live."""

    mode: str
    client: AIMusicClient | None  # None only when not connected; pages only ever see a connected studio
    owner: str
    tracker: TaskTracker
    credits: Any = (
        None  # lib.models.Credits: fetched on connect, lowered by each price paid, refetched on refunds
    )
    error: Exception | None = None
    notices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return self.error is None


def init_session() -> None:
    """Idempotent: safe to call at the top of every run."""
    ss = st.session_state
    if "sidebar.mode" not in ss:
        ss["sidebar.mode"] = ACCOUNT if setting("AIMUSIC_API_KEY") else BUILTIN
    if "studio.workspace" not in ss:
        from_url = st.query_params.get(WORKSPACE_PARAM)
        ss["studio.workspace"] = (
            from_url if workspace.is_workspace_id(from_url) else workspace.new_workspace_id()
        )
    # Page switches drop query parameters; put the workspace back so a reload or bookmark reopens it.
    if ss["sidebar.mode"] == BUILTIN and st.query_params.get(WORKSPACE_PARAM) != ss["studio.workspace"]:
        st.query_params[WORKSPACE_PARAM] = ss["studio.workspace"]


def studio() -> Studio | None:
    return st.session_state.get("studio.conn")


def connection_sidebar() -> Studio:
    """The sidebar's connection panel; (re)connects when the mode, key or base URL changes."""
    with st.sidebar:
        st.radio("Make music with", [BUILTIN, ACCOUNT], key="sidebar.mode")
        mode = st.session_state["sidebar.mode"]
        key, base_url = "", DEFAULT_BASE_URL
        if mode == ACCOUNT:
            key, base_url = _account_fields()
        signature = (mode, st.session_state["studio.workspace"] if mode == BUILTIN else key, base_url)
        current = studio()
        if current is None or st.session_state.get("studio.signature") != signature:
            current = _connect(mode, key, base_url)
            st.session_state["studio.conn"] = current
            st.session_state["studio.signature"] = signature
        _status_panel(current)
    return current


def _account_fields() -> tuple[str, str]:
    configured = setting("AIMUSIC_API_KEY")
    if configured:
        st.caption(f"Using the key from the app's settings (ending in {configured[-4:]}).")
        key = configured
    else:
        key = st.text_input(
            "API key",
            type="password",
            key="sidebar.api_key",
            placeholder="sk_...",
            help="Find it at aimusicapi.ai/dashboard/apikey. It stays in this browser session only.",
        ).strip()
    base_url = setting("AIMUSIC_BASE_URL", DEFAULT_BASE_URL)
    if setting("AIMUSIC_ALLOW_CUSTOM_BASE_URL") == "1":
        base_url = st.text_input("API address", value=base_url, key="sidebar.base_url").strip()
    return key, base_url


def _connect(mode: str, key: str, base_url: str) -> Studio:
    conn = Studio(mode=mode, client=None, owner="", tracker=TaskTracker(*tier_limits("free")))
    renew_key = None
    if mode == BUILTIN:
        ws = st.session_state["studio.workspace"]
        try:
            engine = builtin_engine(str(default_data_dir()))
        except (OSError, RuntimeError):
            log.exception("the built-in engine did not start")
            conn.error = ServerError(None, "engine_unavailable", ENGINE_DOWN)
            return conn

        def create_key() -> str:
            return engine.create_key(tier=DEMO_TIER, credits=DEMO_CREDITS)

        def renew_key() -> str:
            library().remember_demo_key(ws, new := create_key())
            return new

        key = workspace.demo_key_for(library(), ws, create_key)
        base_url, conn.owner = engine.base_url, workspace.owner_id(ws)
    elif not key:
        conn.error = AuthenticationError(None, NO_KEY, "Paste your API key above to use your account.", {})
        return conn
    else:
        conn.owner = workspace.owner_id(key)
    try:
        conn.client = _client(key, base_url)
        try:
            conn.credits = conn.client.get_credits()
        except AuthenticationError:
            if renew_key is None:
                raise
            # The engine's state was reset: this workspace gets a fresh demo key and keeps its library.
            conn.client = _client(renew_key(), base_url)
            conn.credits = conn.client.get_credits()
    except (AIMusicAPIError, ValueError) as e:
        conn.error = e
        return conn
    conn.tracker = TaskTracker(*tier_limits(conn.credits.tier or "free"))
    for pending in library().pending_tasks(conn.owner):
        conn.tracker.track(pending.task_id, pending.model, pending.label, None)
    return conn


def _client(key: str, base_url: str) -> AIMusicClient:
    return AIMusicClient(api_key=key, base_url=base_url, timeout=APP_TIMEOUT_SECONDS, retry=APP_RETRY)


def _status_panel(conn: Studio) -> None:
    if not conn.connected:
        if getattr(conn.error, "code", None) == NO_KEY:
            st.info(str(conn.error), icon=":material/key:")  # nothing went wrong yet: just a next step
            return
        show_error(conn.error)
        if not isinstance(conn.error, AuthenticationError | ValueError):  # it may pass: offer another go
            st.button(
                "Try again", key="sidebar.retry", on_click=st.session_state.pop, args=("studio.signature",)
            )
        return
    credits = conn.credits
    label = "Built-in engine (runs on this computer)" if conn.mode == BUILTIN else "Your AI Music API account"
    st.caption(label)
    cols = st.columns(2)
    cols[0].metric("Credits", credits.available if credits else "?")
    rate = conn.client.rate_limit
    if rate is not None and rate.limit:
        cols[1].metric("Requests left", f"{rate.remaining}/{rate.limit}", help="Per minute, for your plan")
    if credits is not None:
        st.caption(f"Plan: {str(credits.tier).title()}")


def page_setup() -> Studio:
    """Top of every page: the connected studio, or a friendly stop."""
    conn = studio()
    for kind, text in conn.notices if conn else ():
        if kind == "started":
            st.toast(text, icon=":material/music_note:")
        elif kind == "info":
            st.info(text, icon=":material/hourglass_top:")
        elif kind == "success":
            st.toast(text, icon=":material/check_circle:")
            st.success(text, icon=":material/check_circle:")
        else:
            st.error(text, icon=":material/error:")
    if conn is not None:
        conn.notices.clear()
    if conn is None or not conn.connected:
        st.info("Connect in the sidebar to start: choose the built-in engine, or enter your API key.")
        st.stop()
    return conn


# --- errors and costs --------------------------------------------------------------------------


def show_error(error: Exception) -> None:
    """One place turns any failure into a sentence; a traceback never reaches the page."""
    if isinstance(error, AIMusicAPIError | ValueError):
        st.error(str(error), icon=":material/error:")
    else:
        log.exception("unexpected error", exc_info=error)
        st.error("Something unexpected went wrong. Please try again in a moment.", icon=":material/error:")


def cost_badge(conn: Studio, call: str, **params: Any) -> int:
    """The price of a call next to its button, with the balance; returns the price."""
    price = costs.estimate(call, **params)
    available = conn.credits.available if conn.credits else None
    if available is None:
        st.caption(f"Costs {price} credits")
    elif available < price:
        st.caption(f":red[Costs {price} credits, you have {available}]")
    else:
        st.caption(f"Costs **{price}** credits · you have {available}")
    return price


# --- submitting and the task tray --------------------------------------------------------------


def submit_form(
    conn: Studio, *, call: str, model: str, params: dict, required: dict[str, str], label: str, key: str
) -> None:
    """The foot of every page that starts a task: an optional webhook, the button with its price, checks.

    `required` maps what a person must give ("a description") to the value given; empty ones are named
    in one sentence instead of sending the request.
    """
    with st.expander("Advanced"):
        webhook_url = st.text_input(
            "Notify this web address when the song is ready (optional)",
            key=f"{key}.webhook_url",
            placeholder="https://your-domain.com/webhook",
        ).strip()
    params = {**params, "webhook_url": webhook_url} if webhook_url else params
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        clicked = st.button("Create", key=f"{key}.submit", type="primary", icon=":material/music_note:")
        cost_badge(conn, call, **params)
    if not clicked:
        return
    problems = [f"add {what}" for what, value in required.items() if not value]
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        problems.append("give a web address starting with https:// for the notification, or leave it empty")
    if problems:
        st.warning(f"Please {' and '.join(problems)} first.")
        return
    submit(
        conn,
        starter(conn.client, call, params),
        label=short_label(label),
        model=model,
        call=call,
        params=params,
    )


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
            _observe(conn)
        library().record_submission(conn.owner, task, model=model, call=call, params=params, label=label)
        conn.tracker.track(task.task_id, model, label, task.estimated_time)
        if conn.credits is not None and conn.credits.available is not None:
            # The balance after paying, from the price list: no request spent on it (a failure refreshes it).
            conn.credits.available = max(0, conn.credits.available - costs.estimate(call, **params))
        return task

    queued_note = f"“{label}” is queued: it starts as soon as one of your running songs finishes."
    if not conn.tracker.has_free_slot():
        conn.tracker.enqueue(label, start_and_record, model=model)
        _notify_and_rerun(conn, "info", queued_note)
    conn.tracker.note_request()
    try:
        start_and_record()
    except ConcurrencyLimitError:
        conn.tracker.enqueue(label, start_and_record, model=model)
        _notify_and_rerun(conn, "info", queued_note)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    _notify_and_rerun(conn, "started", f"Started “{label}”. It will appear here when it is ready.")


def _notify_and_rerun(conn: Studio, kind: str, text: str) -> NoReturn:
    """Rerun the whole app so the sidebar (balance, tray schedule) reflects what just happened."""
    conn.notices.append((kind, text))
    st.rerun()


def _observe(conn: Studio) -> None:
    conn.tracker.observe_rate_limit(conn.client.rate_limit)


def starter(client: AIMusicClient, call: str, params: dict) -> Callable[[], Task]:
    """The client call named like the cost table ("suno.create_music"), bound to its arguments."""
    group, method = call.split(".")
    function = getattr(getattr(client, group), method)
    arguments = {name: value for name, value in params.items() if value is not None}
    return lambda: function(**arguments)


def rerun_task(conn: Studio, task_id: str) -> None:
    """Submit a recorded task again with the same parameters (a new take of the same prompt)."""
    recorded = library().task(conn.owner, task_id)
    if recorded is None or not recorded.call:
        st.warning("The settings of this song were not kept, so it cannot be made again.")
        return
    submit(
        conn,
        starter(conn.client, recorded.call, recorded.params),
        label=recorded.label,
        model=recorded.model,
        call=recorded.call,
        params=recorded.params,
    )


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
            conn.notices.append(("error", f"“{label}” is no longer known to the server: {e}"))
            failed += 1
            continue
        except AIMusicAPIError:
            conn.tracker.poll_failed(task_id)  # a network or server hiccup: try again later
            continue
        finally:
            _observe(conn)
        if not conn.tracker.update(task):
            library().record_update(conn.owner, task)
            continue
        new_clips = library().record_update(conn.owner, task)
        if task.status == "completed":
            for clip in new_clips:
                _cache_audio(conn, clip)
            _save_finished_export(conn, task)
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
        _observe(conn)


def _cache_audio(conn: Studio, clip) -> Path | None:
    try:
        return library().cache_audio(conn.owner, clip.clip_id, conn.client.download)
    except (AIMusicAPIError, ValueError) as e:
        log.info("audio of %s not cached yet: %s", clip.clip_id, e)
        return None


# --- the clip card -----------------------------------------------------------------------------


def clip_card(conn: Studio, clip, *, key: str) -> None:
    """Title, duration, model, prompt, a player and downloads: the same card on every page.

    Actions that open other capabilities (extend, cover, stems...) join here as their pages are built.
    """
    with st.container(border=True):
        st.markdown(f"**{clip.title or 'Untitled'}**")
        st.caption(f"{_duration_text(clip.duration)} · {clip.model.title()} · {clip.prompt or ''}")
        path = clip.audio_path if clip.cached else _cache_audio(conn, clip)
        playable = path is not None and path.is_file()
        if playable:
            st.audio(str(path), format="audio/mpeg")
        else:
            st.warning("The audio is not available right now; it will be fetched again on the next visit.")
        with st.container(horizontal=True, gap="small"):
            if playable:
                _download("MP3", path, clip, "audio/mpeg", key=f"{key}.mp3")
            _export_buttons(conn, clip, key)
        voice = (clip.metadata or {}).get("voice")
        if voice:
            st.caption(voice)


def _download(name: str, path: Path, clip, mime: str, *, key: str) -> None:
    st.download_button(
        f"Download {name}",
        data=path.read_bytes,  # read on click, never held in session state
        file_name=f"{_file_stem(clip)}{path.suffix}",
        mime=mime,
        on_click="ignore",
        key=key,
        icon=":material/download:",
    )


# --- paid exports: WAV and MIDI, kept by the library beside the audio cache so they are paid for once ----

EXPORTS = {"wav": ("WAV", "audio/wav"), "mid": ("MIDI", "audio/midi")}


def _export_call(clip, ext: str) -> str:
    if ext == "mid":
        return "suno.get_midi"
    return "producer.download" if clip.model == "producer" else "suno.wav"


def _export_buttons(conn: Studio, clip, key: str) -> None:
    for ext, (name, mime) in EXPORTS.items():
        path = library().export_path(conn.owner, clip.clip_id, ext)
        if path.is_file():
            _download(name, path, clip, mime, key=f"{key}.{ext}")
            continue
        price = costs.estimate(_export_call(clip, ext))
        label = f"Make {name} · " + (f"{price} credits" if price else "free")
        if st.button(label, key=f"{key}.make_{ext}", help=f"Export this song as {name}"):
            _make_export(conn, clip, ext)


def _make_export(conn: Studio, clip, ext: str) -> None:
    call = _export_call(clip, ext)
    try:
        if call == "suno.wav":  # a task: the tray saves the file when it is done
            submit(
                conn,
                starter(conn.client, call, {"song_id": clip.clip_id}),
                label=f"WAV of {clip.title}",
                model="suno",
                call=call,
                params={"song_id": clip.clip_id},
            )
            return
        if call == "suno.get_midi":
            midi = conn.client.suno.get_midi(clip.clip_id)
            data = midi.midi_bytes() or conn.client.download(midi.midi_url)
        else:
            data = conn.client.download(conn.client.producer.download(clip.clip_id, "wav").download_url)
        library().save_export(conn.owner, clip.clip_id, ext, data)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    refresh_credits(conn)
    st.rerun()


def _save_finished_export(conn: Studio, task: Task) -> None:
    """A finished WAV task: keep the file beside its clip."""
    record = library().task(conn.owner, task.task_id)
    if record is None or record.call != "suno.wav" or not task.wav_url:
        return
    try:
        library().save_export(conn.owner, record.params["song_id"], "wav", conn.client.download(task.wav_url))
    except (AIMusicAPIError, ValueError) as e:
        conn.notices.append(("error", f"The WAV file could not be saved: {e}"))


def task_card(row) -> None:
    """A Library row that has no clip: a task still on its way, or one that failed."""
    with st.container(border=True):
        st.markdown(f"**{row.label or row.title or 'Untitled'}**")
        if row.status == "failed":
            st.error(f"This one failed: {row.error or 'the server gave no reason'}.")
        else:
            st.info("Still being made: it appears here when it is ready.")


def _duration_text(seconds: float | None) -> str:
    if not seconds:
        return "length unknown"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _file_stem(clip) -> str:
    title = "".join(c if c.isalnum() or c in " -_" else "" for c in (clip.title or "song")).strip()
    return (title or "song").replace(" ", "_")[:60]


def latest_songs(conn: Studio, *, key: str, count: int = LATEST_COUNT) -> None:
    """The newest songs of this library, so a finished task shows up where it was started."""
    frame = library().clips_frame(conn.owner, statuses=("completed",))
    if frame.empty:
        return
    st.subheader("Your latest songs")
    for clip_id in frame["clip_id"].dropna().head(count):
        clip = library().clip(conn.owner, clip_id)
        if clip is not None:
            clip_card(conn, clip, key=f"{key}.{clip_id}")


# --- the Library ----------------------------------------------------------------------------------


def row_ids(frame) -> list[str]:
    """A stable id per Library row: the clip id, or the task id for a task without a clip yet."""
    return frame["clip_id"].fillna(frame["task_id"]).astype(str).tolist()


def table_key(prefix: str, ids: list[str]) -> str:
    """A widget key that changes when the rows do, so a selection never jumps to another song."""
    return f"{prefix}.{hashlib.sha1('|'.join(ids).encode()).hexdigest()[:12]}"


def library_column_config() -> dict:
    return {
        "title": st.column_config.TextColumn("Title", width="medium"),
        "duration": st.column_config.NumberColumn("Length", format="%d s"),
        "model": st.column_config.TextColumn("Model", width="small"),
        "status": st.column_config.TextColumn("Status", width="small"),
        "prompt": st.column_config.TextColumn("Prompt", width="large"),
        "created_at": st.column_config.DatetimeColumn("Made", format="D MMM YYYY, HH:mm"),
        "error": st.column_config.TextColumn("Problem", width="medium"),
    }


def short_label(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
