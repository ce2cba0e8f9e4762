"""Stems: split a song into its parts (once), listen to each, remix them here, take them away."""

import streamlit as st

from lib import ui

conn = ui.page_setup("Stems")

st.write(
    "Split a song into its parts, listen to each one, and make your own mix: mute the vocals to sing "
    "along, solo the drums to practise, or turn the bass up. Mixing happens on this computer, free of charge."
)

clip = ui.source_picker(conn, key="stems.source")  # a song opened here that was deleted is said there
if clip is None or ui.mix_source_note(conn, clip, key="stems"):
    st.stop()

KINDS = {"basic": "Vocals and instrumental (2 stems)", "full": "Every part (up to 12 stems)"}
kind = st.radio("Split into", list(KINDS), key="stems.kind", format_func=KINDS.get, horizontal=True)

kept = ui.kept_stems(conn, clip, kind)
if kept is None:
    ui.split_panel(conn, clip, kind, key="stems")
    st.stop()
if not kept.ready:  # paid for, not all on disk right now: the page said why
    st.stop()

st.caption(f"{len(kept.parts)} stems, kept in your library: opening them again costs nothing.")
ui.mixing_desk(conn, clip, kept, key="stems")
