"""Operations on an existing song. Engine-made clips are re-arranged from their arrangement and rendered
again (so joins are seamless and stems stay exact); uploaded audio goes through audio_ops."""

import dataclasses
import random

import numpy as np

from . import audio_ops
from .accompaniment import Frame
from .composer import (
    PlannedSection,
    Voice,
    band_tracks,
    bars_per_line,
    plan_sections,
    sections_from_plan,
    vocal_tracks,
    voice_for,
)
from .constants import (
    ALTERNATE_PROGRAMS,
    BEATS_PER_BAR,
    GENRES,
    MAX_DURATION,
    MIN_DURATION,
    RELATED_GENRES,
    SAMPLE_RATE,
    VARIATION_TYPES,
    VOICE_REGISTERS,
)
from .lyrics import parse_lyrics, write_lyrics
from .midi import arrangement_to_midi
from .model import Arrangement, Note, Track
from .persona import character_of_audio, character_of_style
from .production import render_stems
from .song import (
    Result,
    Source,
    Stems,
    check_duration,
    check_seed,
    check_text,
    check_voice_gender,
    result_from_arrangement,
)
from .style import (
    Style,
    detect_key,
    detect_tempo,
    detect_voice,
    detect_voice_program,
    normalise_text,
    parse_style,
)
from .style import text_seed as seed_of
from .units import beats_to_seconds, seconds_to_beats

VOCAL_WORDS = ("vocal", "voice", "sing", "sung", "lyric", "verse", "chorus")


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


# ---- concat ---------------------------------------------------------------------------------------------


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


# ---- cover, swaps, variations -----------------------------------------------------------------------------


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


def _restyle(
    arrangement: Arrangement, style: Style, seed: int, voice: Voice | None, tempo: float
) -> Arrangement:
    """Same sections, chords, melody and lyrics; a new band (and voice) in `style`."""
    old_voice = _voice(arrangement)
    instrumental = old_voice is None
    melody = [t for t in arrangement.tracks if _is_melody(t, instrumental)]
    if voice and old_voice:
        shift = _register_shift(old_voice, voice)
        melody = [_revoice(t, shift, voice.program) for t in melody]
    elif instrumental:
        lead = next((p for p in style.parts if p.role == "lead"), None)
        melody = [_revoice(t, 0, lead.program if lead else None) for t in melody]
        if lead:
            melody = [dataclasses.replace(t, stem=lead.stem) for t in melody]
    band = band_tracks(style, arrangement.sections, seed, not instrumental, with_lead=not instrumental)
    duration = arrangement.duration * arrangement.tempo / tempo
    info = {
        "style": style.to_dict(),
        "genre": style.genre,
        "mood": style.mood,
        "voice": voice.to_dict() if voice else None,
    }
    return _rebuilt(arrangement, melody + band, tempo=tempo, duration=duration, info=info)


def _cover_tempo(arrangement: Arrangement, style: Style, text: str) -> float:
    explicit = detect_tempo(normalise_text(text))
    low, high = GENRES[style.genre]["tempo"]
    tempo = explicit or min(high + 6, max(low - 6, arrangement.tempo))
    longest = arrangement.duration * arrangement.tempo / MAX_DURATION
    shortest = arrangement.duration * arrangement.tempo / MIN_DURATION
    return float(min(shortest, max(longest, tempo)))


def cover(src: Source, style: str, voice_gender: str | None = None, seed: int = 0) -> Result:
    """The same melody, chords and lyrics in a new style and voice."""
    src = _source(src)
    text = check_text(style, "style", required=True)
    gender = check_voice_gender(voice_gender)
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    if arrangement is None:
        return audio_ops.cover_audio(src.audio, src.sample_rate, text, gender, seed)
    old = _style(arrangement)
    old_voice = _voice(arrangement)
    new_gender = (gender or detect_voice(normalise_text(text)) or old.voice_gender) if old_voice else None
    described = parse_style(text, new_gender, old_voice is None, seed)
    key_info = detect_key(normalise_text(text))
    new_style = dataclasses.replace(described, key=old.key, mode=old.mode)
    tempo = _cover_tempo(arrangement, new_style, text)
    new_style = dataclasses.replace(new_style, tempo=tempo)
    voice = voice_for(new_gender, described.voice_program) if old_voice else None
    covered = _restyle(
        arrangement, new_style, seed_of(arrangement.info.get("seed"), "cover", seed), voice, tempo
    )
    if key_info and key_info[0] != old.key:
        covered = _transpose(covered, key_info[0])
    title = f"{arrangement.info.get('title', 'Untitled')} ({GENRES[new_style.genre]['words'][0]} cover)"
    covered.info.update(title=title, text=text)
    return result_from_arrangement(covered)


def _transpose(arrangement: Arrangement, key: int) -> Arrangement:
    shift = (key - arrangement.key + 6) % 12 - 6
    tracks = [t if t.is_drum else _revoice(t, shift) for t in arrangement.tracks]
    style = dataclasses.replace(_style(arrangement), key=key)
    return _rebuilt(arrangement, tracks, key=key, info={"style": style.to_dict()})


def swap_vocals(src: Source, voice_description: str, seed: int = 0) -> Result:
    """A new voice (register, patch, vibrato) singing the same line over the same backing."""
    src = _source(src)
    text = check_text(voice_description, "voice description", required=True)
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    if arrangement is None:
        raise ValueError(
            "Swapping vocals needs a song made by the built-in engine; an uploaded recording has no separate "
            "vocal line. Cover the upload instead."
        )
    old = _voice(arrangement)
    if old is None:
        raise ValueError("This song is instrumental: there are no vocals to swap. Pick a song with a voice.")
    clean = normalise_text(text)
    gender = detect_voice(clean) or ("male" if old.gender == "female" else "female")
    program = detect_voice_program(clean)
    rng = random.Random(seed_of("swap", text, seed))
    voice = voice_for(gender, program)
    voice = dataclasses.replace(
        voice, vibrato=rng.choice((20, 45, 70)) if voice.vibrato == old.vibrato else voice.vibrato
    )
    shift = _register_shift(old, voice)
    vocals = [t for t in arrangement.tracks if t.stem == "lead_vocals"]
    band = [t for t in arrangement.tracks if t.stem != "lead_vocals"]
    if gender == "mixed" or old.gender == "mixed":
        main = vocals[0]
        vocals = [_revoice(main, 0 if gender != "mixed" else shift, program, f"vocal_{gender}")]
        if gender == "mixed":
            other = _revoice(
                main, -12 if VOICE_REGISTERS["female"][0] <= main.notes[0].pitch else 12, program, "vocal_2"
            )
            vocals.append(dataclasses.replace(other, volume=90))
    else:
        vocals = [_revoice(t, shift, program, f"vocal_{gender}") for t in vocals]
    vocals = [dataclasses.replace(t, vibrato=voice.vibrato) for t in vocals]
    style = dataclasses.replace(_style(arrangement), voice_gender=gender, voice_program=program)
    swapped = _rebuilt(arrangement, vocals + band, info={"voice": voice.to_dict(), "style": style.to_dict()})
    return result_from_arrangement(swapped)


def swap_instrumentals(src: Source, instrumental_description: str, seed: int = 0) -> Result:
    """The same vocal line (and tempo) over a new backing described in words."""
    src = _source(src)
    text = check_text(instrumental_description, "instrumental description", required=True)
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    if arrangement is None:
        raise ValueError(
            "Swapping the instrumental needs a song made by the built-in engine; an uploaded recording cannot be "
            "taken apart exactly. Cover the upload instead."
        )
    style = _styled_like(text, _style(arrangement), seed)
    swapped = _restyle(
        arrangement,
        style,
        seed_of(arrangement.info.get("seed"), "swap", seed),
        _voice(arrangement),
        arrangement.tempo,
    )
    return result_from_arrangement(swapped)


def variation(src: Source, variation_type: str, seed: int = 0) -> Result:
    """'style': a related genre; 'melody': a new tune on the same words and chords; 'arrangement': new parts."""
    src = _source(src)
    if variation_type not in VARIATION_TYPES:
        raise ValueError(
            f"Unknown variation type {variation_type!r}; use one of {', '.join(VARIATION_TYPES)}."
        )
    seed = check_seed(seed)
    arrangement = _arrangement(src)
    if arrangement is None:
        raise ValueError(
            "Variations need a song made by the built-in engine; cover an uploaded recording instead."
        )
    style = _style(arrangement)
    if variation_type == "style":
        related = RELATED_GENRES[style.genre][seed % 3]
        return cover(src, f"{GENRES[related]['words'][0]} {style.mood}", None, seed)
    if variation_type == "melody":
        varied = _new_melody(arrangement, seed)
    else:
        varied = _new_parts(arrangement, style, seed)
    varied.info["title"] = f"{arrangement.info.get('title', 'Untitled')} ({variation_type} variation)"
    return result_from_arrangement(varied)


def _plan(arrangement: Arrangement) -> list[PlannedSection]:
    return [
        PlannedSection(name, bars, tuple(lines)) for name, bars, lines in arrangement.info.get("plan", [])
    ]


def _new_melody(arrangement: Arrangement, seed: int) -> Arrangement:
    voice = _voice(arrangement)
    style = _style(arrangement)
    song_seed = arrangement.info.get("seed", 0)
    frame = Frame(style, arrangement.sections, song_seed)
    plan = _plan(arrangement)
    if voice is None or len(plan) != len(arrangement.sections):
        tracks = [t for t in arrangement.tracks if t.name != "lead"]
        lead = band_tracks(style, arrangement.sections, seed_of(song_seed, "melody", seed), False)
        return _rebuilt(arrangement, tracks + [t for t in lead if t.name == "lead"])
    vocals, events = vocal_tracks(frame, arrangement.sections, plan, voice, variant=seed + 1)
    band = [t for t in arrangement.tracks if t.stem != "lead_vocals"]
    return _rebuilt(arrangement, vocals + band, lyric_events=events)


def _new_parts(arrangement: Arrangement, style: Style, seed: int) -> Arrangement:
    rng = random.Random(seed_of("arrangement", seed))
    parts = tuple(
        dataclasses.replace(p, program=ALTERNATE_PROGRAMS.get(p.program, p.program)) for p in style.parts
    )
    parts = tuple(rng.sample(parts, len(parts)))
    energy = min(1.0, max(0.2, style.energy + rng.choice((-0.2, 0.15))))
    new_style = dataclasses.replace(style, parts=parts, energy=energy)
    voice = _voice(arrangement)
    melody = [t for t in arrangement.tracks if _is_melody(t, voice is None)]
    band = band_tracks(
        new_style,
        arrangement.sections,
        seed_of(arrangement.info.get("seed"), "parts", seed),
        voice is not None,
        with_lead=voice is not None,
    )
    return _rebuilt(arrangement, melody + band, info={"style": new_style.to_dict()})


# ---- replace ----------------------------------------------------------------------------------------------


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


# ---- persona, stems, midi -----------------------------------------------------------------------------------


def learn_persona(src: Source, name: str) -> dict:
    """A voice profile (register, patch, vibrato): from the vocal line, or from the pitch of uploaded audio."""
    src = _source(src)
    name = check_text(name, "persona name", 100, required=True).strip()
    arrangement = _arrangement(src)
    if arrangement is None:
        profile = audio_ops.persona_from_audio(src.audio, src.sample_rate, name)
        return {**profile, "character": character_of_audio(src.audio, src.sample_rate)}
    voice = _voice(arrangement)
    pitches = [n.pitch for t in arrangement.tracks if t.stem == "lead_vocals" for n in t.notes]
    if voice is None or not pitches:
        raise ValueError("This song is instrumental, so there is no voice to learn; pick a song with vocals.")
    low, high = int(np.percentile(pitches, 5)), int(np.percentile(pitches, 95))
    center = (low + high) // 2
    low, high = min(low, center - 8), max(high, center + 9)
    gender = voice.gender if voice.gender != "mixed" else ("female" if np.median(pitches) >= 60 else "male")
    return {
        "name": name,
        "voice_gender": gender,
        "program": voice.program,
        "low": low,
        "high": high,
        "vibrato": voice.vibrato,
        "median_pitch": float(np.median(pitches)),
        "source": "arrangement",
        "character": character_of_style(_style(arrangement)),
        "description": f"A {gender} voice (soundfont patch {voice.program}) singing between MIDI notes {low} and {high}.",
    }


def stems(src: Source, kind: str) -> Stems:
    """Exact per-track stems of an engine song; approximate DSP stems of uploaded audio."""
    src = _source(src)
    if kind not in ("basic", "full"):
        raise ValueError(f"Unknown stems kind {kind!r}; use 'basic' (vocals + instrumental) or 'full'.")
    arrangement = _arrangement(src)
    if arrangement is None:
        return audio_ops.stems_of_audio(src.audio, src.sample_rate, kind)
    full = render_stems(arrangement, SAMPLE_RATE)
    if kind == "full":
        return Stems(full, SAMPLE_RATE, approximate=False)
    silence = np.zeros_like(full["mix"])
    vocals = full.get("lead_vocals", silence) + full.get("backing_vocals", silence)
    return Stems({"vocals": vocals, "instrumental": full["mix"] - vocals}, SAMPLE_RATE, approximate=False)


def to_midi(src: Source) -> bytes:
    """The arrangement as a standard multi-track .mid (with the lyrics as lyric events)."""
    src = _source(src)
    arrangement = _arrangement(src)
    if arrangement is None:
        raise ValueError(
            "MIDI export needs a song made by the built-in engine; an uploaded recording has no notes to export."
        )
    return arrangement_to_midi(arrangement)
