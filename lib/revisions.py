"""A revision of the library file that changes with every committed change of watched tables.

Pages rerun on every click; a view of the tables (the Library's 500 rows, the ledger's 10 000) can then be
kept between reruns and reused until the revision moves. SQLite triggers count the changes, so no writer
can forget to; a random token made with the counter tells a recreated file from the old one.
"""

from __future__ import annotations

import sqlite3

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


def current(library: Library) -> tuple[str, int]:
    """(token, changes) of the library file now; starts watching the library's own tables the first time."""
    try:
        with library.connect() as db:
            return tuple(db.execute("SELECT token, changes FROM revisions WHERE id = 1").fetchone())
    except (sqlite3.OperationalError, TypeError):  # no counter yet
        watch(library)
        return current(library)
