"""The whole song: extend a clip step by step up to a target length, then concatenate the parts.

An extension holds only the new music, so the whole song is concat([clip, extension 1, ..., extension n]).
Each step is paid when it starts, so a failed step costs nothing for the steps after it, and every finished
part stays in the library. The chain's progress is kept in the library (table `chains`), so it survives a
reload and the tray can start the next step when one finishes.
"""

from __future__ import annotations

import json
import math
import secrets
import time
from dataclasses import dataclass

from lib import costs
from lib.arguments import MAX_DURATION, MIN_DURATION
from lib.store import Library

MAX_TARGET = MAX_DURATION  # the longest whole song: the API's longest duration
STEP_SECONDS = 60  # the longest single extension of a chain (Suno's own extensions are about this long)
MAX_PARTS = 10  # concat takes at most ten clips

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chains (
    owner TEXT NOT NULL,
    chain_id TEXT NOT NULL,
    title TEXT NOT NULL,
    steps TEXT NOT NULL,
    clips TEXT NOT NULL,
    tasks TEXT NOT NULL,
    status TEXT NOT NULL,
    whole_clip_id TEXT,
    error TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, chain_id)
);
"""


@dataclass(frozen=True)
class ChainPlan:
    """The extensions (seconds each) that take a clip of `start` seconds to `target` seconds, then a concat."""

    start: float
    target: int
    steps: tuple[int, ...]

    @property
    def price(self) -> int:
        return costs.estimate("suno.extend_music") * len(self.steps) + costs.estimate("suno.concat_music")

    @property
    def total(self) -> float:
        return self.start + sum(self.steps)


def plan_chain(start: float, target: int, step: int = STEP_SECONDS) -> ChainPlan:
    """Equal steps of at most `step` seconds (each at least the API's shortest duration) from start to target.

    ValueError with a sentence when the target is out of reach or not longer than the clip.
    """
    if not start or start <= 0:
        raise ValueError("The length of this song is unknown; open it once in the Library, then try again.")
    if not MIN_DURATION <= target <= MAX_TARGET:
        raise ValueError(
            f"Choose a length between {MIN_DURATION} and {MAX_TARGET} seconds for the whole song."
        )
    missing = round(target - start)
    if missing < MIN_DURATION:
        raise ValueError(
            f"The song already lasts {start:.0f} s; choose a whole-song length at least {MIN_DURATION} s longer."
        )
    count = math.ceil(missing / step)
    if count + 1 > MAX_PARTS:
        raise ValueError(f"That needs {count} extensions; at most {MAX_PARTS - 1} fit in one song.")
    base, extra = divmod(missing, count)
    return ChainPlan(start, target, tuple(base + (1 if i < extra else 0) for i in range(count)))


@dataclass(frozen=True)
class Chain:
    chain_id: str
    title: str
    steps: tuple[int, ...]
    clips: tuple[str, ...]  # the clip extended first, then each finished extension, in play order
    tasks: tuple[str, ...]  # every task started for this chain (extensions, then the concat)
    status: str  # running, failed, completed
    whole_clip_id: str | None
    error: str

    @property
    def done_steps(self) -> int:
        return len(self.clips) - 1

    @property
    def next_call(self) -> tuple[str, dict] | None:
        """The call that moves the chain on: the next extension, then the concat; None once it is finished."""
        if self.status != "running":
            return None
        if self.done_steps < len(self.steps):
            return "suno.extend_music", {"audio_id": self.clips[-1], "duration": self.steps[self.done_steps]}
        if self.whole_clip_id is None:
            return "suno.concat_music", {"clip_ids": list(self.clips)}
        return None

    @property
    def step_label(self) -> str:
        """What the tray shows for the next step, e.g. "Whole song 2/4: Sea Song" (the join is the last)."""
        return f"Whole song {self.done_steps + 1}/{len(self.steps) + 1}: {self.title}"


class Chains:
    """The library's whole-song chains of one owner's songs."""

    def __init__(self, library: Library):
        self.library = library
        library.ensure_schema(_SCHEMA)

    def start(self, owner: str, clip_id: str, title: str, plan: ChainPlan) -> Chain:
        chain_id = "chain_" + secrets.token_hex(6)
        with self.library.connect() as db:
            db.execute(
                "INSERT INTO chains (owner, chain_id, title, steps, clips, tasks, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, '[]', 'running', ?)",
                (owner, chain_id, title, json.dumps(plan.steps), json.dumps([clip_id]), time.time()),
            )
        return self.get(owner, chain_id)

    def get(self, owner: str, chain_id: str) -> Chain | None:
        with self.library.connect() as db:
            row = db.execute(
                "SELECT * FROM chains WHERE owner = ? AND chain_id = ?", (owner, chain_id)
            ).fetchone()
        return _chain(row) if row else None

    def recent(self, owner: str, limit: int = 5) -> list[Chain]:
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT * FROM chains WHERE owner = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (owner, limit),
            ).fetchall()
        return [_chain(row) for row in rows]

    def of_task(self, owner: str, task_id: str) -> Chain | None:
        """The chain that started `task_id`, if any."""
        with self.library.connect() as db:
            row = db.execute(
                "SELECT c.* FROM chains c, json_each(c.tasks) t WHERE c.owner = ? AND t.value = ?",
                (owner, task_id),
            ).fetchone()
        return _chain(row) if row else None

    def note_task(self, owner: str, chain_id: str, task_id: str) -> None:
        self._update(owner, chain_id, lambda c: {"tasks": [*c.tasks, task_id]})

    def step_finished(self, owner: str, chain_id: str, clip_id: str) -> Chain:
        """A finished extension: its clip joins the parts."""
        return self._update(owner, chain_id, lambda c: {"clips": [*c.clips, clip_id]})

    def finished(self, owner: str, chain_id: str, whole_clip_id: str) -> Chain:
        return self._update(
            owner, chain_id, lambda c: {"whole_clip_id": whole_clip_id, "status": "completed"}
        )

    def failed(self, owner: str, chain_id: str, reason: str) -> Chain:
        """A step failed or could not start: the chain stops, its finished parts stay in the library."""
        done = self.get(owner, chain_id)
        parts = done.done_steps
        kept = {0: "", 1: " The finished part is kept in your library."}.get(
            parts, f" The {parts} finished parts are kept in your library."
        )
        error = f"The whole song stopped at step {parts + 1} of {len(done.steps) + 1}: {reason}.{kept}"
        return self._update(owner, chain_id, lambda c: {"status": "failed", "error": error})

    def _update(self, owner: str, chain_id: str, change) -> Chain:
        with self.library.connect() as db:
            row = db.execute(
                "SELECT * FROM chains WHERE owner = ? AND chain_id = ?", (owner, chain_id)
            ).fetchone()
            if row is None:
                raise ValueError(f"There is no whole-song chain {chain_id!r} in this library.")
            fields = change(_chain(row))
            values = {k: json.dumps(v) if isinstance(v, list) else v for k, v in fields.items()}
            sets = ", ".join(f"{name} = :{name}" for name in values)
            db.execute(
                f"UPDATE chains SET {sets} WHERE owner = :owner AND chain_id = :chain_id",
                {**values, "owner": owner, "chain_id": chain_id},
            )
        return self.get(owner, chain_id)


def _chain(row) -> Chain:
    return Chain(
        chain_id=row["chain_id"],
        title=row["title"],
        steps=tuple(json.loads(row["steps"])),
        clips=tuple(json.loads(row["clips"])),
        tasks=tuple(json.loads(row["tasks"])),
        status=row["status"],
        whole_clip_id=row["whole_clip_id"],
        error=row["error"] or "",
    )
