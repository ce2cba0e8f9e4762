"""Create: describe a song (or bring lyrics) and start it; finished songs appear below."""

import streamlit as st

from lib import ui

conn = ui.page_setup("Create a song")

st.write(
    "Describe the music you want. It is made in the background: keep going, it appears below when ready."
)
if conn.mode == ui.BUILTIN:
    st.caption(
        "The built-in engine composes and plays your song on this computer. Its singer is a synthetic "
        "voice that sings your words, one syllable per note (English, Spanish, French, German, Italian, "
        "Portuguese, Russian or Ukrainian); it sounds like a speech synthesizer singing, not a person."
    )

MODES = {
    "Describe a song": "suno",
    "Quick idea": "describe",
    "My lyrics and style": "lyrics",
    "Long song (up to 4 min)": "nuro",
    "Producer": "producer",
}
choice = st.radio("What would you like to do?", list(MODES), key="create.mode", horizontal=True)
mode = MODES[choice]

VOICES = {"Female": "female", "Male": "male"}
SINGING = {"Sung words (synthetic voice)": "words", "Wordless voice": "wordless"}


def duration(default: int, maximum: int = ui.MAX_SECONDS) -> int:
    return st.slider(
        "Length (seconds)", ui.MIN_SECONDS, maximum, default, step=5, key=f"create.{mode}_duration"
    )


def singing(name: str, has_words: bool = True) -> dict:
    """The built-in engine's choice of singer: sung words (the default with lyrics) or a wordless voice."""
    if conn.mode != ui.BUILTIN:
        return {}
    key = f"create.{name}_singing" if has_words else f"create.{name}_singing_no_lyrics"  # its own default
    chosen = st.radio("Singer", list(SINGING), index=0 if has_words else 1, key=key, horizontal=True)
    return {"singing": SINGING[chosen]}


def text(label: str, name: str, *, limit: int, area: bool = True, placeholder: str = "") -> str:
    return ui.text_field(label, f"create.{name}", limit=limit, area=area, placeholder=placeholder)


if mode == "suno":
    description = text(
        "Describe your song",
        "description",
        limit=ui.MAX_PROMPT,
        placeholder="upbeat electronic dance music with strong bass",
    )
    col1, col2 = st.columns(2)
    with col1:
        seconds = duration(30)
    with col2:
        voice = VOICES[st.radio("Voice", list(VOICES), key="create.voice_gender", horizontal=True)]
        auto_lyrics = st.toggle("Write lyrics for me", value=True, key="create.auto_lyrics")
    call, model, params = (
        "suno.create_music",
        "suno",
        dict(description=description, duration=seconds, voice_gender=voice, auto_lyrics=auto_lyrics),
    )
    params.update(singing("suno", has_words=auto_lyrics))
    required = {"a description": description}
    label = description

elif mode == "describe":
    description = text(
        "Your idea in a few words", "idea", limit=ui.MAX_PROMPT, placeholder="a sad piano ballad"
    )
    seconds = duration(60)
    call, model, params = "suno.describe_music", "suno", dict(description=description, duration=seconds)
    required = {"a few words about the song": description}
    label = description

elif mode == "lyrics":
    title = text("Title", "title", limit=ui.MAX_TITLE, area=False, placeholder="My Song")
    lyrics = text(
        "Lyrics",
        "lyrics",
        limit=ui.MAX_LYRICS,
        placeholder="Verse 1: Walking down the street...\nChorus: Life is beautiful...",
    )
    style = text(
        "Style", "style", limit=ui.MAX_STYLE, area=False, placeholder="indie rock, acoustic guitar, drums"
    )
    voice = VOICES[st.radio("Voice", list(VOICES), key="create.lyrics_voice", horizontal=True)]
    call, model, params = (
        "suno.create_music_with_lyrics",
        "suno",
        dict(lyrics=lyrics, style=style, title=title or None, voice_gender=voice, **singing("lyrics")),
    )
    required = {"the lyrics": lyrics, "a style": style}
    label = title or style

elif mode == "nuro":
    kind = st.radio("Kind", ["With vocals", "Instrumental"], key="create.nuro_kind", horizontal=True)
    prompt = text(
        "Describe your song",
        "nuro_prompt",
        limit=ui.MAX_PROMPT,
        placeholder="epic orchestral soundtrack with choir",
    )
    col1, col2 = st.columns(2)
    with col1:
        seconds = duration(60)
    with col2:
        style = text(
            "Style (optional)", "nuro_style", limit=ui.MAX_STYLE, area=False, placeholder="cinematic"
        )
    params = dict(prompt=prompt, duration=seconds, style=style or None)
    if kind == "With vocals":
        nuro_voices = {**VOICES, "Mixed": "mixed"}
        params["voice_gender"] = nuro_voices[
            st.radio("Voice", list(nuro_voices), key="create.nuro_voice", horizontal=True)
        ]
        params.update(singing("nuro"))
        call = "nuro.create_vocal_music"
    else:
        call = "nuro.create_instrumental_music"
    model = "nuro"
    required = {"a description": prompt}
    label = prompt

else:
    description = text(
        "Describe your track",
        "producer_description",
        limit=ui.MAX_PROMPT,
        placeholder="energetic EDM track with drops",
    )
    seconds = duration(60)
    call, model, params = (
        "producer.create_music",
        "producer",
        dict(operation="create", description=description, duration=seconds),
    )
    required = {"a description": description}
    label = description

ui.submit_form(conn, call=call, model=model, params=params, required=required, label=label, key="create")

ui.latest_songs(conn, key="create.latest")
