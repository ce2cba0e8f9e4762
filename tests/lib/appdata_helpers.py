"""Task JSON shaped like the server's answers, parsed by the real lib.models."""

import itertools

from lib.models import Task

_ids = itertools.count(1)


def pending_json(task_id: str, estimated_time: float = 30) -> dict:
    return {"task_id": task_id, "status": "pending", "estimated_time": estimated_time,
            "created_at": "2026-01-05T10:30:00Z"}  # fmt: skip


def processing_json(task_id: str, progress: int, remaining: float) -> dict:
    return {
        "task_id": task_id,
        "status": "processing",
        "progress": progress,
        "estimated_remaining": remaining,
    }


def clip_json(clip_id: str, title: str = "Neon Nights", model: str = "suno") -> dict:
    return {
        "id": clip_id,
        "audio_url": f"http://127.0.0.1:9/files/{clip_id}.mp3?sig=abc",
        "video_url": f"http://127.0.0.1:9/files/{clip_id}.mp4?sig=abc",
        "title": title,
        "duration": 30,
        "metadata": {"model": model, "prompt": "upbeat synthwave", "voice_gender": "female", "tempo": 118,
                     "key": "A minor", "voice": "The voice is a soundfont patch; it does not pronounce words."},
    }  # fmt: skip


def completed_json(task_id: str, clips: list[dict]) -> dict:
    return {"task_id": task_id, "status": "completed", "clips": clips, "completed_at": "2026-01-05T10:32:00Z"}


def failed_json(task_id: str) -> dict:
    return {"task_id": task_id, "status": "failed",
            "error": {"code": "generation_failed", "message": "The engine could not render this song.",
                      "details": {}}}  # fmt: skip


def task(data: dict) -> Task:
    return Task.from_dict(data)


def new_task_id() -> str:
    return f"task_{next(_ids):08x}"
