"""The clip card (player, downloads, paid exports, actions that open other pages) and the task card."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib import costs, exports
from lib.errors import AIMusicAPIError
from lib.store import ClipRecord
from lib.text import duration_text, file_stem, plain
from lib.ui import navigation
from lib.ui.credits import record_charge
from lib.ui.feedback import show_error
from lib.ui.session import Studio, library
from lib.ui.tray import audio_problem, cache_audio, refresh_credits, submit_call

LATEST_COUNT = 3


def clip_card(conn: Studio, clip: ClipRecord, *, key: str) -> None:
    """Title, duration, model, prompt, a player, downloads and actions: the same card on every page."""
    with st.container(border=True):
        st.text(clip.title or "Untitled")
        st.caption(plain(f"{duration_text(clip.duration)} · {clip.model.title()} · {clip.prompt or ''}"))
        path = clip.audio_path if clip.cached else cache_audio(conn, clip)
        playable = path is not None and path.is_file()
        if playable:
            st.audio(str(path), format="audio/mpeg")
        else:
            st.warning(plain(audio_problem(clip.clip_id)), icon=":material/cloud_off:")
        with st.container(horizontal=True, gap="small"):
            if playable:
                _download("MP3", path, clip, "audio/mpeg", key=f"{key}.mp3")
            _export_buttons(conn, clip, key)
            for page in navigation.clip_actions():
                if st.button(page.action, key=f"{key}.open.{page.title.lower()}", icon=page.icon):
                    navigation.open_on_clip(page.path, clip.clip_id)
        voice = (clip.metadata or {}).get("voice")
        if voice:
            st.caption(plain(voice))


def _download(name: str, path: Path, clip: ClipRecord, mime: str, *, key: str) -> None:
    st.download_button(
        f"Download {name}",
        data=path.read_bytes,  # read on click, never held in session state
        file_name=f"{file_stem(clip.title)}{path.suffix}",
        mime=mime,
        on_click="ignore",
        key=key,
        icon=":material/download:",
    )


# Paid exports (WAV, MIDI) are kept by the library beside the audio cache, so they are paid for once.


def _export_buttons(conn: Studio, clip: ClipRecord, key: str) -> None:
    for ext, (name, mime) in exports.EXPORTS.items():
        path = library().export_path(conn.owner, clip.clip_id, ext)
        if path.is_file():
            _download(name, path, clip, mime, key=f"{key}.{ext}")
            continue
        if clip.model in exports.LOCAL_MODELS:
            continue
        price = costs.estimate(exports.export_call(clip.model, ext))
        label = f"Make {name} · " + (f"{price} credits" if price else "free")
        if st.button(label, key=f"{key}.make_{ext}", help=f"Export this song as {name}"):
            _make_export(conn, clip, ext)


def _make_export(conn: Studio, clip: ClipRecord, ext: str) -> None:
    call = exports.export_call(clip.model, ext)
    if exports.is_task(call):  # the tray saves the file when the task is done
        submit_call(conn, call, {"song_id": clip.clip_id}, label=f"WAV of {clip.title}", model="suno")
        return
    try:
        if call == "suno.get_midi":
            midi = conn.client.suno.get_midi(clip.clip_id)
            record_charge(conn, call, {"clip_id": clip.clip_id}, model="suno", song=clip.title)
            data = midi.midi_bytes() or conn.client.download(midi.midi_url)
        else:
            data = conn.client.download(conn.client.producer.download(clip.clip_id, "wav").download_url)
        library().save_export(conn.owner, clip.clip_id, ext, data)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    refresh_credits(conn)
    st.rerun()


def task_card(row) -> None:
    """A Library row that has no clip: a task still on its way, or one that failed."""
    with st.container(border=True):
        st.text(row.label or row.title or "Untitled")
        if row.status == "failed":
            st.error(plain(f"This one failed: {row.error or 'the server gave no reason'}."))
        else:
            st.info("Still being made: it appears here when it is ready.")


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
