"""The same song made anew: covers, vocal and instrumental swaps, and variations."""

import dataclasses
import random

from .. import audio_ops
from ..accompaniment import Frame
from ..composer import (
    PlannedSection,
    Voice,
    band_tracks,
    vocal_tracks,
    voice_for,
)
from ..model import Arrangement
from ..song import (
    Result,
    Source,
    check_seed,
    check_text,
    check_voice_gender,
    result_from_arrangement,
)
from ..style import (
    Style,
    detect_key,
    detect_tempo,
    detect_voice,
    detect_voice_program,
    normalise_text,
    parse_style,
)
from ..style import text_seed as seed_of
from ..tables.genres import ALTERNATE_PROGRAMS, GENRES, RELATED_GENRES, VOICE_REGISTERS
from ..tables.limits import MAX_DURATION, MIN_DURATION, VARIATION_TYPES
from .common import (
    _arrangement,
    _is_melody,
    _rebuilt,
    _register_shift,
    _revoice,
    _source,
    _style,
    _styled_like,
    _voice,
)


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
