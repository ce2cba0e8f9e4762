"""Longer songs: extend a song with new bars in its tempo, key and chords; concatenate clips."""

import dataclasses
import hashlib
import json
import math

import numpy as np

from .. import audio_ops
from ..accompaniment import Frame
from ..composer import (
    band_tracks,
    bars_per_line,
    plan_sections,
    sections_from_plan,
    vocal_tracks,
)
from ..lyrics import parse_lyrics, write_lyrics
from ..model import Arrangement, Note, Track
from ..song import (
    Result,
    Source,
    check_duration,
    check_seed,
    check_text,
    result_from_arrangement,
)
from ..tables.limits import MAX_DURATION
from ..tables.theory import BEATS_PER_BAR
from ..units import beats_to_seconds, seconds_to_beats, seconds_to_samples
from .common import _arrangement, _rebuilt, _source, _style, _styled_like, _voice


def _merge(tracks: list[Track], additions: list[Track]) -> list[Track]:
    """Continue each track with the new notes of the track of the same name and sound."""
    by_name = {t.name: t for t in tracks}
    for track in additions:
        same = by_name.get(track.name)
        if same and (same.stem, same.program, same.is_drum) == (track.stem, track.program, track.is_drum):
            same.notes.extend(track.notes)
            continue
        if same:
            track = dataclasses.replace(track, name=f"{track.name}_{track.program}")
        by_name[track.name] = track
        tracks.append(track)
    return tracks


def _cut_before(track: Track, beat: float) -> Track:
    notes = [
        Note(n.start, min(n.duration, beat - n.start), n.pitch, n.velocity)
        for n in track.notes
        if n.start < beat - 0.01
    ]
    return dataclasses.replace(track, notes=notes)


# ---- extend ---------------------------------------------------------------------------------------------


def _continuation_lyrics(arrangement: Arrangement, text: str, seed: int) -> list[tuple[str, list[str]]]:
    """The lyric sections not sung yet, then fresh verses with the same chorus."""
    info = arrangement.info
    sung = sum(1 for _, _, lines in info.get("plan", []) if lines)
    lyrics = info.get("lyrics")
    if lyrics:
        sections = parse_lyrics(lyrics)
    else:
        sections = [
            (k, [" ".join(["ooh"] * 6)] * len(v))
            for k, v in parse_lyrics(write_lyrics(text, "", seed)["lyrics"])
        ]
    remaining = sections[sung:]
    fresh = parse_lyrics(write_lyrics(info.get("text") or text or "song", "", seed + 1)["lyrics"])
    chorus = next((lines for kind, lines in sections if kind == "chorus"), None)
    if chorus:
        fresh = [(kind, chorus if kind == "chorus" else lines) for kind, lines in fresh]
    if not lyrics:
        fresh = [(kind, [" ".join(["ooh"] * 6)] * len(lines)) for kind, lines in fresh]
    return remaining + fresh


def fingerprint(src: Source) -> str:
    """What an extension records of its parent, so concat knows [parent, extension] is one song."""
    if src.arrangement is not None:
        data = json.dumps(src.arrangement, sort_keys=True, default=str).encode()
    else:
        data = np.ascontiguousarray(src.audio).tobytes()
    return hashlib.sha1(data).hexdigest()


def _cut_beat(arrangement: Arrangement, at: float) -> float:
    """The beat where the continuation starts: on the beat at or just before `at` seconds."""
    return float(math.floor(seconds_to_beats(at, arrangement.tempo) + 1e-6))


def _extension_arrangement(
    parent: Arrangement, cut_beat: float, seconds: float, text: str, seed: int, parent_print: str
) -> Arrangement:
    """Only the new music, on its own timeline from 0, in the parent's tempo, key, band and voice."""
    style = _styled_like(text, _style(parent), seed) if text.strip() else _style(parent)
    voice = _voice(parent)
    total_bars = max(1, int(seconds_to_beats(seconds, parent.tempo) // BEATS_PER_BAR))
    lyric_sections = _continuation_lyrics(parent, text, seed) if voice else []
    plan = plan_sections(total_bars, lyric_sections, bars_per_line(parent.tempo), intro=False)
    sections = sections_from_plan(style, plan)
    song_seed = parent.info.get("seed", 0)
    tracks = band_tracks(style, sections, song_seed, voice is not None)
    events: list[tuple[float, str]] = []
    if voice:
        vocals, events = vocal_tracks(Frame(style, sections, song_seed), sections, plan, voice)
        tracks = vocals + tracks
    # The plan stays cumulative (the parent's sections up to the cut, then these), so a further extension
    # goes on with the lyrics where this one stopped.
    parent_plan = parent.info.get("plan", [])
    played = sum(1 for s in parent.sections if s.start_bar * BEATS_PER_BAR < cut_beat)
    kept = parent_plan[: max(0, len(parent_plan) - len(parent.sections)) + played]
    info = {
        "plan": kept + [[p.name, p.bars, list(p.lines)] for p in plan],
        "title": f"{parent.info.get('title') or 'Untitled'} (extension)",
        "continues": {"parent": parent_print, "at_beat": cut_beat},
    }
    return _rebuilt(parent, tracks, duration=seconds, sections=sections, lyric_events=events, info=info)


def extend(
    src: Source, duration: float, text: str = "", seed: int = 0, continue_at: float | None = None
) -> Result:
    """Only the new music: `duration` seconds continuing the clip from its end (or from `continue_at`).

    concat([parent, extension]) is the whole song, seamless at the join (see concat).
    """
    src = _source(src)
    seconds = check_duration(duration, "extension")
    text = check_text(text, "description")
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    original = arrangement.duration if arrangement else len(src.audio) / src.sample_rate
    at = original if continue_at is None else _check_continue_at(continue_at, original)
    if at + seconds > MAX_DURATION:
        raise ValueError(
            f"The whole song would last {at + seconds:.0f} s; the limit is {MAX_DURATION:.0f} s."
        )
    if arrangement is None:
        return audio_ops.extend_audio(src.audio, src.sample_rate, at, seconds, text, seed, fingerprint(src))
    cut_beat = _cut_beat(arrangement, at)
    extension = _extension_arrangement(arrangement, cut_beat, seconds, text, seed, fingerprint(src))
    result = result_from_arrangement(extension)
    result.metadata["continue_at"] = round(beats_to_seconds(cut_beat, arrangement.tempo), 3)
    return result


def _check_continue_at(continue_at, length: float) -> float:
    if (
        isinstance(continue_at, bool)
        or not isinstance(continue_at, int | float)
        or not math.isfinite(continue_at)
    ):
        raise ValueError("continue_at must be a number of seconds.")
    if not 1.0 <= continue_at <= length + 0.01:
        raise ValueError(f"continue_at must be between 1 and {length:.1f} seconds (the clip's length).")
    return float(min(continue_at, length))


def _continued(parent: Arrangement, extension: Arrangement, offset: float) -> Arrangement:
    """The parent up to the extension's cut, then the extension: one timeline, rendered in one pass.

    `offset` is the beat where the clip the extension continues starts in `parent` (0 unless `parent` is
    already a folded chain).
    """
    cut_beat = offset + float(extension.info["continues"]["at_beat"])
    tracks = [_cut_before(t, cut_beat) for t in parent.tracks]
    shifted = [
        dataclasses.replace(
            t, notes=[Note(n.start + cut_beat, n.duration, n.pitch, n.velocity) for n in t.notes]
        )
        for t in extension.tracks
    ]
    first_bar = int(math.ceil(cut_beat / BEATS_PER_BAR))
    sections = [s for s in parent.sections if s.end_bar <= first_bar] + [
        dataclasses.replace(s, start_bar=s.start_bar + first_bar) for s in extension.sections
    ]
    events = [(b, s) for b, s in parent.lyric_events if b < cut_beat]
    events += [(b + cut_beat, s) for b, s in extension.lyric_events]
    info = {**parent.info, "plan": extension.info.get("plan", []), "extended": True}
    duration = beats_to_seconds(cut_beat, parent.tempo) + extension.duration
    return Arrangement(
        parent.tempo, parent.key, parent.mode, duration, sections, _merge(tracks, shifted), info, events
    )


def _fold(sources: list[Source]) -> tuple[list[Source], list[Arrangement | None]]:
    """Join each extension to the piece it continues (a chain folds into one arrangement)."""
    pieces: list[
        list
    ] = []  # [source, arrangement, fingerprint of its last clip, beat where that clip starts]
    for src in sources:
        arrangement = _arrangement(src)
        continues = (arrangement.info.get("continues") if arrangement else None) or {}
        if pieces and continues.get("parent") == pieces[-1][2]:
            before, before_arrangement, _, offset = pieces[-1]
            if before_arrangement is not None and "at_beat" in continues:
                merged = _continued(before_arrangement, arrangement, offset)
                pieces[-1] = [before, merged, fingerprint(src), offset + float(continues["at_beat"])]
                continue
            if before_arrangement is None:  # an upload: cut where its extension starts, then crossfade
                cut = seconds_to_samples(float(continues.get("at_seconds", 0.0)), before.sample_rate)
                pieces[-1][0] = Source(audio=before.audio[:cut], sample_rate=before.sample_rate)
        pieces.append([src, arrangement, fingerprint(src), 0.0])
    return [p[0] for p in pieces], [p[1] for p in pieces]


def concat(sources: list[Source]) -> Result:
    """The clips one after another, crossfaded (over one beat, on the beat, for engine-made clips).

    An extension that follows the clip it continues is not crossfaded: the two become one arrangement,
    rendered in one pass, so the join is as seamless as the rest of the song.
    """
    if not isinstance(sources, list | tuple) or len(sources) < 2:
        raise ValueError("Concatenation needs at least two clips.")
    sources, arrangements = _fold([_source(s) for s in sources])
    total = sum(
        a.duration if a else len(s.audio) / s.sample_rate for a, s in zip(arrangements, sources, strict=True)
    )
    if total > MAX_DURATION:
        raise ValueError(f"The joined clips would last {total:.0f} s; the limit is {MAX_DURATION:.0f} s.")
    if len(arrangements) == 1:
        return result_from_arrangement(arrangements[0])
    return audio_ops.join(sources, arrangements)


# ---- cover, swaps, variations -----------------------------------------------------------------------------
