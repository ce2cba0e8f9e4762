"""Extend: continue a song (from its end or a chosen second), make the whole song in steps, or join clips."""

import streamlit as st

from lib import costs, ui, whole_song
from lib.text import duration_text

conn = ui.page_setup("Extend a song")

st.write(
    "An extension holds only the new music. Join it after its song (or make the whole song in one go) to "
    "hear everything as one track."
)

MODES = ("Extend", "Make the whole song", "Join clips")
mode = st.radio("What would you like to do?", MODES, key="extend.mode", horizontal=True)


def extend() -> None:
    clip = ui.source_picker(conn, key="extend.source", label="Song to extend")
    seconds = st.slider(
        "New music (seconds)", ui.MIN_SECONDS, ui.MAX_SECONDS, 30, step=5, key="extend.duration"
    )
    continue_at = None
    if (
        clip is not None
        and clip.duration
        and st.toggle("Start from a chosen second", key="extend.choose_start")
    ):
        length = float(clip.duration)
        continue_at = st.slider(
            "Continue from (seconds)",
            1.0,
            length,
            max(1.0, float(round(length / 2))),
            step=0.5,
            key="extend.continue_at",
        )
        if clip.cached:
            ui.waveform(clip.audio_path, length, key="extend.start_waveform", mark=continue_at)
        st.caption(
            f"The music after {continue_at:g} s is left out when you join the extension after the song."
        )
    params = {"audio_id": clip.clip_id if clip else "", "duration": seconds, "continue_at": continue_at}
    ui.submit_form(
        conn,
        call="suno.extend_music",
        model="suno",
        params=params,
        required={"a song to extend": clip},
        label=f"Extension of {clip.title if clip else ''}",
        key="extend",
        button="Extend",
    )
    if clip is not None:

        def join_after(extension) -> None:
            price = costs.estimate("suno.concat_music")
            if st.button(f"Join after the song · {price} credits", key=f"extend.join.{extension.clip_id}"):
                params = {"clip_ids": [clip.clip_id, extension.clip_id]}
                ui.submit_call(
                    conn, "suno.concat_music", params, label=f"Whole song: {clip.title}", model="suno"
                )

        ui.beside_original(conn, clip, ("suno.extend_music",), key="extend.results", then=join_after)


def make_whole_song() -> None:
    clip = ui.source_picker(conn, key="extend.whole.source", label="Song to grow")
    target = st.slider(
        "Length of the whole song (seconds)",
        20,
        whole_song.MAX_TARGET,
        120,
        step=10,
        key="extend.whole.target",
    )
    plan = None
    if clip is not None:
        try:
            plan = whole_song.plan_chain(clip.duration or 0.0, target)
            st.caption(ui.whole_song_price(plan))
        except ValueError as e:
            st.warning(ui.plain(e))
    label = f"Make the whole song · {plan.price} credits" if plan else "Make the whole song"
    if st.button(label, key="extend.whole.submit", type="primary", icon=":material/queue_music:"):
        if clip is None:
            st.warning("Please choose a song to grow first.")
        elif plan is not None and not costs.affordable(conn.available, plan.price):
            st.error(f"The whole song needs {plan.price} credits and you have {conn.available}.")
        elif plan is not None:
            ui.start_whole_song(conn, clip, plan)
    ui.whole_song_progress(conn, key="extend.whole.progress")


def join_clips() -> None:
    frame = ui.library().clips_frame(conn.owner, statuses=("completed",)).dropna(subset=["clip_id"])
    titles = dict(zip(frame["clip_id"], frame["title"].fillna("").replace("", "Untitled"), strict=True))
    lengths = dict(zip(frame["clip_id"], frame["duration"].fillna(0.0), strict=True))
    chosen = st.multiselect(
        "Clips, in the order they should play (2 to 10)",
        list(titles),
        key="extend.concat.clips",
        format_func=lambda clip_id: f"{titles.get(clip_id, clip_id)} · {duration_text(lengths.get(clip_id))}",
        max_selections=10,
        placeholder="Pick the first clip, then the next...",
    )
    order = " → ".join(titles[c] for c in chosen)
    if chosen:
        st.caption(ui.plain(f"Together: {duration_text(sum(lengths[c] for c in chosen))} · {order}"))
    ui.submit_form(
        conn,
        call="suno.concat_music",
        model="suno",
        params={"clip_ids": chosen},
        required={"at least two clips": len(chosen) >= 2},
        label=f"Joined: {order}",
        key="extend.concat",
        button="Join",
    )


if mode == "Extend":
    extend()
elif mode == "Make the whole song":
    make_whole_song()
else:
    join_clips()
