"""Lyrics: write words from a prompt (1-5 variations), edit them, take them to Create or a persona."""

import streamlit as st

from lib import ui
from lib.ui import lyrics

conn = ui.page_setup("Lyrics")

st.write(
    "Say what the song is about and get lyrics to edit. Every set you write is kept below; "
    "take the one you like to Create, or sing it with one of your personas."
)

prompt = lyrics.clamped_area(
    "What is the song about?",
    "lyrics.prompt",
    limit=ui.MAX_PROMPT,
    placeholder="a song about friendship and adventure",
)
col1, col2 = st.columns([3, 1])
with col1:
    style = ui.text_field(
        "Style (optional)", "lyrics.style", limit=ui.MAX_STYLE, area=False, placeholder="pop"
    )
with col2:
    count = st.number_input("Variations", 1, 5, 3, key="lyrics.count")
with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
    clicked = st.button("Write lyrics", key="lyrics.generate", type="primary", icon=":material/edit_note:")
    ui.cost_badge(conn, lyrics.CALL)
if clicked:
    if prompt:
        lyrics.write_lyrics(conn, prompt, style, int(count))
    elif not st.session_state.get("lyrics.prompt", "").strip():
        st.warning("Please say what the song is about first.")

shown = lyrics.open_set(conn)
if shown is not None:
    lyrics.variations(conn, shown)

lyrics.earlier_lyrics(conn)
