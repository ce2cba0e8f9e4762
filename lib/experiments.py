"""The prompt lab: one idea tried many ways, as a grid of songs that is priced, run, rated and exported.

An experiment is every combination of its axes (phrasings x models x lengths x voices x takes or seeds), up to
a cap. Its cells are kept in the library's database beside tasks and clips (tables of their own), so an
experiment survives reloads and restarts; a cell's song is an ordinary library task and clip, found by the
cell's task id. Plain logic: no Streamlit, no requests.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from lib import costs
from lib.arguments import MAX_DURATION, MIN_DURATION, VOICE_GENDERS
from lib.store import Library
from lib.text import short_label

MODELS: dict[str, str] = {"suno": "Suno", "nuro": "Nuro", "producer": "Producer"}
VOICES = VOICE_GENDERS
LENGTHS = (10, 20, 30, 60, 120, 180, 240)
DEFAULT_CAP, MAX_CAP = 12, 24
MAX_SEED = 2**31 - 1
# A cell claimed this long ago that never got its task id was being started when its session ended: whether
# the server took it is unknown, so it is not started again but shown as failed, pointing to the Library.
LOST_START_SECONDS = 120
LOST_START = "the app was closed while this song was starting; if it was made, it is in your Library"
EXPORT_FORMAT = "aimusic-lab/1"
NO_BASE_PROMPT = "Write a base prompt first: the idea every song of the experiment starts from."

# What a cell shows: planned (not run yet), left out (unticked), waiting (for a slot), making, done, failed,
# stopped (cancelled before it started: never charged).
PLANNED, LEFT_OUT, WAITING, MAKING, DONE, FAILED, STOPPED = (
    "planned", "left out", "waiting", "making", "done", "failed", "stopped",
)  # fmt: skip
# What the database keeps of a cell's run; a started cell's fate is its task's status.
_LEFT_OUT, _WAITING, _STARTING, _STARTED, _STOPPED, _NOT_STARTED = (
    "left_out", "waiting", "starting", "started", "stopped", "not_started",
)  # fmt: skip

SCHEMA = """
CREATE TABLE IF NOT EXISTS lab_experiments (
    owner TEXT NOT NULL,
    experiment_id TEXT NOT NULL,
    axes TEXT NOT NULL,
    parent_id TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, experiment_id)
);
CREATE TABLE IF NOT EXISTS lab_cells (
    owner TEXT NOT NULL,
    experiment_id TEXT NOT NULL,
    cell_index INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    model TEXT NOT NULL,
    length INTEGER,
    voice TEXT,
    take INTEGER NOT NULL,
    seed INTEGER,
    state TEXT NOT NULL,
    task_id TEXT,
    error TEXT,
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    note TEXT NOT NULL DEFAULT '',
    updated_at REAL NOT NULL,
    PRIMARY KEY (owner, experiment_id, cell_index)
);
CREATE INDEX IF NOT EXISTS lab_cells_by_state ON lab_cells (owner, state);
"""

# A cell with its song: the task's status and the first clip of its task (Suno may make two per task).
_CELLS_SQL = """
SELECT c.*, t.status AS task_status, json_extract(t.error, '$.message') AS task_error,
       k.clip_id, k.duration, k.metadata
FROM lab_cells c
LEFT JOIN tasks t ON t.owner = c.owner AND t.task_id = c.task_id
LEFT JOIN clips k ON k.owner = c.owner AND k.rowid = (
    SELECT rowid FROM clips WHERE owner = c.owner AND task_id = c.task_id ORDER BY created_at, rowid LIMIT 1
)
WHERE c.owner = ? AND c.experiment_id = ?
ORDER BY c.cell_index
"""


class GridError(ValueError):
    """An experiment that cannot be run as asked; its message is a sentence for the person."""


@dataclass(frozen=True)
class Axes:
    """What an experiment varies. Each axis holds at least one value; None means "the model's default"."""

    base_prompt: str
    alternatives: tuple[str, ...] = ()
    models: tuple[str, ...] = ("suno",)
    lengths: tuple[int | None, ...] = (None,)
    voices: tuple[str | None, ...] = (None,)
    takes: int = 1
    seeds: tuple[int, ...] = ()  # when given, one take per seed (same request + seed = same song)

    @property
    def prompts(self) -> tuple[str, ...]:
        return (self.base_prompt, *self.alternatives)

    @property
    def size(self) -> int:
        """How many songs the full grid has, without listing them."""
        takes = len(self.seeds) or self.takes
        return math.prod((len(self.prompts), len(self.models), len(self.lengths), len(self.voices), takes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_prompt": self.base_prompt,
            "alternatives": list(self.alternatives),
            "models": list(self.models),
            "lengths": list(self.lengths),
            "voices": list(self.voices),
            "takes": self.takes,
            "seeds": list(self.seeds),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Axes:
        return make_axes(
            data.get("base_prompt", ""),
            alternatives=data.get("alternatives") or (),
            models=data.get("models") or (),
            lengths=data.get("lengths") or (),
            voices=data.get("voices") or (),
            takes=data.get("takes") or 1,
            seeds=data.get("seeds") or (),
        )


def make_axes(
    base_prompt: str,
    *,
    alternatives: Iterable[str] = (),
    models: Iterable[str] = ("suno",),
    lengths: Iterable[int | None] = (),
    voices: Iterable[str | None] = (),
    takes: int = 1,
    seeds: Iterable[int] = (),
) -> Axes:
    """Checked, normalised axes: blanks and repeats dropped, order kept; GridError says what is wrong."""
    base = " ".join(str(base_prompt or "").split())
    if not base:
        raise GridError(NO_BASE_PROMPT)
    others = _unique(" ".join(str(p).split()) for p in alternatives)
    others = tuple(p for p in others if p and p != base)
    models = _unique(models)
    if not models:
        raise GridError("Choose at least one model to try.")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise GridError(f"{unknown[0]!r} is not a model of the lab: choose Suno, Nuro or Producer.")
    lengths = _unique(lengths) or (None,)
    for length in lengths:
        if length is not None and not (isinstance(length, int) and MIN_DURATION <= length <= MAX_DURATION):
            raise GridError(
                f"Lengths are whole seconds from {MIN_DURATION} to {MAX_DURATION}; got {length!r}."
            )
    voices = _unique(voices) or (None,)
    for voice in voices:
        if voice is not None and voice not in VOICES:
            raise GridError(f"{voice!r} is not a voice: choose {', '.join(VOICES)}.")
    seeds = _unique(seeds)
    for seed in seeds:
        if not (isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED):
            raise GridError(f"Seeds are whole numbers from 0 to {MAX_SEED}; got {seed!r}.")
    if not isinstance(takes, int) or not 1 <= takes <= MAX_CAP:
        raise GridError(f"Takes are a whole number from 1 to {MAX_CAP}; got {takes!r}.")
    return Axes(base, others, models, lengths, voices, len(seeds) or takes, seeds)


def parse_seeds(text: str) -> tuple[int, ...]:
    """Seeds typed as "1, 2, 3" (commas or spaces); GridError when one is not a whole number in range."""
    seeds = []
    for word in text.replace(",", " ").split():
        if not word.isdigit() or int(word) > MAX_SEED:
            raise GridError(
                f"Seeds are whole numbers from 0 to {MAX_SEED}, separated by commas; {word!r} is not."
            )
        seeds.append(int(word))
    return tuple(seeds)


def _unique(values: Iterable) -> tuple:
    return tuple(dict.fromkeys(v for v in values if v != ""))


@dataclass(frozen=True)
class Report:
    """What the server says about a finished song (clip metadata)."""

    duration: float | None = None
    tempo: float | None = None
    key: str = ""
    instruments: tuple[str, ...] = ()
    seed: int | None = None

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any], duration: float | None) -> Report:
        key = " ".join(str(p) for p in (metadata.get("key"), metadata.get("mode")) if p)
        tempo, seed = metadata.get("tempo"), metadata.get("seed")
        return cls(
            duration=float(duration) if duration is not None else None,
            tempo=float(tempo) if isinstance(tempo, int | float) else None,
            key=key,
            instruments=tuple(str(i) for i in metadata.get("instruments") or ()),
            seed=int(seed) if isinstance(seed, int) else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "instruments": list(self.instruments)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(**{**data, "instruments": tuple(data.get("instruments") or ())})


@dataclass(frozen=True)
class Cell:
    """One song of the grid: its settings, and once run its task, clip, rating and note."""

    index: int
    prompt: str
    model: str
    length: int | None
    voice: str | None
    take: int
    seed: int | None = None
    status: str = PLANNED
    task_id: str | None = None
    clip_id: str | None = None
    error: str = ""
    rating: int | None = None
    note: str = ""
    report: Report | None = None

    @property
    def ticked(self) -> bool:
        return self.status != LEFT_OUT

    @property
    def call(self) -> str:
        return {"suno": "suno.create_music", "nuro": "nuro.create_vocal_music"}.get(
            self.model, "producer.create_music"
        )

    @property
    def params(self) -> dict[str, Any]:
        """The request of this cell, as `lib.calls.bind` and the library take it (no empty fields)."""
        if self.model == "suno":
            fields = {"description": self.prompt, "voice_gender": self.voice}
        elif self.model == "nuro":
            fields = {"prompt": self.prompt, "voice_gender": self.voice}
        else:  # Producer takes no voice field: the voice is asked for in words.
            words = f"{self.prompt}, {self.voice} vocals" if self.voice else self.prompt
            fields = {"operation": "create", "description": words}
        fields.update(duration=self.length, seed=self.seed)
        return {name: value for name, value in fields.items() if value is not None}

    @property
    def price(self) -> int:
        return costs.estimate(self.call, **self.params)

    @property
    def settings(self) -> str:
        """The cell's settings in a few words: "Suno · 30 s · female · take 2"."""
        parts = [MODELS.get(self.model, self.model), f"{self.length} s" if self.length else "default length"]
        parts.append(self.voice or "any voice")
        parts.append(f"seed {self.seed}" if self.seed is not None else f"take {self.take}")
        return " · ".join(parts)


@dataclass(frozen=True)
class Experiment:
    id: str
    axes: Axes
    created_at: datetime
    cells: tuple[Cell, ...]
    parent_id: str | None = None

    @property
    def ticked(self) -> list[Cell]:
        return [c for c in self.cells if c.ticked]

    @property
    def price(self) -> int:
        return price(self.cells)

    @property
    def best_rating(self) -> int | None:
        return max((c.rating for c in self.cells if c.rating), default=None)

    def cell(self, index: int) -> Cell:
        return next(c for c in self.cells if c.index == index)

    def count(self, *statuses: str) -> int:
        return sum(1 for c in self.cells if c.status in statuses)

    @property
    def running(self) -> bool:
        return self.count(WAITING, MAKING) > 0


@dataclass(frozen=True)
class Summary:
    """An experiment in the list: when, from what, how many songs, its best rating."""

    id: str
    created_at: datetime
    base_prompt: str
    takes: int
    best_rating: int | None

    @property
    def label(self) -> str:
        best = f"best {'★' * self.best_rating}" if self.best_rating else "not rated yet"
        songs = f"{self.takes} song" + ("" if self.takes == 1 else "s")
        return f"{self.created_at:%d %b %H:%M} · {short_label(self.base_prompt, 40)} · {songs} · {best}"


# The grid


def plan(axes: Axes, cap: int = DEFAULT_CAP) -> list[Cell]:
    """Every combination of the axes, numbered from 1, all ticked; GridError when over the cap."""
    if not isinstance(cap, int) or not 1 <= cap <= MAX_CAP:
        raise GridError(
            f"The most songs an experiment can have is {MAX_CAP}; choose a limit from 1 to {MAX_CAP}."
        )
    if axes.size > cap:
        raise GridError(
            f"This grid has {axes.size} songs, more than the limit of {cap}: "
            + (f"raise the limit (up to {MAX_CAP}) or " if cap < MAX_CAP else "")
            + "vary fewer things."
        )
    takes = [(take, seed) for take, seed in enumerate(axes.seeds, 1)] or [
        (t, None) for t in range(1, axes.takes + 1)
    ]
    combos = itertools.product(axes.prompts, axes.models, axes.lengths, axes.voices, takes)
    return [
        Cell(index, prompt, model, length, voice, take, seed)
        for index, (prompt, model, length, voice, (take, seed)) in enumerate(combos, 1)
    ]


def tick(cells: Sequence[Cell], ticked: Iterable[int]) -> list[Cell]:
    """The planned cells with only those whose index is in `ticked` left in."""
    keep = set(ticked)
    return [replace(c, status=PLANNED if c.index in keep else LEFT_OUT) for c in cells]


def price(cells: Iterable[Cell]) -> int:
    """Credits the ticked cells cost, from the price list."""
    return sum(c.price for c in cells if c.ticked)


def affordable_count(cells: Iterable[Cell], available: int | None) -> int:
    """How many ticked cells, in grid order, the balance pays for (all of them when it is unknown)."""
    ticked = [c for c in cells if c.ticked]
    if available is None:
        return len(ticked)
    spent = 0
    for count, cell in enumerate(ticked):
        spent += cell.price
        if spent > available:
            return count
    return len(ticked)


def keep_first(cells: Sequence[Cell], count: int) -> list[Cell]:
    """Only the first `count` ticked cells stay ticked (the rest are left out)."""
    kept = [c.index for c in cells if c.ticked][:count]
    return tick(cells, kept)


def ranked(cells: Iterable[Cell]) -> list[Cell]:
    """Best rated first, unrated last, grid order among equals."""
    return sorted(cells, key=lambda c: (c.rating is None, -(c.rating or 0), c.index))


def winner_axes(experiment: Experiment) -> Axes | None:
    """The best-rated song's settings, with as many takes as the experiment had; None when none is rated."""
    best = ranked(c for c in experiment.cells if c.rating)
    if not best:
        return None
    cell = best[0]
    takes = len(experiment.axes.seeds) or experiment.axes.takes
    return make_axes(
        cell.prompt, models=(cell.model,), lengths=(cell.length,), voices=(cell.voice,), takes=max(takes, 2)
    )


# Keeping experiments


class Lab:
    """Experiments of every owner in the library's database; every method touches one owner's rows."""

    def __init__(self, library: Library, clock: Callable[[], float] = time.time):
        self.library = library
        self._clock = clock
        library.ensure_schema(SCHEMA)

    def create(
        self, owner: str, axes: Axes, cells: Sequence[Cell], *, parent_id: str | None = None
    ) -> Experiment:
        """Keep a new experiment whose ticked cells wait to be started; unticked ones are kept as left out."""
        if not any(c.ticked for c in cells):
            raise GridError("Tick at least one song to run.")
        experiment_id = "exp_" + secrets.token_hex(8)
        now = self._clock()
        with self.library.connect() as db:
            db.execute(
                "INSERT INTO lab_experiments (owner, experiment_id, axes, parent_id, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (owner, experiment_id, json.dumps(axes.to_dict()), parent_id, now),
            )
            db.executemany(
                "INSERT INTO lab_cells (owner, experiment_id, cell_index, prompt, model, length, voice, take,"
                " seed, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (owner, experiment_id, c.index, c.prompt, c.model, c.length, c.voice, c.take, c.seed,
                     _WAITING if c.ticked else _LEFT_OUT, now)
                    for c in cells
                ],
            )  # fmt: skip
        return self.get(owner, experiment_id)

    def get(self, owner: str, experiment_id: str) -> Experiment | None:
        with self.library.connect() as db:
            head = db.execute(
                "SELECT * FROM lab_experiments WHERE owner = ? AND experiment_id = ?", (owner, experiment_id)
            ).fetchone()
            rows = db.execute(_CELLS_SQL, (owner, experiment_id)).fetchall() if head else []
        if head is None:
            return None
        return Experiment(
            id=experiment_id,
            axes=Axes.from_dict(json.loads(head["axes"])),
            created_at=datetime.fromtimestamp(head["created_at"], tz=UTC),
            cells=tuple(_cell(row, self._clock()) for row in rows),
            parent_id=head["parent_id"],
        )

    def summaries(self, owner: str, limit: int = 50) -> list[Summary]:
        """The owner's experiments, newest first."""
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT e.experiment_id, e.created_at, e.axes,"
                " SUM(c.state != ?) AS takes, MAX(c.rating) AS best"
                " FROM lab_experiments e JOIN lab_cells c USING (owner, experiment_id)"
                " WHERE e.owner = ? GROUP BY e.experiment_id ORDER BY e.created_at DESC LIMIT ?",
                (_LEFT_OUT, owner, limit),
            ).fetchall()
        return [
            Summary(
                row["experiment_id"],
                datetime.fromtimestamp(row["created_at"], tz=UTC),
                json.loads(row["axes"])["base_prompt"],
                row["takes"],
                row["best"],
            )
            for row in rows
        ]

    def waiting(self, owner: str) -> list[tuple[str, Cell]]:
        """(experiment id, cell) of every cell waiting to start, oldest first: what a reload resumes."""
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT c.*, NULL AS task_status, NULL AS task_error, NULL AS clip_id, NULL AS duration,"
                " NULL AS metadata FROM lab_cells c JOIN lab_experiments e USING (owner, experiment_id)"
                " WHERE c.owner = ? AND c.state = ? ORDER BY e.created_at, c.cell_index",
                (owner, _WAITING),
            ).fetchall()
        return [(row["experiment_id"], _cell(row)) for row in rows]

    def claim(self, owner: str, experiment_id: str, index: int) -> bool:
        """Take a waiting cell to start it; False when it is not waiting (started elsewhere, stopped)."""
        return self._move(owner, experiment_id, index, _WAITING, _STARTING)

    def release(self, owner: str, experiment_id: str, index: int) -> None:
        """A claimed cell could not start yet (no free slot): it waits again."""
        self._move(owner, experiment_id, index, _STARTING, _WAITING)

    def started(self, owner: str, experiment_id: str, index: int, task_id: str) -> None:
        with self.library.connect() as db:
            db.execute(
                "UPDATE lab_cells SET state = ?, task_id = ?, updated_at = ?"
                " WHERE owner = ? AND experiment_id = ? AND cell_index = ?",
                (_STARTED, task_id, self._clock(), owner, experiment_id, index),
            )

    def not_started(self, owner: str, experiment_id: str, index: int, reason: str) -> None:
        """The server refused to start a claimed cell (e.g. not enough credits): it failed, uncharged."""
        with self.library.connect() as db:
            db.execute(
                "UPDATE lab_cells SET state = ?, error = ?, updated_at = ?"
                " WHERE owner = ? AND experiment_id = ? AND cell_index = ? AND state = ?",
                (_NOT_STARTED, reason, self._clock(), owner, experiment_id, index, _STARTING),
            )

    def stop(self, owner: str, experiment_id: str) -> int:
        """Stop the experiment's cells that have not started; returns how many (0 when stopped already)."""
        with self.library.connect() as db:
            return db.execute(
                "UPDATE lab_cells SET state = ?, updated_at = ?"
                " WHERE owner = ? AND experiment_id = ? AND state = ?",
                (_STOPPED, self._clock(), owner, experiment_id, _WAITING),
            ).rowcount

    def rate(self, owner: str, experiment_id: str, index: int, rating: int | None) -> None:
        if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
            raise ValueError(f"A rating is a whole number from 1 to 5; got {rating!r}.")
        self._set(owner, experiment_id, index, "rating", rating)

    def annotate(self, owner: str, experiment_id: str, index: int, note: str) -> None:
        self._set(owner, experiment_id, index, "note", (note or "").strip())

    def _set(self, owner: str, experiment_id: str, index: int, column: str, value: Any) -> None:
        with self.library.connect() as db:
            db.execute(
                f"UPDATE lab_cells SET {column} = ?, updated_at = ?"  # column: one of two fixed names
                " WHERE owner = ? AND experiment_id = ? AND cell_index = ?",
                (value, self._clock(), owner, experiment_id, index),
            )

    def _move(self, owner: str, experiment_id: str, index: int, before: str, after: str) -> bool:
        with self.library.connect() as db:
            return (
                db.execute(
                    "UPDATE lab_cells SET state = ?, updated_at = ?"
                    " WHERE owner = ? AND experiment_id = ? AND cell_index = ? AND state = ?",
                    (after, self._clock(), owner, experiment_id, index, before),
                ).rowcount
                == 1
            )


def _status(state: str, task_status: str | None, *, lost: bool) -> str:
    if state == _STARTED:
        return {"completed": DONE, "failed": FAILED}.get(task_status or "", MAKING)
    if lost:
        return FAILED
    return {_LEFT_OUT: LEFT_OUT, _STOPPED: STOPPED, _NOT_STARTED: FAILED}.get(state, WAITING)


def _cell(row, now: float | None = None) -> Cell:
    """A cell from its row; one left starting for long (its session ended mid-request) counts as failed."""
    lost = row["state"] == _STARTING and now is not None and now - row["updated_at"] > LOST_START_SECONDS
    status = _status(row["state"], row["task_status"], lost=lost)
    report = None
    if row["clip_id"] is not None:
        report = Report.from_metadata(json.loads(row["metadata"] or "{}"), row["duration"])
    return Cell(
        index=row["cell_index"],
        prompt=row["prompt"],
        model=row["model"],
        length=row["length"],
        voice=row["voice"],
        take=row["take"],
        seed=row["seed"],
        status=status,
        task_id=row["task_id"],
        clip_id=row["clip_id"],
        error=row["error"]
        or (row["task_error"] if status == FAILED else None)
        or (LOST_START if lost else ""),
        rating=row["rating"],
        note=row["note"],
        report=report,
    )


# Exports: JSON has everything needed to run the experiment again; CSV is one row per song.

CSV_COLUMNS = (
    "experiment_id", "created_at", "parent_id", "cell", "prompt", "model", "length", "voice", "take", "seed",
    "status", "rating", "note", "price", "call", "task_id", "clip_id", "error",
    "duration", "tempo", "key", "instruments", "reported_seed",
)  # fmt: skip


def to_json(experiment: Experiment) -> str:
    cells = []
    for c in experiment.cells:
        row = {
            "index": c.index, "prompt": c.prompt, "model": c.model, "length": c.length, "voice": c.voice,
            "take": c.take, "seed": c.seed, "status": c.status, "call": c.call, "params": c.params,
            "price": c.price, "task_id": c.task_id, "clip_id": c.clip_id, "error": c.error,
            "rating": c.rating, "note": c.note,
            "report": None if c.report is None else c.report.to_dict(),
        }  # fmt: skip
        cells.append(row)
    document = {
        "format": EXPORT_FORMAT,
        "experiment": {
            "id": experiment.id,
            "created_at": experiment.created_at.isoformat(),
            "parent_id": experiment.parent_id,
            "axes": experiment.axes.to_dict(),
            "price": experiment.price,
        },
        "cells": cells,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def from_json(text: str) -> Experiment:
    """An experiment from its JSON export; ValueError with a sentence when it is not one."""
    try:
        document = json.loads(text)
        if document.get("format") != EXPORT_FORMAT:
            raise ValueError
        head = document["experiment"]
        cells = tuple(
            Cell(
                index=int(c["index"]), prompt=c["prompt"], model=c["model"], length=c["length"],
                voice=c["voice"], take=int(c["take"]), seed=c["seed"], status=c["status"],
                task_id=c["task_id"], clip_id=c["clip_id"], error=c["error"] or "", rating=c["rating"],
                note=c["note"] or "",
                report=None if c["report"] is None else Report.from_dict(c["report"]),
            )
            for c in document["cells"]
        )  # fmt: skip
        return Experiment(
            id=head["id"],
            axes=Axes.from_dict(head["axes"]),
            created_at=datetime.fromisoformat(head["created_at"]),
            cells=cells,
            parent_id=head.get("parent_id"),
        )
    except GridError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValueError("This file is not a prompt-lab experiment exported as JSON.") from None


def to_csv(experiment: Experiment) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in experiment.cells:
        report = c.report or Report()
        writer.writerow(
            {
                "experiment_id": experiment.id, "created_at": experiment.created_at.isoformat(),
                "parent_id": experiment.parent_id or "", "cell": c.index, "prompt": c.prompt,
                "model": c.model,
                "length": c.length or "", "voice": c.voice or "", "take": c.take, "seed": _blank(c.seed),
                "status": c.status, "rating": c.rating or "", "note": c.note, "price": c.price,
                "call": c.call,
                "task_id": c.task_id or "", "clip_id": c.clip_id or "", "error": c.error,
                "duration": "" if c.report is None else _blank(report.duration),
                "tempo": _blank(report.tempo), "key": report.key,
                "instruments": "; ".join(report.instruments),
                "reported_seed": _blank(report.seed),
            }
        )  # fmt: skip
    return out.getvalue()


def from_csv(text: str) -> Experiment:
    """An experiment from its CSV export: the axes are read back from its cells (the grid is kept whole)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or set(CSV_COLUMNS) - set(rows[0]):
        raise ValueError("This file is not a prompt-lab experiment exported as CSV.")
    cells = tuple(_csv_cell(row) for row in rows)
    seeds = _unique(c.seed for c in cells if c.seed is not None)
    axes = make_axes(
        cells[0].prompt,
        alternatives=[c.prompt for c in cells],
        models=[c.model for c in cells],
        lengths=[c.length for c in cells],
        voices=[c.voice for c in cells],
        takes=max(c.take for c in cells),
        seeds=seeds,
    )
    return Experiment(
        id=rows[0]["experiment_id"],
        axes=axes,
        created_at=datetime.fromisoformat(rows[0]["created_at"]),
        cells=cells,
        parent_id=rows[0]["parent_id"] or None,
    )


def _csv_cell(row: dict[str, str]) -> Cell:
    has_clip = bool(row["clip_id"])
    report = None
    if has_clip:
        report = Report(
            duration=_number(row["duration"], float),
            tempo=_number(row["tempo"], float),
            key=row["key"],
            instruments=tuple(i for i in row["instruments"].split("; ") if i),
            seed=_number(row["reported_seed"], int),
        )
    return Cell(
        index=int(row["cell"]),
        prompt=row["prompt"],
        model=row["model"],
        length=_number(row["length"], int),
        voice=row["voice"] or None,
        take=int(row["take"]),
        seed=_number(row["seed"], int),
        status=row["status"],
        task_id=row["task_id"] or None,
        clip_id=row["clip_id"] or None,
        error=row["error"],
        rating=_number(row["rating"], int),
        note=row["note"],
        report=report,
    )


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _number(text: str, kind: type) -> Any:
    return kind(text) if text != "" else None


def results_rows(experiment: Experiment) -> list[dict[str, Any]]:
    """The results table: one row per song that was run, best rated first."""
    rows = []
    for c in ranked(c for c in experiment.cells if c.ticked):
        report = c.report or Report()
        rows.append(
            {
                "cell": c.index, "rating": c.rating, "note": c.note, "prompt": c.prompt,
                "model": MODELS.get(c.model, c.model), "length": c.length, "voice": c.voice or "",
                "take": c.take if c.seed is None else f"seed {c.seed}", "status": c.status, "price": c.price,
                "tempo": report.tempo, "key": report.key, "clip": c.clip_id or "",
            }
        )  # fmt: skip
    return rows
