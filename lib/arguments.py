"""Argument checks the client runs before any I/O, so a bad value costs no request and no credits.

Every failure is a ValueError whose sentence names the argument and says what would be accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MIN_DURATION, MAX_DURATION = 10, 240
VOICE_GENDERS = ("male", "female", "mixed")
# The built-in server's extension: "words" (a synthetic voice sings the lyrics) or "wordless".
SINGING = ("words", "wordless")
VARIATION_TYPES = ("style", "melody", "arrangement")
STEMS_KINDS = ("basic", "full")
DOWNLOAD_FORMATS = ("mp3", "wav")
MAX_LYRICS_VARIATIONS = 5

# The fields each Producer operation cannot do without (the reference's request bodies).
PRODUCER_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "create": ("description",),
    "extend": ("audio_id",),
    "cover": ("audio_id", "style"),
    "replace": ("audio_id", "start_time", "end_time", "description"),
    "swap_vocals": ("audio_id", "voice_description"),
    "swap_instrumentals": ("audio_id", "instrumental_description"),
    "variation": ("audio_id", "variation_type"),
}
PRODUCER_OPERATIONS = tuple(PRODUCER_REQUIRED)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def require_text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is empty: give it a value.")
    return value


def require_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is empty: give the id of an existing item.")
    if value != value.strip() or any(ch.isspace() for ch in value):
        raise ValueError(f"{name} {value!r} contains spaces: ids never do.")
    return value


def optional_text(name: str, value: Any) -> str | None:
    return None if value is None else require_text(name, value)


def optional_id(name: str, value: Any) -> str | None:
    return None if value is None else require_id(name, value)


def require_ids(name: str, values: Any, minimum: int = 1) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a list of ids.")
    ids = [require_id(f"{name}[{index}]", value) for index, value in enumerate(values)]
    if len(ids) < minimum:
        raise ValueError(f"{name} needs at least {minimum} ids; it has {len(ids)}.")
    return ids


def check_duration(name: str, value: Any) -> int | float | None:
    if value is None:
        return None
    if not _is_number(value) or not MIN_DURATION <= value <= MAX_DURATION:
        raise ValueError(f"{name} must be between {MIN_DURATION} and {MAX_DURATION} seconds; got {value!r}.")
    return value


def check_seconds(name: str, value: Any) -> int | float | None:
    if value is not None and (not _is_number(value) or value <= 0):
        raise ValueError(f"{name} must be a positive number of seconds; got {value!r}.")
    return value


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str | None:
    if value is None:
        return None
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name} {value!r} is not one of: {', '.join(choices)}.")
    return value


def check_url(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError(f"{name} must be an http:// or https:// address; got {value!r}.")
    return value


def check_count(name: str, value: Any, maximum: int) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise ValueError(f"{name} must be a whole number from 1 to {maximum}; got {value!r}.")
    return value


def check_seed(value: Any) -> int | None:
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31
    ):
        raise ValueError(f"seed must be a whole number from 0 to {2**31 - 1}; got {value!r}.")
    return value


def require_one_of(fields: Mapping[str, Any], *names: str) -> None:
    if not any(fields.get(name) for name in names):
        raise ValueError(f"{' or '.join(names)} is needed: give one of them.")


def check_flag(name: str, value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False; got {value!r}.")
    return value


def check_producer_fields(operation: Any, fields: Mapping[str, Any]) -> None:
    """The operation is known and has what it needs; times of a replace are in order."""
    if check_choice("operation", operation, PRODUCER_OPERATIONS) is None:
        raise ValueError(f"operation is empty: choose one of {', '.join(PRODUCER_OPERATIONS)}.")
    for name in PRODUCER_REQUIRED[operation]:
        if fields.get(name) is None or fields.get(name) == "":
            raise ValueError(f"{name} is needed for operation {operation!r}.")
    if fields.get("audio_id") is not None:
        require_id("audio_id", fields["audio_id"])
    for name in ("description", "style", "voice_description", "instrumental_description"):
        if fields.get(name) is not None:
            require_text(name, fields[name])
    check_duration("duration", fields.get("duration"))
    check_choice("variation_type", fields.get("variation_type"), VARIATION_TYPES)
    if operation == "replace":
        start, end = fields["start_time"], fields["end_time"]
        if not _is_number(start) or start < 0:
            raise ValueError(f"start_time must be 0 or more seconds; got {start!r}.")
        if not _is_number(end) or end <= start:
            raise ValueError(f"end_time must be after start_time ({start}); got {end!r}.")


def body(**fields: Any) -> dict[str, Any]:
    """A JSON body with the fields that were given: optional ones left out when None."""
    return {name: value for name, value in fields.items() if value is not None}
