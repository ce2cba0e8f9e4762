"""What the routes share: starting a paid task, finding a caller's clips, taking an upload."""

from __future__ import annotations

import logging
import secrets
from pathlib import PurePath

from fastapi import Request, UploadFile

from .clips import engine, save_clip
from .errors import APIError, file_too_large, not_found, validation_error
from .netguard import AddressRefused, check_on_creation
from .presenter import iso
from .pricing import COSTS, tier_named
from .runtime import Runtime

UPLOAD_FORMATS = ("mp3", "wav", "ogg", "flac", "m4a")
log = logging.getLogger("emulator")


def engine_failed(runtime: Runtime, key: dict, cost: int, call: str) -> APIError:
    """A failure of ours during a paid call answered at once: refund, log the traceback, answer 500.

    Call it inside the `except` block, so the log carries the engine's traceback."""
    runtime.store.refund(key["key"], cost, f"refund: {call} failed")
    log.exception("%s failed in the engine", call)
    return APIError(
        500,
        "internal_error",
        f"The built-in engine failed on this {call} call; its {cost} credits were refunded. "
        "Try again, or report it if it keeps happening.",
    )


def start_task(
    runtime: Runtime,
    key: dict,
    *,
    model: str,
    kind: str,
    cost_name: str,
    params: dict,
    webhook_url: str | None,
    audio_seconds: float,
) -> dict:
    """Charge, record and queue a task; the 201 answer of every task-starting route."""
    if webhook_url:
        try:
            check_on_creation(webhook_url, runtime.webhook_allowance())
        except AddressRefused as error:
            raise validation_error("webhook_url", str(error)) from None
    params = {
        **params,
        "seed": params.get("seed") if params.get("seed") is not None else secrets.randbelow(2**31),
    }
    estimate = runtime.estimator.estimate(kind, audio_seconds) + runtime.settings.task_delay_seconds
    task = runtime.store.start_task(
        key["key"],
        model=model,
        kind=kind,
        params=params,
        cost=COSTS[cost_name],
        max_active=tier_named(key["tier"]).concurrent_tasks,
        estimated_time=estimate,
        webhook_url=webhook_url,
    )
    answer_estimate = runtime.presenter.estimated_time(task)
    runtime.worker.submit(task["id"])
    return {
        "task_id": task["id"],
        "status": "pending",
        "estimated_time": answer_estimate,
        "created_at": iso(task["created_at"]),
    }


def clip_of(runtime: Runtime, key: dict, clip_id: str) -> dict:
    """A clip of this key (404 for unknown ids and for other keys' clips alike)."""
    clip = runtime.store.clip(key["key"], clip_id)
    if clip is None:
        raise not_found("clip", clip_id)
    return clip


def clip_from_link(runtime: Runtime, key: dict, url: str, field: str) -> dict:
    """The clip behind one of this server's file links (400 for other addresses, 410 once expired)."""
    file_row = runtime.files.resolve_own_link(url, field)
    if file_row["api_key"] != key["key"]:
        raise not_found("file", file_row["id"])
    if file_row["clip_id"] is None:
        raise validation_error(
            field, f"{field} must link to a clip's audio (audio_url of a get-music result)."
        )
    return clip_of(runtime, key, file_row["clip_id"])


def task_view(runtime: Runtime, request: Request, key: dict, task_id: str, model: str | None) -> dict:
    task = runtime.store.task(task_id)
    if task is None or task["api_key"] != key["key"]:
        raise not_found("task", task_id)
    if model is not None and task["model"] != model:
        raise not_found("task", task_id, f"It is a {task['model']} task: poll /v1/{task['model']}/get-music.")
    return runtime.presenter.task(str(request.base_url), task)


def sniff_format(data: bytes, filename: str) -> str | None:
    head = data[:12]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    suffix = PurePath(filename or "").suffix.lower().lstrip(".")
    return suffix if suffix in UPLOAD_FORMATS else None


def read_upload(runtime: Runtime, file: UploadFile) -> bytes:
    limit = runtime.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise file_too_large(limit)
    if not data:
        raise validation_error("file", "The uploaded file is empty.")
    return data


def store_upload(
    runtime: Runtime, key: dict, file: UploadFile, *, model: str, clip_id: str, alias: str | None
) -> dict:
    """Decode an upload (mp3/wav/ogg/flac/m4a), check its length and keep it as a clip."""
    data = read_upload(runtime, file)
    fmt = sniff_format(data, file.filename or "")
    not_audio = (
        f"{file.filename or 'The file'} is not a readable audio file. "
        f"Upload one of: {', '.join(UPLOAD_FORMATS)}."
    )
    if fmt is None:
        raise validation_error("file", not_audio)
    music = engine()
    try:
        audio, sample_rate = music.decode(data, fmt)
    except ValueError:
        raise validation_error("file", not_audio) from None
    seconds = len(audio) / sample_rate
    cap = runtime.settings.max_upload_seconds
    if seconds > cap:
        raise validation_error(
            "file", f"The audio is {seconds / 60:.1f} minutes long; the most is {cap / 60:g} minutes."
        )
    if seconds < 1:
        raise validation_error("file", "The audio is shorter than one second.")
    analysis = music.analyze(music.Source(audio=audio, sample_rate=sample_rate))
    title = PurePath(file.filename or "upload").stem or "upload"
    metadata = {
        "model": model,
        "source": "upload",
        "prompt": "",
        "style": "",
        "voice_gender": None,
        "tempo": analysis.get("tempo"),
        "key": analysis.get("key"),
        "mode": analysis.get("mode"),
        "voice": "Uploaded audio: the voice is whatever the recording holds.",
        "format": fmt,
    }
    clip = save_clip(
        runtime.store,
        runtime.files,
        key["key"],
        audio=audio,
        sample_rate=sample_rate,
        title=title,
        metadata=metadata,
        arrangement=None,
        lyrics=None,
        task_id=None,
        source="upload",
        clip_id=clip_id,
        alias=alias,
    )
    return {**clip, "format": fmt}
