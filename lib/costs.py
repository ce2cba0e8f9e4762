"""The credit price of every call, from the reference, so a page can show it before a person pays."""

from __future__ import annotations

from typing import Any

from lib.arguments import PRODUCER_OPERATIONS

COSTS: dict[str, int] = {
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
    "suno.upload_music": 0,
    "suno.get_music": 0,
    "producer.create_music": 10,
    "producer.upload_music": 0,
    "producer.download": 0,
    "producer.get_music": 0,
    "nuro.create_vocal_music": 20,
    "nuro.create_instrumental_music": 15,
    "nuro.get_music": 0,
    "lyrics.generate": 5,
    "get_credits": 0,
}

# Producer's swaps cost more than its other operations.
PRODUCER_OPERATION_COSTS: dict[str, int] = {
    operation: 15 if operation.startswith("swap_") else COSTS["producer.create_music"]
    for operation in PRODUCER_OPERATIONS
}

# The legacy Riffusion calls cost what their replacements cost.
RIFFUSION_REPLACEMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "riffusion.create_music_with_lyrics": ("suno.create_music_with_lyrics", {}),
    "riffusion.create_music_with_description": ("producer.create_music", {"operation": "create"}),
    "riffusion.cover_music": ("producer.create_music", {"operation": "cover"}),
    "riffusion.extend_music": ("suno.extend_music", {}),
    "riffusion.replace_music_section": ("producer.create_music", {"operation": "replace"}),
    "riffusion.swap_music_sound": ("producer.create_music", {"operation": "swap_instrumentals"}),
    "riffusion.swap_music_vocals": ("producer.create_music", {"operation": "swap_vocals"}),
    "riffusion.upload_music": ("suno.upload_music", {}),
    "riffusion.get_music": ("suno.get_music", {}),
}


def estimate(call: str, **params: Any) -> int:
    """Credits `call` (e.g. "suno.stems_full", "producer.create_music" with operation=...) will cost."""
    if call in RIFFUSION_REPLACEMENTS:
        replacement, fixed = RIFFUSION_REPLACEMENTS[call]
        return estimate(replacement, **{**params, **fixed})
    if call not in COSTS:
        raise ValueError(f"call {call!r} is not a known API call: use a name like 'suno.create_music'.")
    if call == "producer.create_music":
        operation = params.get("operation") or "create"
        if operation not in PRODUCER_OPERATION_COSTS:
            raise ValueError(f"operation {operation!r} is not one of: {', '.join(PRODUCER_OPERATIONS)}.")
        return PRODUCER_OPERATION_COSTS[operation]
    return COSTS[call]


def balance_after(available: int | None, price: int) -> int | None:
    """The balance after paying `price`, from the price list (no request spent on it); never below zero."""
    return None if available is None else max(0, available - price)


def affordable(available: int | None, price: int) -> bool:
    """Whether the balance pays for `price`; an unknown balance is given the benefit of the doubt."""
    return available is None or available >= price
