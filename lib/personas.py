"""The personas this account or workspace made, kept by the library (the API has no "list personas").

A persona is recorded when its task completes: the server's id and name, the song it was made from,
when. Renaming and forgetting are local: the server keeps its persona under the name it was given.
A persona the server answers "not found" for is marked `missing`, shown as such, and can be forgotten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from lib.store import Library

PERSONA_CALL = "suno.create_persona"
MUSIC_CALL = "suno.create_persona_music"
REFERENCE_WAIT_SECONDS = 300  # the reference's estimated_time for create-persona
MAX_NAME = 100  # the longest persona_name the server takes

SCHEMA = """
CREATE TABLE IF NOT EXISTS personas (
    owner TEXT NOT NULL,
    persona_id TEXT NOT NULL,
    name TEXT NOT NULL,
    source_clip_id TEXT,
    task_id TEXT,
    missing INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, persona_id)
);
"""


@dataclass(frozen=True)
class Persona:
    persona_id: str
    name: str
    source_clip_id: str | None
    task_id: str | None
    missing: bool
    created_at: datetime


def check_name(name: str) -> str:
    """A persona name the server accepts, stripped; ValueError with a sentence otherwise."""
    name = (name or "").strip()
    if not name:
        raise ValueError("Give the persona a name first.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A persona name is at most {MAX_NAME} characters; this one has {len(name)}.")
    return name


class PersonaBook:
    def __init__(self, library: Library, clock: Callable[[], float] = time.time):
        self.library = library
        self._clock = clock
        library.ensure_schema(SCHEMA)

    def add(
        self, owner: str, persona_id: str, name: str, *, source_clip_id: str | None, task_id: str | None
    ) -> Persona:
        """Remember a persona (again: a repeated completion keeps the first record and its local name)."""
        with self.library.connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO personas"
                " (owner, persona_id, name, source_clip_id, task_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (owner, persona_id, name, source_clip_id, task_id, self._clock()),
            )
        return self.get(owner, persona_id)

    def get(self, owner: str, persona_id: str) -> Persona | None:
        with self.library.connect() as db:
            row = db.execute(
                "SELECT * FROM personas WHERE owner = ? AND persona_id = ?", (owner, persona_id)
            ).fetchone()
        return _record(row) if row else None

    def all(self, owner: str) -> list[Persona]:
        """Newest first."""
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT * FROM personas WHERE owner = ? ORDER BY created_at DESC", (owner,)
            ).fetchall()
        return [_record(row) for row in rows]

    def rename(self, owner: str, persona_id: str, name: str) -> Persona:
        name = check_name(name)
        with self.library.connect() as db:
            db.execute(
                "UPDATE personas SET name = ? WHERE owner = ? AND persona_id = ?", (name, owner, persona_id)
            )
        return self.get(owner, persona_id)

    def mark_missing(self, owner: str, persona_id: str) -> None:
        with self.library.connect() as db:
            db.execute(
                "UPDATE personas SET missing = 1 WHERE owner = ? AND persona_id = ?", (owner, persona_id)
            )

    def forget(self, owner: str, persona_id: str) -> bool:
        with self.library.connect() as db:
            return (
                db.execute(
                    "DELETE FROM personas WHERE owner = ? AND persona_id = ?", (owner, persona_id)
                ).rowcount
                > 0
            )

    def clip_for_url(self, owner: str, url: str | None) -> str | None:
        """The library's clip behind an audio link (a persona made from a song_url)."""
        if not url:
            return None
        with self.library.connect() as db:
            row = db.execute(
                "SELECT clip_id FROM clips WHERE owner = ? AND audio_url = ?", (owner, url)
            ).fetchone()
        return row["clip_id"] if row else None

    def songs(self, owner: str, persona_id: str, *, limit: int = 3) -> list[str]:
        """Clip ids of the newest finished songs made with the persona."""
        tasks = [
            t.task_id
            for t in self.library.results_for(owner, MUSIC_CALL, limit=200)
            if t.status == "completed" and t.params.get("persona_id") == persona_id
        ]
        frame = self.library.clips_frame(owner, statuses=("completed",))
        return frame[frame["task_id"].isin(tasks)]["clip_id"].dropna().head(limit).tolist()


def _record(row) -> Persona:
    return Persona(
        persona_id=row["persona_id"],
        name=row["name"],
        source_clip_id=row["source_clip_id"],
        task_id=row["task_id"],
        missing=bool(row["missing"]),
        created_at=datetime.fromtimestamp(row["created_at"], UTC),
    )
