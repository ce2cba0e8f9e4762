"""What every operation on an engine-made song shares: reading the source, restyling, rebuilding."""

import dataclasses

from ..composer import (
    Voice,
)
from ..model import Arrangement, Note, Track
from ..song import (
    Source,
)
from ..style import (
    Style,
    parse_style,
)


def _source(src) -> Source:
    if not isinstance(src, Source):
        raise ValueError("Pass the clip to work on as a Source.")
    return src


def _arrangement(src: Source) -> Arrangement | None:
    return Arrangement.from_dict(src.arrangement) if src.arrangement is not None else None


def _style(arrangement: Arrangement) -> Style:
    return Style.from_dict(arrangement.info["style"])


def _voice(arrangement: Arrangement) -> Voice | None:
    voice = arrangement.info.get("voice")
    return Voice(**voice) if voice else None


def _is_melody(track: Track, instrumental: bool) -> bool:
    return track.stem == "lead_vocals" or (instrumental and track.name == "lead")


def _styled_like(text: str, base: Style, seed: int, keep_tempo: bool = True) -> Style:
    """The style a text describes, in the tempo, key and mode of the song it changes."""
    described = parse_style(
        text, base.voice_gender, base.voice_gender is None, seed, fallback_genre=base.genre
    )
    return dataclasses.replace(
        described,
        tempo=base.tempo if keep_tempo else described.tempo,
        key=base.key,
        mode=base.mode,
        voice_gender=base.voice_gender,
        voice_program=base.voice_program,
    )


def _rebuilt(arrangement: Arrangement, tracks: list[Track], **changes) -> Arrangement:
    info = {**arrangement.info, **changes.pop("info", {})}
    fields = {
        "tempo": arrangement.tempo,
        "key": arrangement.key,
        "mode": arrangement.mode,
        "duration": arrangement.duration,
        "sections": arrangement.sections,
        "lyric_events": arrangement.lyric_events,
        **changes,
    }
    return Arrangement(tracks=tracks, info=info, **fields)


def _revoice(track: Track, shift: int, program: int | None = None, name: str | None = None) -> Track:
    notes = [Note(n.start, n.duration, min(127, max(0, n.pitch + shift)), n.velocity) for n in track.notes]
    return dataclasses.replace(
        track, notes=notes, program=track.program if program is None else program, name=name or track.name
    )


def _register_shift(old: Voice | None, new: Voice) -> int:
    if old is None:
        return 0
    old_center = (old.low + old.high) / 2
    return int(round((((new.low + new.high) / 2) - old_center) / 12.0)) * 12
