"""The worker pool: runs tasks with the engine, off the request path.

A plain ``ValueError`` is the engine refusing what was asked (an instrumental song has no vocals to swap):
the task fails as ``generation_failed`` with the engine's sentence. Anything else, subclasses of ValueError
such as UnicodeEncodeError included, is a failure of ours: ``internal_error``, logged with its traceback.
Either way the task's credits are refunded.

Stopping it (server shutdown) abandons what is in flight without writing anything, exactly like a
crash, so the next start finds those tasks and re-runs them or fails and refunds them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from . import jobs
from .estimates import Estimator
from .store import Store

log = logging.getLogger("emulator.worker")


def generation_failed(message: str) -> dict:
    return {"code": "generation_failed", "message": message, "details": {}}


class Worker:
    def __init__(
        self,
        ctx: jobs.JobContext,
        estimator: Estimator,
        *,
        threads: int,
        delay: Callable[[], float],
        on_finished: Callable[[dict], None],
    ):
        self._ctx = ctx
        self._store: Store = ctx.store
        self._estimator = estimator
        self._delay = delay
        self._on_finished = on_finished
        self._stopped = threading.Event()
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="emulator-task")

    def recover(self, max_attempts: int) -> None:
        """Pick up what a previous run left: re-run interrupted tasks, fail those tried too often."""
        pending, give_up = self._store.requeue_interrupted(max_attempts)
        for task_id in give_up:
            self._store.fail_task(
                task_id,
                generation_failed(
                    "The server stopped while making this task, more than once; its credits were refunded. "
                    "Please submit it again."
                ),
            )
            self._on_finished(self._store.task(task_id))
        for task_id in pending:
            self.submit(task_id)

    def submit(self, task_id: str) -> None:
        self._pool.submit(self._run, task_id)

    def stop(self) -> None:
        self._stopped.set()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, task_id: str) -> None:
        task = self._store.claim_task(task_id)
        if task is None or self._stopped.wait(self._delay()):
            return
        started = time.monotonic()
        try:
            result = jobs.run(self._ctx, task)
        except Exception as error:
            if self._stopped.is_set():
                return  # the store closed under a task abandoned by shutdown: not a crash
            if type(error) is ValueError:
                log.info("task %s refused by the engine: %s", task_id, error)
                outcome = ("failed", generation_failed(str(error)))
            else:
                log.exception("task %s crashed", task_id)
                outcome = (
                    "failed",
                    {
                        "code": "internal_error",
                        "message": "The engine failed on this task; its credits were refunded.",
                        "details": {},
                    },
                )
        else:
            outcome = ("completed", result)
        if self._stopped.is_set():
            return
        if outcome[0] == "completed":
            self._store.complete_task(task_id, outcome[1])
            self._estimator.observe(
                task["kind"], audio_seconds(self._store, task), time.monotonic() - started
            )
        else:
            self._store.fail_task(task_id, outcome[1])
        self._on_finished(self._store.task(task_id))


def audio_seconds(store: Store, task: dict) -> float:
    """Seconds of audio a task renders: what its estimate and the speed it learns are measured in."""
    params = task["params"]
    clip_ids = params.get("clip_ids") or ([params["clip_id"]] if params.get("clip_id") else [])
    source = sum(c["duration"] for c in (store.clip(task["api_key"], i) for i in clip_ids) if c)
    if task["kind"] in ("song", "extend"):
        return source + float(params.get("duration", 30))
    return source
