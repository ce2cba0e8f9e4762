"""Lyrics components: the clamped prompt, writing a set, the variations side by side, earlier sets.

Every set is kept by lib.lyrics_book the moment it arrives; an edit is saved as it is made. Lyrics and
prompts are a person's (or the server's) text, so they are shown with st.text, never as Markdown.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from lib import costs
from lib.errors import AIMusicAPIError
from lib.lyrics_book import LyricsBook, LyricsSet
from lib.lyrics_text import analyse, clamp, summary
from lib.text import file_stem, short_label
from lib.ui.feedback import show_error
from lib.ui.forms import MAX_LYRICS, MAX_STYLE, MAX_TITLE
from lib.ui.session import Studio, library
from lib.ui.tray import notify_and_rerun, observe

CALL = "lyrics.generate"
OPEN = "lyrics.open"  # the set shown side by side
CREATE_PAGE, PERSONAS_PAGE = "app_pages/create.py", "app_pages/personas.py"
CREATE_LYRICS_MODE = "My lyrics and style"  # Create's mode radio value for lyrics + style
LISTED = 20


def lyrics_book() -> LyricsBook:
    return LyricsBook(library())


def clamped_area(label: str, key: str, *, limit: int, placeholder: str = "") -> str:
    """A text area held to `limit` characters. The widget cuts longer text (a paste) silently, so text that
    has just reached the limit is not sent in the run it arrived: the person is told it was cut, checks
    what is left, and sends it with the next click."""
    st.text_area(
        label, key=key, max_chars=limit, placeholder=placeholder, on_change=_note_limit, args=(key, limit)
    )
    if st.session_state.pop(f"{key}.at_limit", False):
        st.warning(
            f"This text is at its limit of {limit} characters, so anything longer was cut off. It was not "
            "sent: check how it ends, then try again."
        )
        return ""
    return st.session_state[key].strip()


def _note_limit(key: str, limit: int) -> None:
    text, _ = clamp(st.session_state[key], limit)
    st.session_state[key] = text
    if len(text) >= limit:
        st.session_state[f"{key}.at_limit"] = True


def write_lyrics(conn: Studio, prompt: str, style: str, count: int) -> None:
    """Ask for `count` variations, keep them in the book and show them (or say what went wrong)."""
    try:
        with st.spinner("Writing lyrics..."):
            variations = conn.client.lyrics.generate(prompt=prompt, style=style or None, num_variations=count)
    except (AIMusicAPIError, ValueError) as e:
        show_error(e)
        return
    finally:
        observe(conn)
    if conn.credits is not None:
        conn.credits.available = costs.balance_after(conn.credits.available, costs.estimate(CALL))
    kept = lyrics_book().add(
        conn.owner, prompt, style, [{"lyrics": v.lyrics, "structure": v.structure} for v in variations]
    )
    st.session_state[OPEN] = kept.set_id
    notify_and_rerun(conn, "success", f"{len(variations)} lyrics variation(s) written and kept below.")


def variations(conn: Studio, kept: LyricsSet) -> None:
    """The set's variations side by side, each editable (saved as edited) with its counts and uses."""
    st.text(
        f"“{short_label(kept.prompt, 120)}”" + (f" · {short_label(kept.style, 60)}" if kept.style else "")
    )
    for index, column in enumerate(st.columns(len(kept.variations))):
        key = f"lyrics.edit.{kept.set_id}.{index}"
        if key not in st.session_state:
            st.session_state[key] = clamp(kept.text(index), MAX_LYRICS)[0]
        with column:
            st.markdown(f"**Variation {index + 1}**")
            text = st.text_area(
                f"Lyrics of variation {index + 1}",
                key=key,
                max_chars=MAX_LYRICS,
                height=380,
                label_visibility="collapsed",
                on_change=_save_edit,
                args=(conn.owner, kept.set_id, index, key),
            )
            st.caption(summary(analyse(text)))  # our own words and counts only: safe as Markdown
            if st.button("Use these lyrics", key=f"lyrics.use.{kept.set_id}.{index}", type="primary"):
                use_in_create(text, kept.style, kept.prompt)
            if st.button("Use with a persona", key=f"lyrics.persona.{kept.set_id}.{index}"):
                use_with_persona(text)


def _save_edit(owner: str, set_id: int, index: int, key: str) -> None:
    try:
        lyrics_book().save_edit(owner, set_id, index, st.session_state[key])
    except ValueError as e:
        show_error(e)


def use_in_create(text: str, style: str, prompt: str) -> None:
    """Open Create in its lyrics mode with these words, the style and a title from the prompt filled in."""
    if not text.strip():
        st.warning("These lyrics are empty: write some words first.")
        return
    st.session_state["create.mode"] = CREATE_LYRICS_MODE
    st.session_state["create.lyrics"] = clamp(text.strip(), MAX_LYRICS)[0]
    st.session_state["create.style"] = clamp(style.strip(), MAX_STYLE)[0]
    st.session_state["create.title"] = short_label(prompt, MAX_TITLE)
    st.switch_page(CREATE_PAGE)


def use_with_persona(text: str) -> None:
    if not text.strip():
        st.warning("These lyrics are empty: write some words first.")
        return
    st.session_state["personas.lyrics"] = clamp(text.strip(), MAX_LYRICS)[0]
    st.switch_page(PERSONAS_PAGE)


def earlier_lyrics(conn: Studio) -> None:
    """Every kept set, newest first, searchable; open, download as .txt or delete each."""
    st.subheader("Your lyrics")
    text = st.text_input("Search your lyrics", key="lyrics.search", placeholder="a word of prompt or lyrics")
    found = lyrics_book().search(conn.owner, text, limit=LISTED)
    if not found:
        st.info("No lyrics match." if text.strip() else "Lyrics you write are kept here.")
        return
    for kept in found:
        with st.container(border=True):
            st.text(
                short_label(kept.prompt, 100) + (f" · {short_label(kept.style, 40)}" if kept.style else "")
            )
            edited = sum(e is not None for e in kept.edits)
            st.caption(
                f"{kept.created_at:%Y-%m-%d %H:%M} UTC · {len(kept.variations)} variation(s)"
                + (f" · {edited} edited" if edited else "")
            )
            with st.container(horizontal=True, gap="small"):
                if st.button("Open", key=f"lyrics.open.{kept.set_id}", icon=":material/edit_note:"):
                    st.session_state[OPEN] = kept.set_id
                    st.rerun()
                st.download_button(
                    "Download .txt",
                    data=partial(_as_txt, conn.owner, kept.set_id),
                    file_name=f"lyrics-{file_stem(kept.prompt, 'lyrics')}.txt",
                    mime="text/plain; charset=utf-8",
                    on_click="ignore",
                    key=f"lyrics.download.{kept.set_id}",
                    icon=":material/download:",
                )
                if st.button("Delete", key=f"lyrics.delete.{kept.set_id}", icon=":material/delete:"):
                    lyrics_book().delete(conn.owner, kept.set_id)
                    if st.session_state.get(OPEN) == kept.set_id:
                        del st.session_state[OPEN]
                    st.rerun()


def _as_txt(owner: str, set_id: int) -> bytes:
    kept = lyrics_book().get(owner, set_id)
    return kept.as_txt().encode("utf-8") if kept else b""


def open_set(conn: Studio) -> LyricsSet | None:
    """The set chosen to be shown (the newest just written, or one opened from the list)."""
    set_id = st.session_state.get(OPEN)
    return lyrics_book().get(conn.owner, set_id) if set_id is not None else None
