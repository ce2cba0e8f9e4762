"""Persona components: recording a finished persona, its card (source player, rename, forget), music with it.

Names come from people and ids from the server: both are shown with st.text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib.errors import NotFoundError
from lib.models import Task
from lib.personas import PERSONA_CALL, Persona, PersonaBook
from lib.store import TaskRecord
from lib.ui.session import BUILTIN, Studio, library
from lib.ui.tray import cache_audio, on_finish

CHOSEN = "personas.chosen"  # the persona the "make music" form uses


def persona_book() -> PersonaBook:
    return PersonaBook(library())


@on_finish(PERSONA_CALL)
def _keep_persona(conn: Studio, task: Task, record: TaskRecord) -> None:
    """A finished persona task: remember the persona, with the song it was made from."""
    if not task.persona_id:
        conn.notices.append(
            ("error", "The server finished the persona but sent no id; please make it again.")
        )
        return
    params = record.params
    source = params.get("song_id") or persona_book().clip_for_url(conn.owner, params.get("song_url"))
    persona_book().add(
        conn.owner,
        task.persona_id,
        task.persona_name or params.get("persona_name") or "Persona",
        source_clip_id=source,
        task_id=task.task_id,
    )


def persona_params(conn: Studio, clip, name: str) -> dict:
    """create_persona's fields: the reference's song_url on an account; the clip id on the built-in engine
    (its extension, which never expires) or when the song has no link (an upload)."""
    if conn.mode != BUILTIN and clip.audio_url:
        return {"song_url": clip.audio_url, "persona_name": name}
    return {"song_id": clip.clip_id, "persona_name": name}


def music_starter(conn: Studio, persona: Persona) -> Callable[[dict], Task]:
    """create_persona_music that marks the persona when the server no longer knows it."""

    def start(params: dict) -> Task:
        try:
            return conn.client.suno.create_persona_music(**{k: v for k, v in params.items() if v is not None})
        except NotFoundError:
            persona_book().mark_missing(conn.owner, persona.persona_id)
            raise ValueError(
                f"The server no longer knows the persona “{persona.name}”, so it cannot sing. "
                "It is marked below: forget it, or make a new persona from its song."
            ) from None

    return start


def source_player(conn: Studio, clip_id: str | None) -> None:
    """The song a persona was made from, playable."""
    clip = library().clip(conn.owner, clip_id) if clip_id else None
    if clip is None:
        st.caption("The song it was made from is not in this library.")
        return
    st.text(f"Made from: {clip.title or 'Untitled'}")
    path = clip.audio_path if clip.cached else cache_audio(conn, clip)
    if path is None or not path.is_file():
        st.warning("The audio of this song is not available right now.")
        return
    st.audio(str(path), format="audio/mpeg")


def _choose(persona_id: str) -> None:
    st.session_state[CHOSEN] = persona_id


def persona_choice(usable: dict[str, Persona]) -> Persona:
    """The persona the music form uses (a card's button chooses it too)."""
    chosen = st.selectbox("Persona", list(usable), key=CHOSEN, format_func=lambda pid: usable[pid].name)
    return usable[chosen]


def persona_card(conn: Studio, persona: Persona, *, key: str) -> None:
    """Name, id, when, the source's player; make music with it, rename or forget it (locally)."""
    with st.container(border=True):
        st.text(persona.name)
        st.text(f"{persona.persona_id} · made {persona.created_at:%Y-%m-%d %H:%M} UTC")
        if persona.missing:
            st.warning(
                "The server no longer knows this persona, so it cannot make music any more. "
                "Forget it, or make a new one from its song."
            )
        source_player(conn, persona.source_clip_id)
        st.button(
            "Make music with this persona",
            key=f"{key}.use",
            disabled=persona.missing,
            on_click=_choose,
            args=(persona.persona_id,),
            icon=":material/music_note:",
        )
        with st.expander("Rename or forget"):
            name = st.text_input("New name", value=persona.name, key=f"{key}.name", max_chars=100)
            with st.container(horizontal=True, gap="small"):
                if st.button("Rename", key=f"{key}.rename"):
                    try:
                        persona_book().rename(conn.owner, persona.persona_id, name)
                    except ValueError as e:
                        st.warning(str(e))
                    else:
                        st.rerun()
                if st.button("Forget", key=f"{key}.forget", help="Removes it from this library only"):
                    persona_book().forget(conn.owner, persona.persona_id)
                    st.rerun()
