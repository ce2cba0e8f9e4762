"""Every set of generated lyrics, kept by the library: prompt, style, variations, the person's edits, when.

Lyrics cost credits and come back at once (no task), so they are written down the moment they arrive;
a reload or a later visit finds them, searchable by any word of prompt, style, lyrics or edits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from lib.store import Library, escape_like

SCHEMA = """
CREATE TABLE IF NOT EXISTS lyrics_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    prompt TEXT NOT NULL,
    style TEXT NOT NULL,
    variations TEXT NOT NULL,  -- JSON [{"lyrics": ..., "structure": ...}] as the server gave them
    edits TEXT NOT NULL,       -- JSON [text or null] per variation: what the person changed
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS lyrics_sets_by_owner ON lyrics_sets (owner, created_at);
"""


@dataclass(frozen=True)
class LyricsSet:
    set_id: int
    prompt: str
    style: str
    variations: tuple[dict, ...]
    edits: tuple[str | None, ...]
    created_at: datetime

    def text(self, index: int) -> str:
        """Variation `index` as the person left it: their edit, or the server's words."""
        edited = self.edits[index] if index < len(self.edits) else None
        return edited if edited is not None else str(self.variations[index].get("lyrics") or "")

    def as_txt(self) -> str:
        """The whole set as a plain-text file: what was asked, then each variation as it stands now."""
        head = [
            f"Prompt: {self.prompt}",
            f"Style: {self.style or '-'}",
            f"Made: {self.created_at:%Y-%m-%d %H:%M} UTC",
        ]
        blocks = [
            f"--- Variation {i + 1}{' (edited)' if self.edits[i] is not None else ''} ---\n{self.text(i)}"
            for i in range(len(self.variations))
        ]
        return "\n".join(head) + "\n\n" + "\n\n".join(blocks) + "\n"


class LyricsBook:
    """The lyrics sets of every owner, in the library's database."""

    def __init__(self, library: Library, clock: Callable[[], float] = time.time):
        self.library = library
        self._clock = clock
        library.ensure_schema(SCHEMA)

    def add(self, owner: str, prompt: str, style: str, variations: list[dict]) -> LyricsSet:
        now = self._clock()
        kept = [{"lyrics": str(v.get("lyrics") or ""), "structure": v.get("structure")} for v in variations]
        with self.library.connect() as db:
            set_id = db.execute(
                "INSERT INTO lyrics_sets (owner, prompt, style, variations, edits, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (owner, prompt, style, _dump(kept), _dump([None] * len(kept)), now, now),
            ).lastrowid
        return self.get(owner, set_id)

    def get(self, owner: str, set_id: int) -> LyricsSet | None:
        with self.library.connect() as db:
            row = db.execute(
                "SELECT * FROM lyrics_sets WHERE owner = ? AND id = ?", (owner, set_id)
            ).fetchone()
        return _record(row) if row else None

    def search(self, owner: str, text: str = "", *, limit: int = 50) -> list[LyricsSet]:
        """Newest first; `text` matches any part of prompt, style, lyrics or edits."""
        sql, args = "SELECT * FROM lyrics_sets WHERE owner = ?", [owner]
        if text.strip():
            pattern = "%" + escape_like(text.strip()) + "%"
            sql += (
                " AND ("
                + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in ("prompt", "style", "variations", "edits"))
                + ")"
            )
            args += [pattern] * 4
        with self.library.connect() as db:
            rows = db.execute(sql + " ORDER BY created_at DESC, id DESC LIMIT ?", (*args, limit)).fetchall()
        return [_record(row) for row in rows]

    def save_edit(self, owner: str, set_id: int, index: int, text: str) -> LyricsSet:
        """Keep the person's version of variation `index` (the server's words again when identical)."""
        current = self.get(owner, set_id)
        if current is None:
            raise ValueError("These lyrics were deleted; generate new ones.")
        if not 0 <= index < len(current.variations):
            raise ValueError(f"There is no variation {index + 1} in this set.")
        edits = list(current.edits)
        edits[index] = None if text == current.variations[index].get("lyrics") else text
        with self.library.connect() as db:
            db.execute(
                "UPDATE lyrics_sets SET edits = ?, updated_at = ? WHERE owner = ? AND id = ?",
                (_dump(edits), self._clock(), owner, set_id),
            )
        return self.get(owner, set_id)

    def delete(self, owner: str, set_id: int) -> bool:
        with self.library.connect() as db:
            return (
                db.execute("DELETE FROM lyrics_sets WHERE owner = ? AND id = ?", (owner, set_id)).rowcount > 0
            )


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # kept readable: accents, Cyrillic, CJK, emoji as they are


def _record(row) -> LyricsSet:
    return LyricsSet(
        set_id=row["id"],
        prompt=row["prompt"],
        style=row["style"],
        variations=tuple(json.loads(row["variations"])),
        edits=tuple(json.loads(row["edits"])),
        created_at=datetime.fromtimestamp(row["created_at"], UTC),
    )
