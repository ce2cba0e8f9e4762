"""Plain data parsed from the API's JSON.

Parsing tolerates missing and unknown fields: every object keeps the JSON it came from in `raw`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DONE_STATUSES = frozenset({"completed", "failed"})


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _as_int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" or isinstance(value, bool) else int(float(value))
    except (TypeError, ValueError):
        return None


def _as_float(value: Any) -> float | None:
    try:
        return None if value is None or value == "" or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _as_str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class ErrorInfo:
    code: str | None = None
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> ErrorInfo | None:
        if isinstance(data, str):
            return cls(message=data)
        if not isinstance(data, Mapping):
            return None
        return cls(
            code=_as_str(data.get("code")),
            message=str(data.get("message") or ""),
            details=_as_dict(data.get("details")),
        )


@dataclass
class Clip:
    id: str
    audio_url: str | None = None
    video_url: str | None = None
    title: str | None = None
    duration: float | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any, default_id: str = "") -> Clip:
        data = _as_dict(data)
        metadata = _as_dict(data.get("metadata"))
        duration = data.get("duration", metadata.get("duration"))
        return cls(
            id=str(data.get("id") or data.get("clip_id") or default_id),
            audio_url=_as_str(data.get("audio_url")),
            video_url=_as_str(data.get("video_url")),
            title=_as_str(data.get("title") or metadata.get("title")),
            duration=_as_float(duration),
            metadata=metadata,
            raw=data,
        )


def _clips_of(data: dict[str, Any], task_id: str) -> list[Clip]:
    """`clips` when present; else the one clip that Producer and Nuro describe at the top level."""
    clips = data.get("clips")
    if isinstance(clips, list) and clips:
        return [Clip.from_dict(item) for item in clips if isinstance(item, Mapping)]
    if data.get("audio_url"):
        return [Clip.from_dict(data, default_id=task_id)]
    return []


def _stems_of(data: dict[str, Any]) -> dict[str, str]:
    stems = _as_dict(data.get("stems"))
    return {name.removesuffix("_url"): str(url) for name, url in stems.items() if url}


@dataclass
class Task:
    task_id: str
    status: str
    progress: int | None = None
    estimated_time: float | None = None
    estimated_remaining: float | None = None
    clips: list[Clip] = field(default_factory=list)
    error: ErrorInfo | None = None
    vocals_url: str | None = None
    instrumental_url: str | None = None
    stems: dict[str, str] = field(default_factory=dict)
    wav_url: str | None = None
    persona_id: str | None = None
    persona_name: str | None = None
    created_at: str | None = None
    completed_at: str | None = None
    # The built-in server's extension: waiting, sending, delivered or failed, for a task with a webhook_url.
    webhook_status: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> Task:
        data = _as_dict(data)
        task_id = str(data.get("task_id") or data.get("id") or "")
        return cls(
            task_id=task_id,
            status=str(data.get("status") or "pending").lower(),
            progress=_as_int(data.get("progress")),
            estimated_time=_as_float(data.get("estimated_time")),
            estimated_remaining=_as_float(data.get("estimated_remaining")),
            clips=_clips_of(data, task_id),
            error=ErrorInfo.from_dict(data.get("error")),
            vocals_url=_as_str(data.get("vocals_url")),
            instrumental_url=_as_str(data.get("instrumental_url")),
            stems=_stems_of(data),
            wav_url=_as_str(data.get("wav_url")),
            persona_id=_as_str(data.get("persona_id")),
            persona_name=_as_str(data.get("persona_name")),
            created_at=_as_str(data.get("created_at")),
            completed_at=_as_str(data.get("completed_at")),
            webhook_status=_as_str(data.get("webhook_status")),
            raw=data,
        )

    @property
    def is_done(self) -> bool:
        """Completed or failed: polling it again will not change it."""
        return self.status in DONE_STATUSES

    @property
    def is_pending(self) -> bool:
        """Still queued or running."""
        return not self.is_done


@dataclass
class Credits:
    total: int | None = None
    used: int | None = None
    available: int | None = None
    tier: str | None = None
    monthly_credits: int | None = None
    renewal_date: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> Credits:
        data = _as_dict(data)
        subscription = _as_dict(data.get("subscription"))
        return cls(
            total=_as_int(data.get("total")),
            used=_as_int(data.get("used")),
            available=_as_int(data.get("available")),
            tier=_as_str(subscription.get("tier", data.get("tier"))),
            monthly_credits=_as_int(subscription.get("monthly_credits")),
            renewal_date=_as_str(subscription.get("renewal_date")),
            raw=data,
        )


@dataclass
class LyricsVariation:
    lyrics: str = ""
    structure: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> LyricsVariation:
        data = _as_dict(data)
        return cls(lyrics=str(data.get("lyrics") or ""), structure=_as_str(data.get("structure")), raw=data)

    @classmethod
    def list_from(cls, data: Any) -> list[LyricsVariation]:
        variations = _as_dict(data).get("variations")
        return [cls.from_dict(item) for item in variations or [] if isinstance(item, Mapping)]


@dataclass
class Upload:
    audio_id: str
    clip_id: str | None = None
    duration: float | None = None
    format: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> Upload:
        data = _as_dict(data)
        return cls(
            audio_id=str(data.get("audio_id") or ""),
            clip_id=_as_str(data.get("clip_id")),
            duration=_as_float(data.get("duration")),
            format=_as_str(data.get("format")),
            raw=data,
        )


@dataclass
class Midi:
    clip_id: str
    midi_url: str | None = None
    midi_data: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> Midi:
        data = _as_dict(data)
        return cls(
            clip_id=str(data.get("clip_id") or ""),
            midi_url=_as_str(data.get("midi_url")),
            midi_data=_as_str(data.get("midi_data")),
            raw=data,
        )

    def midi_bytes(self) -> bytes | None:
        """The decoded Standard MIDI File carried in `midi_data`, if the answer had one."""
        return base64.b64decode(self.midi_data) if self.midi_data else None


@dataclass
class DownloadLink:
    clip_id: str
    format: str | None = None
    download_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> DownloadLink:
        data = _as_dict(data)
        return cls(
            clip_id=str(data.get("clip_id") or ""),
            format=_as_str(data.get("format")),
            download_url=_as_str(data.get("download_url")),
            raw=data,
        )


@dataclass(frozen=True)
class RateLimit:
    """The last X-RateLimit-* headers seen; `reset` is a unix time in seconds."""

    limit: int | None
    remaining: int | None
    reset: int | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        values = [_as_int(headers.get(f"X-RateLimit-{name}")) for name in ("Limit", "Remaining", "Reset")]
        return cls(*values) if any(value is not None for value in values) else None

    def seconds_until_reset(self, now: float) -> float | None:
        return None if self.reset is None else max(0.0, self.reset - now)
