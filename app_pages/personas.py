"""Personas: a voice (and a band) learnt from one of your songs, then new music made with it."""

import streamlit as st

from lib import ui
from lib.personas import MAX_NAME, MUSIC_CALL, PERSONA_CALL, REFERENCE_WAIT_SECONDS
from lib.ui import personas

conn = ui.page_setup("Personas")
book = personas.persona_book()

st.write(
    "A persona keeps the voice of one of your songs so new songs can be sung by it. "
    "Your personas are kept in this library."
)
if conn.mode == ui.BUILTIN:
    st.caption(
        "On the built-in engine a persona also keeps its song's tempo, key and mode and its band "
        "(instruments, groove): new songs made with it sound like the same artist."
    )

st.subheader("Make a persona")
clip = ui.source_picker(conn, key="personas.source", label="Song")
name = ui.text_field(
    "Persona name", "personas.name", limit=MAX_NAME, area=False, placeholder="My Custom Voice"
)
st.caption(
    f"Making a persona takes longer than a song: up to about {REFERENCE_WAIT_SECONDS // 60} minutes "
    "on the service. It runs in the background; it appears below when it is ready."
)
ui.submit_form(
    conn,
    call=PERSONA_CALL,
    model="suno",
    params=personas.persona_params(conn, clip, name) if clip else {"persona_name": name},
    required={"a song": clip, "a name": name},
    label=f"Persona {name}",
    key="personas.create",
    button="Make persona",
)

known = book.all(conn.owner)
usable = {p.persona_id: p for p in known if not p.missing}
st.subheader("Make music with a persona")
if not usable:
    st.info("Your personas appear here once one is made.")
else:
    chosen = personas.persona_choice(usable)
    chosen_id = chosen.persona_id
    description = ui.text_field(
        "Describe the song", "personas.description", limit=ui.MAX_PROMPT, placeholder="upbeat pop song"
    )
    lyrics = ui.text_field("Lyrics (optional)", "personas.lyrics", limit=ui.MAX_LYRICS)
    seconds = st.slider(
        "Length (seconds)", ui.MIN_SECONDS, ui.MAX_SECONDS, 30, step=5, key="personas.duration"
    )
    ui.submit_form(
        conn,
        call=MUSIC_CALL,
        model="suno",
        params=dict(
            persona_id=chosen_id, description=description or None, lyrics=lyrics or None, duration=seconds
        ),
        required={"a description or lyrics": description or lyrics},
        label=f"{chosen.name}: {description or lyrics}",
        key="personas.music",
        button="Make music",
        start=personas.music_starter(conn, chosen),
    )
    source, made = st.columns(2)
    with source:
        st.markdown("**The persona's song**")
        personas.source_player(conn, chosen.source_clip_id)
    with made:
        st.markdown("**Made with it**")
        songs = book.songs(conn.owner, chosen_id, limit=1)
        made_clip = ui.library().clip(conn.owner, songs[0]) if songs else None
        if made_clip is None:
            st.caption("The newest song made with this persona plays here, beside its source.")
        else:
            ui.clip_card(conn, made_clip, key=f"personas.made.{made_clip.clip_id}")

st.subheader("Your personas")
known = book.all(conn.owner)  # again: making music may have found one the server no longer knows
if not known:
    st.info("No personas yet. Choose a song with a voice above and give the persona a name.")
for persona in known:
    personas.persona_card(conn, persona, key=f"personas.card.{persona.persona_id}")
