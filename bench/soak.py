"""Fault soak: tasks through the app's own tracker and library against the built-in server while a share of
API requests fail (500, 503, hangs past the client's timeout, connection resets, cut answers) and the server
restarts half-way. Every task must end completed (audio cached) or clearly failed: none lost, none charged
twice, and the credits the library accounts for equal the server's `used`. Prints the counts.

    python bench/soak.py [--tasks 100] [--fault-rate 0.1] [--seconds 10] [--concurrent 6]
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator import start_in_background  # noqa: E402
from lib import costs, recovery  # noqa: E402
from lib.client import AIMusicClient, RetryConfig  # noqa: E402
from lib.errors import AIMusicAPIError, ConcurrencyLimitError  # noqa: E402
from lib.store import Library  # noqa: E402
from lib.tasks import TaskTracker  # noqa: E402
from lib.workspace import owner_id  # noqa: E402

CALL = "suno.create_music"
FAULTS = ("500", "503", "hang", "reset", "malformed")
RETRY = RetryConfig(max_retries=4, initial_delay=0.05, max_delay=0.5, jitter=0.25, max_wait=2.0)


@dataclass
class SoakReport:
    tasks: int
    submitted: int = 0
    completed: int = 0
    cached: int = 0
    failed: int = 0
    refused: int = 0  # the server said no at submission (nothing started, nothing charged)
    unfinished: int = 0
    lost: int = 0  # tasks the server made that the library does not know
    charged_twice: int = 0
    library_credits: int = 0
    server_used: int = 0
    restarts: int = 0
    seconds: float = 0.0
    reasons: collections.Counter = field(default_factory=collections.Counter)

    @property
    def healthy(self) -> bool:
        ended = self.completed + self.failed + self.refused == self.tasks
        return ended and not (self.lost or self.charged_twice) and self.library_credits == self.server_used

    def lines(self) -> list[str]:
        return [
            f"tasks {self.tasks}: submitted {self.submitted}, completed {self.completed} (audio cached "
            f"{self.cached}), failed {self.failed}, refused at submission {self.refused}, unfinished "
            f"{self.unfinished}",
            f"lost {self.lost}, charged twice {self.charged_twice}, server restarts {self.restarts}",
            f"credits: library {self.library_credits}, server used {self.server_used} "
            f"({'equal' if self.library_credits == self.server_used else 'DIFFERENT'})",
            f"client-side errors seen (all retried or reported): {dict(self.reasons)}",
            f"{self.seconds:.1f} s; {'healthy' if self.healthy else 'NOT HEALTHY'}",
        ]


def soak(
    data_dir: Path,
    tasks: int = 100,
    fault_rate: float = 0.1,
    song_seconds: int = 10,
    concurrent: int = 6,
    restart: bool = True,
    deadline_seconds: float = 1800,
    seed: int = 7,
) -> SoakReport:
    settings = dict(
        fault_kinds=FAULTS, fault_hang_seconds=2.5, fault_seed=seed, workers=2, log_level="critical"
    )
    server = start_in_background(data_dir, **settings)
    port = int(server.base_url.rsplit(":", 1)[1])
    key = server.create_key("enterprise", credits=tasks * costs.estimate(CALL))
    server.configure(fault_rate=fault_rate)
    client = AIMusicClient(key, server.base_url, timeout=1.5, retry=RETRY, repeat_lost_posts=True)
    library = Library(data_dir / "app" / "library.db", data_dir / "app" / "audio")
    owner, report = owner_id(key), SoakReport(tasks)
    tracker = TaskTracker(600, concurrent)
    started = time.monotonic()

    for n in range(tasks):
        params = {"description": f"soak song {n}: a folk tune", "duration": song_seconds}
        tracker.enqueue(
            f"soak {n}", lambda p=params: client.suno.create_music(**p), model="suno", params=params
        )

    while (tracker.queued or tracker.pending) and time.monotonic() - started < deadline_seconds:
        for queued in tracker.ready_submissions():
            try:
                task = queued.submit()
            except ConcurrencyLimitError:
                tracker.requeue(queued)
                continue
            except AIMusicAPIError as error:
                report.refused += 1
                report.reasons[f"submit {type(error).__name__}"] += 1
                continue
            report.submitted += 1
            library.record_submission(owner, task, model="suno", call=CALL, params=queued.context["params"])
            tracker.track(task.task_id, "suno", queued.label, task.estimated_time)
        for task_id in tracker.due():
            try:
                task = client.suno.get_music(task_id)
            except AIMusicAPIError as error:
                report.reasons[f"poll {type(error).__name__}"] += 1
                tracker.poll_failed(task_id)
                continue
            if tracker.update(task):
                library.record_update(owner, task)
                if task.status == "completed":
                    report.completed += 1
                    for clip in task.clips:
                        try:
                            recovery.cache_clip_audio(library, client, owner, clip.id)
                        except recovery.AudioUnavailable as error:
                            report.reasons[f"audio {error}"] += 1
                else:
                    report.failed += 1
        if restart and not report.restarts and report.submitted >= tasks // 2:
            server.stop()  # what a crash or a deploy does: running tasks are re-run or refunded
            server = start_in_background(data_dir, port=port, **settings, fault_rate=fault_rate)
            report.restarts += 1
        time.sleep(0.1)

    # Audio the soak could not cache at once is fetched again, as the tray's next tick would.
    server.configure(fault_rate=0.0)
    recovery.retry_uncached(library, client, owner, limit=tasks)
    report.seconds = time.monotonic() - started
    report.unfinished = len(tracker.pending) + len(tracker.queued)
    _account(report, server, library, owner, key)
    client.close()
    server.stop()
    return report


def _account(report: SoakReport, server, library: Library, owner: str, key: str) -> None:
    store = server.runtime.store
    made = {row["id"] for row in store._all("SELECT id FROM tasks WHERE api_key = ?", (key,))}
    report.lost = len([t for t in made if library.task(owner, t) is None])
    charges = collections.Counter(e["task_id"] for e in store.ledger(key) if e["amount"] > 0)
    report.charged_twice = sum(1 for count in charges.values() if count > 1)
    report.server_used = store.get_key(key)["credits_used"]
    frame = library.clips_frame(owner)
    done = frame[frame["status"] == "completed"]
    report.cached = int(done["cached"].sum())
    report.library_credits = costs.estimate(CALL) * len(set(done["task_id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--seconds", type=int, default=10, help="length of each song")
    parser.add_argument("--concurrent", type=int, default=6)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the client's warnings about each injected fault are expected
    with tempfile.TemporaryDirectory(prefix="aimusic-soak-") as tmp:
        report = soak(Path(tmp), args.tasks, args.fault_rate, args.seconds, args.concurrent)
    print("\n".join(report.lines()))
    sys.exit(0 if report.healthy else 1)


if __name__ == "__main__":
    main()
