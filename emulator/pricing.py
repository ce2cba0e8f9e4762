"""Tiers and credit costs, as the reference lists them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    name: str
    requests_per_minute: int
    concurrent_tasks: int


# "enterprise" is the reference's "Custom" tier; the emulator gives it fixed, generous limits.
TIERS = {
    "free": Tier("free", 10, 2),
    "starter": Tier("starter", 30, 5),
    "pro": Tier("pro", 60, 10),
    "enterprise": Tier("enterprise", 600, 50),
}

COSTS = {
    "suno.create_music": 10,
    "suno.describe_music": 10,
    "suno.create_music_with_lyrics": 10,
    "suno.extend_music": 10,
    "suno.concat_music": 5,
    "suno.cover_music": 10,
    "suno.stems_basic": 20,
    "suno.stems_full": 50,
    "suno.wav": 10,
    "suno.get_midi": 5,
    "suno.create_persona": 50,
    "suno.create_persona_music": 10,
    "producer.create": 10,
    "producer.extend": 10,
    "producer.cover": 10,
    "producer.replace": 10,
    "producer.variation": 10,
    "producer.swap_vocals": 15,
    "producer.swap_instrumentals": 15,
    "nuro.create_vocal_music": 20,
    "nuro.create_instrumental_music": 15,
    "lyrics.generate": 5,
}


def tier_named(name: str) -> Tier:
    try:
        return TIERS[name]
    except KeyError:
        raise ValueError(f"Unknown tier {name!r}; choose one of {', '.join(TIERS)}.") from None
