"""What a persona keeps of its source song besides the voice, and how a new song takes it on.

A persona is plain data (kept as JSON by the server): the voice (register, patch, vibrato) and, under
"character", the song's tempo range, key and mode, and its band: genre, groove, drum kit, comping,
swing, the chord and lead instruments and the bass. A song made with the persona keeps all of it; its
description still sets the mood, the energy and what the words are about.

From an engine-made song the character is read from its arrangement (exact). From uploaded audio only
the tempo, key and mode are estimated; the band then follows the new song's description.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np

from .analysis import estimate_key, estimate_tempo
from .style import MAX_TEMPO, MIN_TEMPO, Part, Style, text_seed

TEMPO_SPREAD = 0.03  # persona songs stay within 3% of the source's tempo
BAND_FIELDS = ("genre", "groove", "kit", "comp", "swing", "bass_pattern", "named_instruments")


def _tempo_range(tempo: float) -> list[float]:
    low = max(MIN_TEMPO, tempo * (1 - TEMPO_SPREAD))
    high = min(MAX_TEMPO, tempo * (1 + TEMPO_SPREAD))
    return [round(low, 1), round(high, 1)]


def character_of_style(style: Style) -> dict:
    """The source song's tempo range, key, mode and band, exactly as it was arranged."""
    return {
        "tempo": style.tempo,
        "tempo_range": _tempo_range(style.tempo),
        "key": style.key,
        "mode": style.mode,
        "parts": [dataclasses.asdict(p) for p in style.parts],
        "bass": dataclasses.asdict(style.bass),
        **{name: getattr(style, name) for name in BAND_FIELDS},
    }


def character_of_audio(audio: np.ndarray, sample_rate: int) -> dict:
    """Tempo, key and mode estimated from uploaded audio (no band: the audio has no arrangement)."""
    tempo = float(min(MAX_TEMPO, max(MIN_TEMPO, estimate_tempo(audio, sample_rate))))
    key, mode = estimate_key(audio, sample_rate)
    return {"tempo": round(tempo, 1), "tempo_range": _tempo_range(tempo), "key": int(key), "mode": mode}


def styled_by(style: Style, persona: dict | None, seed: int) -> Style:
    """`style` (read from the new song's description) in the persona's tempo range, key, mode and band."""
    character = (persona or {}).get("character")
    if not character:
        return style  # a persona made before characters were kept: the voice alone
    low, high = character["tempo_range"]
    tempo = round(random.Random(text_seed("persona tempo", seed)).uniform(low, high), 1)
    changes: dict = {"tempo": tempo, "key": int(character["key"]), "mode": character["mode"]}
    if character.get("parts"):
        changes["parts"] = tuple(Part(**p) for p in character["parts"])
        changes["bass"] = Part(**character["bass"])
        changes.update({name: character[name] for name in BAND_FIELDS})
        changes["named_instruments"] = tuple(character["named_instruments"])
    return dataclasses.replace(style, **changes)
