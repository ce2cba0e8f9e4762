"""How long a task will take: the engine's measured speed times the seconds of audio it renders.

It starts from a guess and learns from every finished task (a moving average of compute seconds per
rendered second), so estimated_time follows the engine's real time on this machine.
"""

from __future__ import annotations

import heapq
import threading

# Work per second of audio, relative to rendering a song once.
KIND_WEIGHT = {"stems_full": 3.0, "stems_basic": 1.5, "persona": 0.5, "wav": 0.0}
OVERHEAD_SECONDS = 1.0


class Estimator:
    def __init__(self, seconds_per_audio_second: float = 0.05, smoothing: float = 0.3):
        self._ratio = seconds_per_audio_second
        self._smoothing = smoothing
        self._lock = threading.Lock()

    def work(self, kind: str, audio_seconds: float) -> float:
        return KIND_WEIGHT.get(kind, 1.0) * audio_seconds

    def estimate(self, kind: str, audio_seconds: float) -> float:
        with self._lock:
            return OVERHEAD_SECONDS + self._ratio * self.work(kind, audio_seconds)

    def observe(self, kind: str, audio_seconds: float, elapsed: float) -> None:
        work = self.work(kind, audio_seconds)
        if work <= 0:
            return
        ratio = max(0.0, elapsed - OVERHEAD_SECONDS) / work
        with self._lock:
            self._ratio += self._smoothing * (ratio - self._ratio)


def queue_wait(ahead: list[dict], workers: int, now: float) -> float:
    """Seconds until a worker is free for a task queued behind `ahead` (the active tasks before it, oldest
    first), handing each of them to the worker that frees up first."""
    free_at = [0.0] * max(1, workers)
    for task in ahead:
        if task["status"] == "processing" and task["started_at"]:
            remaining = max(0.0, task["estimated_time"] - (now - task["started_at"]))
        else:
            remaining = task["estimated_time"]
        heapq.heappush(free_at, heapq.heappop(free_at) + remaining)
    return free_at[0]
