"""Inputs the pages share: clamped text fields, the price badge, the submit foot and the source picker."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from lib import costs, revisions, uploads
from lib.arguments import MAX_DURATION, MIN_DURATION
from lib.errors import AIMusicAPIError
from lib.models import Task
from lib.store import ClipRecord
from lib.text import duration_text, plain, short_label
from lib.ui import navigation
from lib.ui.charts import waveform
from lib.ui.credits import low_balance_warning
from lib.ui.feedback import show_error
from lib.ui.players import player
from lib.ui.session import Studio, library
from lib.ui.tray import audio_problem, cache_audio, submit, submit_call

# Input bounds the API accepts; widgets are clamped to them so nothing out of range is ever sent.
MIN_SECONDS, MAX_SECONDS = MIN_DURATION, MAX_DURATION
MAX_PROMPT, MAX_STYLE, MAX_TITLE, MAX_LYRICS = 500, 200, 80, 3000
PICKER_LIMIT = 200  # songs offered by the picker's list at once; the search narrows the rest


def text_field(
    label: str, key: str, *, limit: int, area: bool = True, placeholder: str = "", help: str | None = None
) -> str:
    """A text field clamped to `limit` characters (the widget itself refuses more), stripped."""
    widget = st.text_area if area else st.text_input
    return widget(label, key=key, max_chars=limit, placeholder=placeholder, help=help).strip()


def cost_badge(conn: Studio, call: str, **params: Any) -> int:
    """The price of a call next to its button, with the balance; returns the price."""
    price = costs.estimate(call, **params)
    available = conn.available
    if available is None:
        st.caption(f"Costs {price} credits")
    elif not costs.affordable(available, price):
        st.caption(f":red[Costs {price} credits, you have {available}]")
    else:
        st.caption(f"Costs **{price}** credits · you have {available}")
    return price


def submit_form(
    conn: Studio,
    *,
    call: str,
    model: str,
    params: dict,
    required: dict[str, str],
    label: str,
    key: str,
    button: str = "Create",
    start: Callable[[dict], Task] | None = None,
) -> None:
    """The foot of every page that starts a task: an optional webhook, the button with its price, checks.

    `required` maps what a person must give ("a description") to the value given; empty ones are named
    in one sentence instead of sending the request. `start(params)` replaces the plain client call when a
    page must see the call's errors first (Personas marks a persona the server no longer knows).
    """
    with st.expander("Advanced"):
        webhook_url = st.text_input(
            "Notify this web address when the song is ready (optional)",
            key=f"{key}.webhook_url",
            placeholder="https://your-domain.com/webhook",
        ).strip()
    params = {**params, "webhook_url": webhook_url} if webhook_url else params
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        clicked = st.button(button, key=f"{key}.submit", type="primary", icon=":material/music_note:")
        price = cost_badge(conn, call, **params)
    low_balance_warning(conn, price)
    if not clicked:
        return
    problems = [f"add {what}" for what, value in required.items() if not value]
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        problems.append("give a web address starting with https:// for the notification, or leave it empty")
    if problems:
        st.warning(f"Please {' and '.join(problems)} first.")
        return
    if start is None:
        submit_call(conn, call, params, label=short_label(label), model=model)
    else:
        submit(conn, lambda: start(params), label=short_label(label), model=model, call=call, params=params)


FROM_LIBRARY, FROM_FILE = "A song from my library", "Upload a file"
UPLOAD_TYPES = ["mp3", "wav", "m4a", "aac", "flac", "ogg"]


def source_picker(
    conn: Studio,
    *,
    key: str,
    label: str = "Song",
    models: tuple[str, ...] = (),
    upload_to: str | None = "suno",
) -> ClipRecord | None:
    """A song from this library, or a file of one's own, played once chosen; None until one is.

    The page's `clip` query parameter preselects a song (a clip card's action, a reload), and the choice is
    written back to it. `models` limits the list (Producer edits need Producer clips; uploads made through
    that model's route are offered too). `upload_to` ("suno" or "producer") is the upload route of the
    "Upload a file" choice; None offers library songs only.
    """
    if upload_to is not None:
        wanted = navigation.chosen_clip_id()
        if wanted and wanted != st.session_state.get(f"{key}.arrived"):
            st.session_state[f"{key}.from"] = FROM_LIBRARY  # a card's action or a bookmark names a song
        st.session_state[f"{key}.arrived"] = wanted
        where = st.radio("Use", [FROM_LIBRARY, FROM_FILE], key=f"{key}.from", horizontal=True)
        if where == FROM_FILE:
            clip = _uploaded(conn, key=key, route=upload_to)
            if clip is not None:
                navigation.remember_clip_id(clip.clip_id)  # a reload finds it in the library list
                st.session_state[f"{key}.arrived"] = clip.clip_id
                _preview(conn, clip, key=key)
            return clip
    search_label = "Find a song" if label == "Song" else f"Find a song ({label.lower()})"
    text = st.text_input(search_label, key=f"{key}.search", placeholder="title or prompt")
    choices = _choices(conn, text.strip(), models)
    options, described = list(choices.options), dict(choices.described)
    wanted = navigation.chosen_clip_id()
    arrived = library().clip(conn.owner, wanted) if wanted else None
    if wanted and arrived is None:
        st.warning("The song in this page's address is not in your library, so choose one below.")
    elif arrived is not None and (not models or arrived.model in models or arrived.clip_id in options):
        if wanted not in options:
            options.insert(0, wanted)
            described[wanted] = _described(arrived)
        if st.session_state.get(f"{key}.clip") not in options:
            st.session_state[f"{key}.clip"] = wanted
    if not options:
        st.info(
            "No finished songs match. Make one on the Create page first." if not text else "No songs match."
        )
        return None
    clip_id = st.selectbox(
        label,
        options,
        key=f"{key}.clip",
        index=None,
        format_func=lambda clip_id: described.get(clip_id, clip_id),
        placeholder="Choose a song",
    )
    navigation.remember_clip_id(clip_id)
    if arrived is not None and clip_id == wanted:
        clip = arrived  # read above: one query less on every rerun of a page opened on a song
    else:
        clip = library().clip(conn.owner, clip_id) if clip_id else None
    if clip is not None:
        _preview(conn, clip, key=key)
    return clip


def _described(row) -> str:
    return f"{row.title or 'Untitled'} · {duration_text(row.duration)} · {row.model}"


@dataclass(frozen=True)
class _Choices:
    options: tuple[str, ...]  # clip ids, newest first
    described: dict[str, str]  # clip id -> how the list shows it


# Kept between reruns until the library's revision moves: a rerun (a slider moved on the Stems page, a
# keystroke) would otherwise query and describe every song again. Shared: never modify them.
_CHOICES = revisions.Views(size=32)


def _choices(conn: Studio, text: str, models: tuple[str, ...]) -> _Choices:
    """Finished songs matching `text`; with `models`, also the uploads made through those models' routes."""
    kept = library()

    def compute() -> _Choices:
        if not models:
            frame = kept.clips_frame(conn.owner, text=text, statuses=("completed",))
        else:
            frame = kept.clips_frame(
                conn.owner, text=text, models=(*models, uploads.UPLOAD_MODEL), statuses=("completed",)
            )
            routes = uploads.Uploads(kept).routes(conn.owner)
            frame = frame[
                ~((frame["model"] == uploads.UPLOAD_MODEL) & ~frame["clip_id"].map(routes).isin(models))
            ]
        shown = frame.head(PICKER_LIMIT)
        return _Choices(
            tuple(frame["clip_id"].dropna().head(PICKER_LIMIT)),
            {row.clip_id: _described(row) for row in shown.itertuples()},
        )

    return _CHOICES.get((str(kept.db_path), conn.owner, revisions.current(kept), text, models), compute)


def _uploaded(conn: Studio, *, key: str, route: str) -> ClipRecord | None:
    """The chosen file as a Library clip: checked here first, uploaded once (the same bytes are found again)."""
    file = st.file_uploader(
        "Your audio file (MP3, WAV, M4A/AAC, FLAC or OGG; at most 50 MB and 8 minutes)",
        type=UPLOAD_TYPES,
        key=f"{key}.file",
    )
    if file is None:
        return None
    data = file.getvalue()
    kept = uploads.Uploads(library())
    earlier = kept.earlier(conn.owner, hashlib.sha256(data).hexdigest(), route)
    if earlier is not None:
        st.caption(plain(f"Already in your library as “{earlier.title}”: it is not uploaded again."))
        return earlier
    try:
        checked = uploads.check_upload(data, file.name)
    except ValueError as e:
        st.warning(plain(e))
        return None
    try:
        with st.spinner("Uploading..."):
            answer = conn.client.resource(route).upload_music(checked.data, checked.filename)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return None
    return kept.record(conn.owner, checked, route=route, audio_id=answer.audio_id)


def _preview(conn: Studio, clip: ClipRecord, *, key: str) -> None:
    path = clip.audio_path if clip.cached else cache_audio(conn, clip)
    if path is None or not path.is_file():
        st.warning(plain(audio_problem(clip.clip_id)))
        return
    waveform(path, clip.duration or 0.0, key=f"{key}.waveform")
    player(path, "audio/mpeg")
