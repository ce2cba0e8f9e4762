"""Cover and Producer edits: a song in a new style, or one Producer operation; the result beside the original."""

import streamlit as st

from lib import edits, ui
from lib.arguments import VARIATION_TYPES

conn = ui.page_setup("Cover and edit")

KINDS = ("Cover (Suno)", "Producer edit")
kind = st.radio("What would you like to do?", KINDS, key="cover.kind", horizontal=True)
VOICES = {"Keep it": None, "Female": "female", "Male": "male", "Mixed": "mixed"}
OPERATIONS = {
    "Cover in a new style": "cover",
    "Extend": "extend",
    "Replace a section": "replace",
    "Swap the vocals": "swap_vocals",
    "Swap the instrumental": "swap_instrumentals",
    "Variation": "variation",
}


def text(label: str, name: str, placeholder: str) -> str:
    return ui.text_field(label, f"cover.{name}", limit=ui.MAX_STYLE, area=False, placeholder=placeholder)


def suno_cover() -> None:
    clip = ui.source_picker(conn, key="cover.source", label="Song to cover", upload_to="suno")
    style = text("Style of the cover", "style", "jazz version with piano")
    voice = VOICES[st.radio("Voice", list(VOICES), key="cover.voice", horizontal=True)]
    source = edits.cover_source(clip, builtin=conn.mode == ui.BUILTIN) if clip else {}
    ui.submit_form(
        conn,
        call="suno.cover_music",
        model="suno",
        params={**source, "style": style, "voice_gender": voice},
        required={"a song to cover": clip, "a style": style},
        label=f"{clip.title if clip else ''} ({style or 'cover'})",
        key="cover",
        button="Cover",
    )
    if clip is not None:
        ui.beside_original(conn, clip, ("suno.cover_music",), key="cover.results")


def producer_edit() -> None:
    clip = ui.source_picker(
        conn, key="cover.producer_source", label="Producer song", models=("producer",), upload_to="producer"
    )
    choice = st.selectbox("Operation", list(OPERATIONS), key="cover.operation")
    operation = OPERATIONS[choice]
    fields, required = {}, {"a Producer song (make one on Create, or upload a file)": clip}
    if operation == "cover":
        fields["style"] = required["a style"] = text("Style", "producer_style", "jazz version")
    elif operation == "extend":
        fields["duration"] = st.slider(
            "New music (seconds)", ui.MIN_SECONDS, ui.MAX_SECONDS, 30, step=5, key="cover.duration"
        )
    elif operation == "replace":
        if clip is not None and clip.duration:
            fields["start_time"], fields["end_time"] = section_picker(clip)
        fields["description"] = required["what the section becomes"] = text(
            "New music for the section", "replace_description", "guitar solo"
        )
    elif operation == "swap_vocals":
        fields["voice_description"] = required["the new voice"] = text(
            "New voice", "voice_description", "female pop vocals"
        )
    elif operation == "swap_instrumentals":
        fields["instrumental_description"] = required["the new backing"] = text(
            "New backing", "instrumental_description", "acoustic guitar backing"
        )
    else:
        fields["variation_type"] = st.radio(
            "Vary the", VARIATION_TYPES, key="cover.variation_type", horizontal=True
        )
    ui.submit_form(
        conn,
        call="producer.create_music",
        model="producer",
        params={"operation": operation, "audio_id": clip.clip_id if clip else "", **fields},
        required=required,
        label=f"{choice}: {clip.title if clip else ''}",
        key="cover.producer",
        button=choice,
    )
    if clip is not None:
        ui.beside_original(conn, clip, ("producer.create_music",), key="cover.producer_results")


def section_picker(clip) -> tuple[float, float]:
    """Start and end of the section to replace, shown on the waveform and playable alone before paying."""
    length = float(clip.duration)
    start, end = st.slider(
        "Section to replace (seconds)",
        0.0,
        length,
        (round(length / 3, 1), round(2 * length / 3, 1)),
        step=0.5,
        key="cover.region",
    )
    if clip.cached:
        ui.waveform(clip.audio_path, length, key="cover.region_waveform", region=(start, end))
        st.caption("Hear the section on its own:")
        st.audio(str(clip.audio_path), format="audio/mpeg", start_time=int(start), end_time=int(end + 0.999))
    return start, end


if kind == KINDS[0]:
    suno_cover()
else:
    producer_edit()
