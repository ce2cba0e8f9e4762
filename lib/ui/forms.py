"""Inputs the pages share: clamped text fields, the price badge, the submit foot and the source picker."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib import costs
from lib.arguments import MAX_DURATION, MIN_DURATION
from lib.store import ClipRecord
from lib.text import duration_text, short_label
from lib.ui import navigation
from lib.ui.charts import waveform
from lib.ui.credits import low_balance_warning
from lib.ui.session import Studio, library
from lib.ui.tray import cache_audio, submit_call

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
    submit_call(conn, call, params, label=short_label(label), model=model)


def source_picker(
    conn: Studio, *, key: str, label: str = "Song", models: tuple[str, ...] = ()
) -> ClipRecord | None:
    """A song from this library, searchable by title or prompt, played once chosen; None until one is.

    The page's `clip` query parameter preselects a song (a clip card's action, a reload), and the choice is
    written back to it. `models` limits the list (Producer edits need Producer clips).
    """
    text = st.text_input(f"Find a song ({label.lower()})", key=f"{key}.search", placeholder="title or prompt")
    frame = library().clips_frame(conn.owner, text=text.strip(), models=models, statuses=("completed",))
    options = frame["clip_id"].dropna().head(PICKER_LIMIT).tolist()
    described = {
        row.clip_id: f"{row.title or 'Untitled'} · {duration_text(row.duration)} · {row.model}"
        for row in frame.head(PICKER_LIMIT).itertuples()
    }
    wanted = navigation.chosen_clip_id()
    arrived = library().clip(conn.owner, wanted) if wanted else None
    if arrived is not None and (not models or arrived.model in models):
        if wanted not in options:
            options.insert(0, wanted)
            described[wanted] = f"{arrived.title or 'Untitled'} · {duration_text(arrived.duration)} · {arrived.model}"
        if st.session_state.get(f"{key}.clip") not in options:
            st.session_state[f"{key}.clip"] = wanted
    if not options:
        st.info("No finished songs match. Make one on the Create page first." if not text else "No songs match.")
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
    clip = library().clip(conn.owner, clip_id) if clip_id else None
    if clip is not None:
        _preview(conn, clip, key=key)
    return clip


def _preview(conn: Studio, clip: ClipRecord, *, key: str) -> None:
    path = clip.audio_path if clip.cached else cache_audio(conn, clip)
    if path is None or not path.is_file():
        st.warning("The audio of this song is not available right now.")
        return
    waveform(path, clip.duration or 0.0, key=f"{key}.waveform")
    st.audio(str(path), format="audio/mpeg")
