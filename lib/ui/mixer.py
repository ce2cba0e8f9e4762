"""Stems and the mixer: splitting a song once, a row per stem (player, waveform, gain, mute, solo), the mix.

The tray hands finished stems tasks to `_keep_finished_stems`, which records and downloads them; pages then
read them from the library (lib.stems) and mix them on this machine (lib.mixing). Audio stays on disk: the
session only holds widget values and the path of the last rendered mix.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import streamlit as st

from lib import costs, mixing
from lib import stems as stems_lib
from lib.errors import AIMusicAPIError
from lib.mixing import SILENT, Channel
from lib.models import Task
from lib.store import ClipRecord, TaskRecord
from lib.text import duration_text, file_stem, plain, short_label
from lib.ui import navigation
from lib.ui.charts import measure, waveform
from lib.ui.feedback import show_error
from lib.ui.forms import cost_badge
from lib.ui.players import player
from lib.ui.session import Studio, library
from lib.ui.tray import is_queued, notify_and_rerun, on_finish, remakes, submit_call

APPROXIMATE = (
    "This song was uploaded, so its stems were separated from the finished recording: they are approximate, "
    "and a little of each part can be heard in the others."
)
PAGE = "app_pages/stems.py"

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _shelf(db_path: str) -> stems_lib.StemShelf:
    return stems_lib.StemShelf(library())


def shelf() -> stems_lib.StemShelf:
    return _shelf(str(library().db_path))


# Splitting


@on_finish(*stems_lib.CALLS.values())
def _keep_finished_stems(conn: Studio, task: Task, record: TaskRecord) -> None:
    """A finished split: its stems kept by the library and downloaded, so they are never paid for again."""
    clip_id = record.params.get("song_id", "")
    if library().clip(conn.owner, clip_id) is None:
        conn.notices.append(
            (
                "error",
                f"“{record.label}” is ready, but its song was deleted meanwhile, so the stems were not kept.",
            )
        )
        return
    try:
        kept = shelf().keep(conn.owner, clip_id, stems_lib.kind_of(record.call), task)
        kept = shelf().download(conn.owner, kept, conn.client.download, conn.client.suno.get_music)
    except (AIMusicAPIError, ValueError) as e:
        notice = (
            f"Some stems of “{record.label}” are not downloaded yet ({e}); the Stems page fetches them again."
        )
        conn.notices.append(("error", notice))
        return
    decode_ahead(kept)


_DECODING: set[Path] = set()  # stem folders being decoded ahead, so a rerun does not start it twice


def decode_ahead(kept: stems_lib.StemSet) -> None:
    """Decode the parts in the background while the person looks at them, so a "Play my mix" only mixes
    (after a split, a reload or a restart). Nothing is discarded there: the page repairs what does not
    decode when it mixes."""
    folder = kept.stems[0].path.parent
    if folder in _DECODING or all(mixing.decoded_path(s.path).is_file() for s in kept.parts):
        return
    _DECODING.add(folder)

    def decode() -> None:
        try:
            mixing.decode_all({stem.name: stem.path for stem in kept.parts})
        except (ValueError, OSError) as e:
            log.info("stems of %s not decoded ahead: %s", kept.clip_id, e)
        finally:
            _DECODING.discard(folder)

    threading.Thread(target=decode, name="stems-decode", daemon=True).start()


def split_panel(conn: Studio, clip: ClipRecord, kind: str, *, key: str) -> None:
    """The split button with its price, or why it is not needed now (running), or what went wrong last."""
    call = stems_lib.CALLS[kind]
    ours = [t for t in library().pending_tasks(conn.owner) if _is_split(t, call, clip)]
    if ours or is_queued(conn, call, song_id=clip.clip_id):
        st.info(
            "This song is being split (or waits for a free slot): its stems appear here when they are ready.",
            icon=":material/hourglass_top:",
        )
        return
    last = next((t for t in library().results_for(conn.owner, call) if _is_split(t, call, clip)), None)
    if last is not None and last.status == "failed":
        reason = last.error_message.rstrip(".") or "the server gave no reason"
        st.error(
            plain(
                f"The last split of this song failed ({reason}). Its {costs.estimate(call)} credits were "
                "given back; you can try again."
            ),
            icon=":material/error:",
        )
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        clicked = st.button(
            "Split into stems", key=f"{key}.split", type="primary", icon=":material/call_split:"
        )
        cost_badge(conn, call)
    if clicked:
        label = short_label(f"Stems of {clip.title or 'Untitled'}")
        submit_call(conn, call, {"song_id": clip.clip_id}, label=label, model="suno")


def _is_split(task: TaskRecord, call: str, clip: ClipRecord) -> bool:
    return task.call == call and task.params.get("song_id") == clip.clip_id


def kept_stems(conn: Studio, clip: ClipRecord, kind: str) -> stems_lib.StemSet | None:
    """The song's stems of this kind (None: never split), missing or damaged files fetched again first.

    When some cannot be fetched now, that is said on the page and the set is returned not `ready`: it was
    paid for, so it is never offered to be split (and paid) again.
    """
    kept = shelf().get(conn.owner, clip.clip_id, kind)
    if kept is None:
        return None
    try:
        if not kept.ready:
            kept = _fetch(conn, kept)
        if _discard_undecodable(conn, kept):
            kept = _fetch(conn, kept)
    except (AIMusicAPIError, ValueError) as e:
        st.warning(
            plain(f"The stems of this song cannot be fetched right now: {e} Reload the page to try again.")
        )
        return kept
    decode_ahead(kept)
    return kept


def _fetch(conn: Studio, kept: stems_lib.StemSet) -> stems_lib.StemSet:
    with st.spinner("Fetching the stems..."):
        return shelf().download(conn.owner, kept, conn.client.download, conn.client.suno.get_music)


def _discard_undecodable(conn: Studio, kept: stems_lib.StemSet) -> bool:
    """Whether some parts did not decode (now discarded). Their waveforms are drawn anyway and cached per
    file, so after the first visit this costs a stat per stem."""
    damaged = False
    for stem in kept.parts:
        try:
            measure(stem.path)
        except (ValueError, OSError):  # does not decode, or was just discarded by another tab
            shelf().discard(conn.owner, stem)
            damaged = True
    return damaged


def mix_source_note(conn: Studio, clip: ClipRecord, *, key: str) -> bool:
    """A kept mix is remixed from its source song's stems: say so and offer to open that song."""
    if clip.model != stems_lib.MIX:
        return False
    source = library().clip(conn.owner, clip.metadata.get("source", ""))
    if source is None:
        st.info(
            "This mix was made here from a song that has since been deleted, so it has no stems to change."
        )
    else:
        st.info("This is a mix you made here. To change it, open the song it was made from.")
        if st.button(plain(f"Open “{short_label(source.title)}”"), key=f"{key}.open_source"):
            navigation.open_on_clip(PAGE, source.clip_id)
    return True


# The mixer


@st.fragment
def mixing_desk(conn: Studio, clip: ClipRecord, kept: stems_lib.StemSet, *, key: str) -> None:
    """A row per stem, presets, the mix (play, download, keep) and the stems' downloads.

    A fragment: moving a slider or pressing mute reruns the desk, not the whole app.
    """
    if kept.approximate:
        st.info(APPROXIMATE, icon=":material/info:")
    names = [s.name for s in kept.parts]
    _reset_when_source_changes(key, kept, names)
    _preset_buttons(key, names)
    for stem in kept.parts:
        _stem_row(stem, clip, key=key)
    settings = {name: _channel(key, name) for name in names}
    _mix_panel(conn, clip, kept, settings, key=key)
    _stem_downloads(conn, clip, kept, key=key)


def _widget_keys(key: str, name: str) -> tuple[str, str, str]:
    return f"{key}.gain.{name}", f"{key}.mute.{name}", f"{key}.solo.{name}"


def _channel(key: str, name: str) -> Channel:
    gain, mute, solo = _widget_keys(key, name)
    ss = st.session_state
    return Channel(gain_db=ss.get(gain, 0.0), mute=ss.get(mute, False), solo=ss.get(solo, False))


def _apply(key: str, settings: dict[str, Channel]) -> None:
    for name, channel in settings.items():
        gain, mute, solo = _widget_keys(key, name)
        st.session_state[gain], st.session_state[mute], st.session_state[solo] = (
            channel.gain_db, channel.mute, channel.solo,
        )  # fmt: skip


def _reset_when_source_changes(key: str, kept: stems_lib.StemSet, names: list[str]) -> None:
    """Each song starts from its stems as split (widget values are keyed by stem name, not by song)."""
    source = f"{kept.clip_id}/{kept.kind}"
    if st.session_state.get(f"{key}.mixing") != source:
        st.session_state[f"{key}.mixing"] = source
        st.session_state.pop(f"{key}.rendered", None)
        _apply(key, {name: Channel() for name in names})


def _preset_buttons(key: str, names: list[str]) -> None:
    choices = {**mixing.presets(names), "Everything": {name: Channel() for name in names}}
    with st.container(horizontal=True, gap="small"):
        for title, settings in choices.items():
            st.button(
                title, key=f"{key}.preset.{file_stem(title).lower()}", on_click=_apply, args=(key, settings)
            )


def _gain_text(db: float) -> str:
    return "off" if db == SILENT else f"{db:+g} dB"


def _stem_row(stem: stems_lib.Stem, clip: ClipRecord, *, key: str) -> None:
    """A box per stem: its gain (named after the stem), mute, solo and player on one line, its waveform under
    them. Seven elements where two columns of a text, a waveform, a player, a slider and two toggles made
    ten: the desk reruns on every slider move, and each element is paid for twelve times."""
    gain, mute, solo = _widget_keys(key, stem.name)
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
            st.select_slider(stem.label, mixing.GAIN_STEPS, key=gain, format_func=_gain_text, width=220)
            st.toggle("Mute", key=mute)
            st.toggle("Solo", key=solo)
            player(stem.path, "audio/mpeg")
        try:
            waveform(
                stem.path, clip.duration or 0.0, key=f"{key}.waveform.{stem.name}", height=48, axis=False
            )
        except ValueError as e:  # damaged since this run began: the next visit fetches it again
            st.caption(plain(e))


def _download(file_name: str, data, mime: str, *, key: str, label: str = "Download") -> None:
    """A download read (or made) on click, never held in session state."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        key=key,
        icon=":material/download:",
    )


def _file_name(clip: ClipRecord, part: str, ext: str) -> str:
    return f"{file_stem(clip.title)} - {file_stem(part)}.{ext}"


def _mix_panel(conn: Studio, clip: ClipRecord, kept: stems_lib.StemSet, settings, *, key: str) -> None:
    st.subheader("Your mix")
    with st.container(horizontal=True, gap="small"):
        play = st.button("Play my mix", key=f"{key}.play", type="primary", icon=":material/play_arrow:")
        keep = st.button("Keep this mix", key=f"{key}.keep", icon=":material/library_add:")
    if play or keep:
        rendered = render_mix(conn, kept, settings)
        if rendered is None:
            return
        st.session_state[f"{key}.rendered"] = str(rendered.path)  # a path: the audio stays on disk
        if rendered.clipped:
            st.warning("The mix is louder than the file can hold, so its peaks were cut: lower some gains.")
        if keep:
            keep_mix(conn, clip, kept, settings, rendered.path)
    shown = st.session_state.get(f"{key}.rendered")
    if not shown or not Path(shown).is_file():
        st.caption("Set the stems above, then play your mix: it is made on this computer, free of charge.")
        return
    path = Path(shown)
    if path.stem != mixing.settings_key(settings):
        st.caption("This is the mix of your earlier settings: play your mix again to hear the new ones.")
    player(path, "audio/wav")
    with st.container(horizontal=True, gap="small"):
        mp3 = _file_name(clip, "my mix", "mp3")  # encoded on click only
        _download(mp3, lambda: mixing.mp3_of(path), "audio/mpeg", key=f"{key}.mix_mp3", label="Download MP3")
        wav = _file_name(clip, "my mix", "wav")
        _download(wav, path.read_bytes, "audio/wav", key=f"{key}.mix_wav", label="Download WAV")


def render_mix(conn: Studio, kept: stems_lib.StemSet, settings) -> mixing.Rendered | None:
    """The mix of these settings as a WAV beside the stems (made once per settings); a damaged stem is
    fetched again and the mix retried once."""
    out = (
        shelf().folder(conn.owner, kept.clip_id, kept.kind) / "mixes" / f"{mixing.settings_key(settings)}.wav"
    )
    for attempt in range(2):
        try:
            with st.spinner("Mixing..."):
                wavs = shelf().decoded(conn.owner, kept.parts)
                return mixing.render(wavs, settings, out)
        except ValueError as e:
            if attempt:
                show_error(e)
                return None
        try:
            kept = _fetch(conn, kept)
        except (AIMusicAPIError, ValueError) as e:
            show_error(e)
            return None
    return None


def keep_mix(conn: Studio, clip: ClipRecord, kept: stems_lib.StemSet, settings, wav: Path) -> None:
    try:
        with st.spinner("Saving your mix to the Library..."):
            mix = shelf().keep_mix(conn.owner, clip, kept, settings, wav, mixing.mp3_of(wav))
    except ValueError as e:
        show_error(e)
        return
    notify_and_rerun(conn, "success", f"“{mix.title}” is in your Library ({duration_text(mix.duration)}).")


@remakes(stems_lib.MIX)
def _remake_mix(conn: Studio, recorded: TaskRecord) -> None:
    """ "Make again" of a kept mix: the same settings on the same stems, rendered here (no request, no
    credits)."""
    source = library().clip(conn.owner, recorded.params.get("song_id", ""))
    kept = shelf().get(conn.owner, source.clip_id, recorded.params.get("kind", "")) if source else None
    if source is None or kept is None:
        st.warning("The song this mix was made from, or its stems, were deleted, so it cannot be made again.")
        return
    kept = kept_stems(conn, source, kept.kind)
    settings = mixing.settings_from_json(recorded.params.get("settings", {}))
    rendered = render_mix(conn, kept, settings) if kept.ready else None
    if rendered is not None:
        keep_mix(conn, source, kept, settings, rendered.path)


WHOLE_SONG_LABELS = {
    "mix": "Mix (the whole song)",
    "background": "Background (the song without its lead voice)",
}


def _stem_downloads(conn: Studio, clip: ClipRecord, kept: stems_lib.StemSet, *, key: str) -> None:
    """Every stem in a zip, or one alone, as mp3 (as split) or wav (decoded here); made on click."""
    st.subheader("Take the stems")
    fmt = st.radio("Format", ["mp3", "wav"], key=f"{key}.zip_format", horizontal=True, format_func=str.upper)
    mime = "audio/mpeg" if fmt == "mp3" else "audio/wav"
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        name = st.selectbox(
            "One stem",
            [s.name for s in kept.stems],
            key=f"{key}.one",
            format_func=lambda n: WHOLE_SONG_LABELS.get(n) or kept.stem(n).label,
        )
        _download(
            _file_name(clip, name, fmt),
            lambda: _stem_file(conn, kept, name, fmt).read_bytes(),
            mime,
            key=f"{key}.download_one",
            label="Download this stem",
        )
        st.download_button(
            _zip_label(kept),
            data=lambda: shelf().zip(conn.owner, kept, clip.title, fmt),
            file_name=f"{file_stem(clip.title)} - stems ({fmt}).zip",
            mime="application/zip",
            on_click="ignore",
            key=f"{key}.zip",
            icon=":material/folder_zip:",
        )


def _zip_label(kept: stems_lib.StemSet) -> str:
    """Counts the parts as the page does; the whole-song files the zip adds are named, not counted as stems."""
    parts = f"{len(kept.parts)} stem{'' if len(kept.parts) == 1 else 's'}"
    return (
        f"Download the {parts} and the whole song (zip)" if kept.whole_song else f"Download the {parts} (zip)"
    )


def _stem_file(conn: Studio, kept: stems_lib.StemSet, name: str, fmt: str) -> Path:
    stem = kept.stem(name)
    return stem.path if fmt == "mp3" else shelf().decoded(conn.owner, [stem])[name]
