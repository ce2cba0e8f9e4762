"""The session: operator settings, the connection (a key or the built-in engine), the sidebar panel, page set-up."""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config

from lib import settings_file, workspace
from lib.client import DEFAULT_BASE_URL, AIMusicClient, RetryConfig
from lib.errors import AIMusicAPIError, AuthenticationError, ServerError
from lib.store import Library, default_data_dir
from lib.tasks import TaskTracker, tier_limits
from lib.text import plain
from lib.ui.feedback import show_error, show_notices

log = logging.getLogger(__name__)

BUILTIN = "Built-in engine"
ACCOUNT = "My AI Music API account"
# Each browser workspace on the built-in engine gets a demo key of this tier; credits and caps are settings.
DEMO_TIER = "starter"
WORKSPACE_PARAM = "ws"
ACCOUNT_TOGGLE = "sidebar.account"  # on: the API account; off: the built-in engine
TYPED_KEY = "studio.typed_key"  # a key typed into the sidebar, kept in the session only
NO_KEY = "no_api_key"
ENGINE_DOWN = (
    "The built-in engine could not start on this computer. Restart the app, or connect your API account."
)
# A page run must never sit out a long server-requested wait: a few quick retries, then a message.
APP_RETRY = RetryConfig(max_retries=2, initial_delay=0.5, max_delay=2.0, max_wait=3.0)
APP_TIMEOUT_SECONDS = 20.0


def setting(name: str, default: str = "") -> str:
    """An operator setting: .streamlit/secrets.toml first, then the environment."""
    return settings(name)[0] or default


def settings(*names: str, files: list[str] | None = None) -> tuple[str, ...]:
    """Operator settings, each from .streamlit/secrets.toml first, then the environment (empty when unset).

    `files`: Streamlit's secrets.files, when the caller already has them (0.05 ms to work out each time)."""
    secrets = _secrets(config.get_option("secrets.files") if files is None else files)
    return tuple(str(secrets[name]) if secrets.get(name) else os.environ.get(name, "") for name in names)


_empty_secrets = None  # the st.secrets last found empty while none of its files existed


def _secrets(files: list[str]) -> dict:
    """st.secrets as a dict. Without a secrets file, Streamlit looks for one again on every lookup (0.1 ms, and
    the sidebar asks on every rerun of an account's pages): while the same st.secrets still has none of its
    files on disk, its last answer stands. A test's in-memory st.secrets is a new object with content."""
    global _empty_secrets
    no_files = not any(map(os.path.exists, files))
    if no_files and _empty_secrets is st.secrets:
        return {}
    try:
        found = st.secrets.to_dict()
    except Exception:  # no secrets file is the normal case; a malformed one is reported in the sidebar
        found = {}
    _empty_secrets = st.secrets if no_files and not found else None
    return found


@functools.lru_cache(maxsize=8)
def shared_library(path: str) -> Library:
    """The library of a data folder, opened once per process. Not st.cache_resource: every rerun of every page
    asks for it, and that lookup (hashing, a lock, a spinner context) cost 0.1 ms each time."""
    root = Path(path)
    return Library(root / "library.db", root / "audio")


@st.cache_resource(show_spinner="Starting the built-in music engine...", on_release=lambda e: e.stop())
def builtin_engine(path: str):
    """The built-in server, started once per Streamlit server process."""
    from emulator import start_in_background

    return start_in_background(Path(path) / "engine")


def library() -> Library:
    return shared_library(str(default_data_dir()))


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
    key_note: str = ""  # which key an account connection uses, by its last characters
    notices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return self.error is None

    @property
    def available(self) -> int | None:
        """Credits left, when known."""
        return self.credits.available if self.credits is not None else None


def init_session() -> None:
    """Idempotent: safe to call at the top of every run."""
    ss = st.session_state
    if ACCOUNT_TOGGLE not in ss:
        ss[ACCOUNT_TOGGLE] = bool(setting("AIMUSIC_API_KEY"))
    if "studio.workspace" not in ss:
        from_url = st.query_params.get(WORKSPACE_PARAM)
        ss["studio.workspace"] = (
            from_url if workspace.is_workspace_id(from_url) else workspace.new_workspace_id()
        )
    # Page switches drop query parameters; put the workspace back so a reload or bookmark reopens it.
    if current_mode() == BUILTIN and st.query_params.get(WORKSPACE_PARAM) != ss["studio.workspace"]:
        st.query_params[WORKSPACE_PARAM] = ss["studio.workspace"]


def studio() -> Studio | None:
    return st.session_state.get("studio.conn")


def connection_sidebar() -> None:
    """The sidebar's connection panel; (re)connects when the mode, key or base URL changes.

    A toggle, not a radio of two modes: it is drawn on every rerun of every page, and costs half as much.
    """
    with st.sidebar:
        files = config.get_option("secrets.files")  # worked out once: 0.05 ms each time
        problem = settings_file.problem_in(files)
        if problem:
            st.error(plain(problem), icon=":material/settings_alert:")
        st.toggle(
            "Use my AI Music API account",
            key=ACCOUNT_TOGGLE,
            help="Off: songs are made by the built-in engine on this computer, with demo credits.",
        )
        mode = current_mode()
        key, base_url = "", DEFAULT_BASE_URL
        if mode == ACCOUNT:
            key, base_url = _account_fields(files)
        signature = (mode, st.session_state["studio.workspace"] if mode == BUILTIN else key, base_url)
        if studio() is None or st.session_state.get("studio.signature") != signature:
            st.session_state["studio.conn"] = _connect(mode, key, base_url)
            st.session_state["studio.signature"] = signature


def current_mode() -> str:
    return ACCOUNT if st.session_state.get(ACCOUNT_TOGGLE) else BUILTIN


def status_sidebar() -> None:
    """The balance and what the studio is connected to, at the end of the sidebar. Drawn after the task tray,
    which may settle tasks and refunds in this run, so it never shows a balance from before them."""
    conn = studio()
    if conn is not None:
        with st.sidebar:
            _status_panel(conn)


def _account_fields(files: list[str]) -> tuple[str, str]:
    configured, base_url, custom = settings(
        "AIMUSIC_API_KEY", "AIMUSIC_BASE_URL", "AIMUSIC_ALLOW_CUSTOM_BASE_URL", files=files
    )
    base_url = base_url or DEFAULT_BASE_URL
    if configured:
        key = configured
    else:
        key = st.session_state.get(TYPED_KEY, "")
        st.text_input(
            "API key",
            type="password",
            key="sidebar.api_key",
            placeholder="sk_... (replaces the key in use)" if key else "sk_...",
            help="Find it at aimusicapi.ai/dashboard/apikey. It stays in this browser session only.",
            on_change=_take_typed_key,
        )
        if key:
            st.button("Forget this key", key="sidebar.forget_key", on_click=st.session_state.pop, args=(TYPED_KEY,))
    if custom == "1":
        base_url = st.text_input("API address", value=base_url, key="sidebar.base_url").strip()
    return key, base_url


def _take_typed_key() -> None:
    """Move a typed key out of its field, so the page (the field's HTML value) never holds it."""
    typed = st.session_state.get("sidebar.api_key", "").strip()
    if typed:
        st.session_state[TYPED_KEY] = typed
        st.session_state["sidebar.api_key"] = ""


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

        try:
            limits = workspace.DemoLimits.from_settings(setting)
        except ValueError as e:
            conn.error = e
            return conn

        def create_key() -> str:
            return engine.create_key(tier=DEMO_TIER, credits=limits.credits)

        def renew_key() -> str:
            library().remember_demo_key(ws, new := create_key())
            return new

        try:
            key = workspace.demo_key_for(library(), ws, create_key, limits)
        except workspace.DemoCapReached as e:
            conn.error = ServerError(None, "demo_cap_reached", str(e))
            return conn
        base_url, conn.owner = engine.base_url, workspace.owner_id(ws)
    elif not key:
        conn.error = AuthenticationError(None, NO_KEY, "Paste your API key above to use your account.", {})
        return conn
    else:
        conn.owner = workspace.owner_id(key)
        source = "from the app's settings" if key == setting("AIMUSIC_API_KEY") else "the one you entered"
        conn.key_note = f"key ending in {key[-4:]}, {source}"
    try:
        conn.client = _client(key, base_url, builtin=mode == BUILTIN)
        try:
            conn.credits = conn.client.get_credits()
        except AuthenticationError:
            if renew_key is None:
                raise
            # The engine's state was reset: this workspace gets a fresh demo key and keeps its library.
            conn.client = _client(renew_key(), base_url, builtin=True)
            conn.credits = conn.client.get_credits()
    except (AIMusicAPIError, ValueError) as e:
        conn.error = e
        return conn
    conn.tracker = TaskTracker(*tier_limits(conn.credits.tier or "free"))
    for pending in library().pending_tasks(conn.owner):
        conn.tracker.track(pending.task_id, pending.model, pending.label, None)
    return conn


def _client(key: str, base_url: str, *, builtin: bool) -> AIMusicClient:
    """The built-in engine honours Idempotency-Key, so a POST whose answer was lost is safely repeated."""
    return AIMusicClient(
        api_key=key,
        base_url=base_url,
        timeout=APP_TIMEOUT_SECONDS,
        retry=APP_RETRY,
        repeat_lost_posts=builtin,
    )


def _status_panel(conn: Studio) -> None:
    if not conn.connected:
        if getattr(conn.error, "code", None) == NO_KEY:
            st.info(plain(conn.error), icon=":material/key:")  # nothing went wrong yet: just a next step
            return
        show_error(conn.error)
        if not isinstance(conn.error, AuthenticationError | ValueError):  # it may pass: offer another go
            st.button(
                "Try again", key="sidebar.retry", on_click=st.session_state.pop, args=("studio.signature",)
            )
        return
    credits, rate = conn.credits, conn.client.rate_limit
    facts = [
        "Built-in engine (runs on this computer)"
        if conn.mode == BUILTIN
        else f"Your AI Music API account ({conn.key_note})"
    ]
    if credits is not None:
        facts.append(f"{str(credits.tier).title()} plan")
    if rate is not None and rate.limit:
        facts.append(f"{rate.remaining}/{rate.limit} requests left this minute")
    # Two elements, not a row of metrics: this panel is drawn on every rerun of every page.
    st.metric("Credits", credits.available if credits else "?")
    st.caption(" · ".join(facts))


def page_setup(title: str) -> Studio:
    """Top of every page: what happened since the last run, then its title and the connected studio, or a
    friendly stop. Titles have no link anchor: no page links to its own title, and one costs a third of it."""
    conn = studio()
    if conn is not None:
        show_notices(conn.notices)
    if conn is None or not conn.connected:
        st.info("Connect in the sidebar to start: use the built-in engine, or enter your API key.")
        st.stop()
    st.title(title, anchor=False)
    return conn
