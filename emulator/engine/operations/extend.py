"""Longer songs: extend a song with new bars in its tempo, key and chords; concatenate clips."""

import dataclasses

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
from ..units import seconds_to_beats
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


def _extend_arrangement(arrangement: Arrangement, seconds: float, text: str, seed: int) -> Arrangement:
    style = _styled_like(text, _style(arrangement), seed) if text.strip() else _style(arrangement)
    voice = _voice(arrangement)
    last = arrangement.sections[-1]
    cut_bar = last.start_bar if last.name == "outro" and len(arrangement.sections) > 1 else last.end_bar
    total = arrangement.duration + seconds
    total_bars = max(cut_bar + 1, int(seconds_to_beats(total, arrangement.tempo) // BEATS_PER_BAR))
    per_line = bars_per_line(arrangement.tempo)
    lyric_sections = _continuation_lyrics(arrangement, text, seed) if voice else []
    plan = plan_sections(total_bars - cut_bar, lyric_sections, per_line, intro=False)
    new_sections = sections_from_plan(style, plan, start_bar=cut_bar)
    sections = [s for s in arrangement.sections if s.end_bar <= cut_bar] + new_sections
    cut_beat = cut_bar * BEATS_PER_BAR
    tracks = [_cut_before(t, cut_beat) for t in arrangement.tracks]
    song_seed = arrangement.info.get("seed", 0)
    additions = band_tracks(style, sections, song_seed, voice is not None, start_bar=cut_bar)
    events = [(b, s) for b, s in arrangement.lyric_events if b < cut_beat]
    if voice:
        vocals, new_events = vocal_tracks(Frame(style, sections, song_seed), new_sections, plan, voice)
        additions = vocals + additions
        events += new_events
    old_plan = arrangement.info.get("plan", [])
    kept_plan = old_plan[:-1] if last.name == "outro" and len(arrangement.sections) > 1 else old_plan
    info = {"plan": kept_plan + [[p.name, p.bars, list(p.lines)] for p in plan], "extended": True}
    return _rebuilt(
        arrangement,
        _merge(tracks, additions),
        duration=total,
        sections=sections,
        lyric_events=events,
        info=info,
    )


def extend(src: Source, duration: float, text: str = "", seed: int = 0) -> Result:
    """The whole song: the original, then `duration` new seconds continuing in its tempo, key and chords."""
    src = _source(src)
    seconds = check_duration(duration, "extension")
    text = check_text(text, "description")
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    original = arrangement.duration if arrangement else len(src.audio) / src.sample_rate
    if original + seconds > MAX_DURATION:
        raise ValueError(
            f"The extended song would last {original + seconds:.0f} s; the limit is {MAX_DURATION:.0f} s."
        )
    if arrangement is None:
        return audio_ops.extend_audio(src.audio, src.sample_rate, seconds, text, seed)
    return result_from_arrangement(_extend_arrangement(arrangement, seconds, text, seed))


def concat(sources: list[Source]) -> Result:
    """The clips one after another, crossfaded (over one beat, on the beat, for engine-made clips)."""
    if not isinstance(sources, list | tuple) or len(sources) < 2:
        raise ValueError("Concatenation needs at least two clips.")
    sources = [_source(s) for s in sources]
    arrangements = [_arrangement(s) for s in sources]
    total = sum(
        a.duration if a else len(s.audio) / s.sample_rate for a, s in zip(arrangements, sources, strict=True)
    )
    if total > MAX_DURATION:
        raise ValueError(f"The joined clips would last {total:.0f} s; the limit is {MAX_DURATION:.0f} s.")
    return audio_ops.join(sources, arrangements)
