"""What can be taken out of a song: a voice persona, stems, and MIDI."""

import numpy as np

from .. import audio_ops
from ..midi import arrangement_to_midi
from ..persona import character_of_audio, character_of_style
from ..production import render_stems
from ..song import (
    Source,
    Stems,
    check_text,
)
from ..tables.limits import SAMPLE_RATE
from .common import _arrangement, _source, _style, _voice


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
