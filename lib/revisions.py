"""A revision of the library file that changes with every committed change of watched tables.

Pages rerun on every click; a view of the tables (the Library's 500 rows, the ledger's 10 000) can then be
kept between reruns and reused until the revision moves. SQLite triggers count the changes, so no writer
can forget to; a random token made with the counter tells a recreated file from the old one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from lib.store import Library

WATCHED = ("tasks", "clips")

_COUNTER = """
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    changes INTEGER NOT NULL
);
INSERT OR IGNORE INTO revisions (id, token, changes) VALUES (1, lower(hex(randomblob(8))), 0);
"""
_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS revision_after_{event}_{table} AFTER {event} ON {table}
BEGIN UPDATE revisions SET changes = changes + 1 WHERE id = 1; END;
"""


def watch(library: Library, *tables: str) -> None:
    """Count every insert, update and delete of the library's tasks and clips and of `tables` (idempotent)."""
    triggers = "".join(
        _TRIGGER.format(event=event, table=table)
        for table in (*WATCHED, *tables)
        for event in ("INSERT", "UPDATE", "DELETE")
    )
    library.ensure_schema(_COUNTER + triggers)


class Views:
    """Values computed from a library at one revision, kept for the next reruns: the newest `size` of them.

    Keys must hold the revision (and whatever else the value depends on); a value is shared, never modify it.
    """

    def __init__(self, size: int = 8):
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


def current(library: Library) -> tuple[str, int]:
    """(token, changes) of the library file now; starts watching the library's own tables the first time.

    Every rerun of a page asks: the library's kept connections answer it (Library.connect)."""
    try:
        row = _read(library)
    except sqlite3.OperationalError:  # no counter yet
        row = None
    if row is None:
        watch(library)
        row = _read(library)
    return tuple(row)


def _read(library: Library) -> tuple | None:
    with library.connect() as db:
        rows = db.execute("SELECT token, changes FROM revisions WHERE id = 1").fetchall()  # no read left open
    return rows[0] if rows else None
