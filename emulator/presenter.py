"""get-music answers: a stored task turned into the reference's JSON, with fresh signed links."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from .estimates import queue_wait
from .files import FileStore


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Presenter:
    def __init__(self, files: FileStore, link_ttl_seconds: int, workers: int):
        self.files = files
        self.ttl = link_ttl_seconds
        self.workers = workers

    def estimated_time(self, task: dict) -> int:
        """A pending task's seconds to completion: its own engine time plus the queue before it."""
        ahead = self.files.store.tasks_ahead_of(task)
        return max(1, math.ceil(task["estimated_time"] + queue_wait(ahead, self.workers, time.time())))

    def link(self, base_url: str, file_id: str) -> str:
        return self.files.link(base_url, file_id, self.ttl)

    def clip(self, base_url: str, clip: dict) -> dict:
        return {
            "id": clip["id"],
            "audio_url": self.link(base_url, clip["mp3_file"]),
            "video_url": self.link(base_url, clip["video_file"]),
            "title": clip["title"],
            "duration": clip["duration"],
            "metadata": clip["metadata"],
        }

    def task(self, base_url: str, task: dict) -> dict:
        view = {"task_id": task["id"], "status": task["status"], "created_at": iso(task["created_at"])}
        if task["status"] == "pending":
            view["estimated_time"] = self.estimated_time(task)
        elif task["status"] == "processing":
            elapsed = time.time() - (task["started_at"] or time.time())
            estimate = max(task["estimated_time"], 0.1)
            view["progress"] = min(95, int(100 * elapsed / estimate))
            view["estimated_remaining"] = max(1, math.ceil(estimate - elapsed))
        elif task["status"] == "failed":
            view["error"] = task["error"]
            view["completed_at"] = iso(task["completed_at"])
        else:
            view.update(self._result(base_url, task))
            view["completed_at"] = iso(task["completed_at"])
        if task.get("webhook_url"):
            view["webhook_status"] = task.get("webhook_status") or "waiting"
            if task.get("webhook_error"):
                view["webhook_error"] = task["webhook_error"]
        return view

    def _result(self, base_url: str, task: dict) -> dict:
        result = task["result"]
        if "clips" in result:
            clips = [self.clip(base_url, self.files.store.clip(task["api_key"], c)) for c in result["clips"]]
            view = {"clips": clips}
            if task["model"] in ("producer", "nuro") and clips:
                first = clips[0]
                view.update({k: first[k] for k in ("audio_url", "video_url", "duration", "metadata")})
            return view
        if "stems" in result:
            urls = {name: self.link(base_url, file_id) for name, file_id in result["stems"].items()}
            if task["kind"] == "stems_basic":
                return {
                    "vocals_url": urls["vocals"],
                    "instrumental_url": urls["instrumental"],
                    "approximate": result["approximate"],
                }
            return {
                "stems": {f"{name}_url": url for name, url in urls.items()},
                "approximate": result["approximate"],
            }
        if "wav_file" in result:
            return {"wav_url": self.link(base_url, result["wav_file"])}
        return {"persona_id": result["persona_id"], "persona_name": result["persona_name"]}
