"""Replace a stretch of a song with new material on its chords, groove and bass."""

import dataclasses

from .. import audio_ops
from ..composer import (
    band_tracks,
)
from ..model import Arrangement, Note
from ..song import (
    Result,
    Source,
    check_seed,
    check_text,
    result_from_arrangement,
)
from ..style import (
    normalise_text,
)
from ..style import text_seed as seed_of
from ..tables.theory import BEATS_PER_BAR
from ..units import beats_to_seconds, seconds_to_beats
from .common import _arrangement, _rebuilt, _source, _style, _styled_like, _voice

VOCAL_WORDS = ("vocal", "voice", "sing", "sung", "lyric", "verse", "chorus")


def replace(src: Source, start: float, end: float, description: str, seed: int = 0) -> Result:
    """New material between start and end (whole bars), on the song's chords, groove and bass."""
    src = _source(src)
    text = check_text(description, "description", required=True)
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    length = arrangement.duration if arrangement else len(src.audio) / src.sample_rate
    for value, name in ((start, "start_time"), (end, "end_time")):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"The {name} must be a number of seconds.")
    if not 0 <= start < end <= length + 0.01:
        raise ValueError(f"Choose 0 <= start_time < end_time <= {length:.1f} (the clip's length in seconds).")
    if end - start < 1.0:
        raise ValueError("The section to replace must be at least one second long.")
    if arrangement is None:
        return audio_ops.replace_audio(src.audio, src.sample_rate, float(start), float(end), text, seed)
    return result_from_arrangement(_replace_arrangement(arrangement, float(start), float(end), text, seed))


def _replace_arrangement(
    arrangement: Arrangement, start: float, end: float, text: str, seed: int
) -> Arrangement:
    style = _styled_like(text, _style(arrangement), seed)
    first = int(seconds_to_beats(start, arrangement.tempo) // BEATS_PER_BAR)
    last_bar = arrangement.sections[-1].end_bar
    stop = min(last_bar, int(-(-seconds_to_beats(end, arrangement.tempo) // BEATS_PER_BAR)))
    stop = max(stop, first + 1)
    low_beat, high_beat = first * BEATS_PER_BAR, stop * BEATS_PER_BAR
    sections = [
        dataclasses.replace(
            s,
            name="solo",
            start_bar=max(s.start_bar, first),
            bars=min(s.end_bar, stop) - max(s.start_bar, first),
            chords=s.chords[max(s.start_bar, first) - s.start_bar : min(s.end_bar, stop) - s.start_bar],
        )
        for s in arrangement.sections
        if s.start_bar < stop and s.end_bar > first
    ]
    sings = any(w in normalise_text(text) for w in VOCAL_WORDS) and _voice(arrangement) is not None
    keep = ("drums", "bass") if not sings else ("drums", "bass", "lead_vocals")
    tracks = []
    for track in arrangement.tracks:
        if track.stem in keep:
            tracks.append(track)
            continue
        notes = [n for n in track.notes if not low_beat <= n.start < high_beat]
        tracks.append(
            dataclasses.replace(
                track,
                notes=[
                    Note(n.start, min(n.duration, low_beat - n.start), n.pitch, n.velocity)
                    if n.start < low_beat
                    else n
                    for n in notes
                ],
            )
        )
    new = band_tracks(style, sections, seed_of(arrangement.info.get("seed"), "replace", seed), False)
    new = [dataclasses.replace(t, name=f"replace_{t.name}") for t in new if t.stem not in ("drums", "bass")]
    events = (
        arrangement.lyric_events
        if sings
        else [(b, s) for b, s in arrangement.lyric_events if not low_beat <= b < high_beat]
    )
    replaced = {
        "start": beats_to_seconds(low_beat, arrangement.tempo),
        "end": beats_to_seconds(high_beat, arrangement.tempo),
    }
    return _rebuilt(
        arrangement, [t for t in tracks + new if t.notes], lyric_events=events, info={"replaced": replaced}
    )
