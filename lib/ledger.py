"""The credits ledger: every charge the app causes, its price from the price list, and whether it was refunded.

A charge is recorded when the server accepts a paid request (a task it started, or an answer it gave at once:
MIDI, lyrics); free calls record nothing. A task that later fails is marked refunded, as the server refunds
failed tasks. So the ledger's spend is what the server's `used` credits grew by because of this app.
Rows live beside the library's tables (Library.ensure_schema); every method takes the owner, like Library.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from lib import costs, revisions
from lib.store import Library

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger (
    entry_id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at REAL NOT NULL,
    call TEXT NOT NULL,
    what TEXT NOT NULL,
    capability TEXT NOT NULL,
    model TEXT NOT NULL,
    price INTEGER NOT NULL,
    task_id TEXT,
    song TEXT NOT NULL,
    outcome TEXT NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ledger_by_time ON ledger (owner, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS ledger_by_task ON ledger (owner, task_id) WHERE task_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS ledger_rebuilds (owner TEXT PRIMARY KEY, rebuilt_at REAL NOT NULL);
"""

# Outcomes as stored -> as shown. "charged": answered at once (MIDI, lyrics), nothing left to happen.
OUTCOMES = {
    "charged": "done",
    "pending": "in progress",
    "completed": "done",
    "failed": "failed",
    "unknown": "unknown to the server",
}

# What each paid call is, in a person's words, and the capability it is counted under in the spend chart.
WHAT: dict[str, tuple[str, str]] = {
    "suno.create_music": ("Song", "Songs"),
    "suno.describe_music": ("Song from an idea", "Songs"),
    "suno.create_music_with_lyrics": ("Song from lyrics", "Songs"),
    "producer.create_music": ("Producer track", "Songs"),
    "nuro.create_vocal_music": ("Long song", "Songs"),
    "nuro.create_instrumental_music": ("Long instrumental", "Songs"),
    "suno.extend_music": ("Extension", "Extensions"),
    "suno.concat_music": ("Whole song", "Extensions"),
    "suno.cover_music": ("Cover", "Covers"),
    "suno.stems_basic": ("Stems (2 tracks)", "Stems"),
    "suno.stems_full": ("Stems (12 tracks)", "Stems"),
    "suno.wav": ("WAV export", "Exports"),
    "suno.get_midi": ("MIDI export", "Exports"),
    "suno.create_persona": ("Persona", "Personas"),
    "suno.create_persona_music": ("Persona song", "Personas"),
    "lyrics.generate": ("Lyrics", "Lyrics"),
}
PRODUCER_EDITS = {"create": "Producer track", "cover": "Producer cover", "extend": "Producer extension"}

# "What you can still make": one call per thing a person buys, priced from the price list.
MAKEABLE: tuple[tuple[str, str], ...] = (
    ("songs", "suno.create_music"),
    ("extensions", "suno.extend_music"),
    ("stem splits (12 tracks)", "suno.stems_full"),
    ("WAV exports", "suno.wav"),
    ("persona songs", "suno.create_persona_music"),
)

COLUMNS = ("when", "what", "song", "price", "outcome", "refunded", "spent", "task_id")
_STORED = ("created_at", "what", "capability", "song", "price", "outcome", "refunded", "task_id")


def describe_call(call: str, params: dict[str, Any] | None = None) -> tuple[str, str]:
    """(what, capability) of a call: ("Stems (12 tracks)", "Stems")."""
    if call == "producer.create_music":
        operation = (params or {}).get("operation") or "create"
        return PRODUCER_EDITS.get(operation, f"Producer {operation.replace('_', ' ')}"), "Songs"
    if call.startswith("riffusion."):
        replacement, _fixed = costs.RIFFUSION_REPLACEMENTS.get(call, (call, {}))
        return describe_call(replacement, {**(params or {}), **_fixed})
    return WHAT.get(call, (call, "Other"))


class Ledger:
    """The ledger of every owner, kept in the library's SQLite file."""

    def __init__(self, library: Library, *, clock: Callable[[], float] = time.time):
        self.library = library
        self._clock = clock
        library.ensure_schema(_SCHEMA)
        revisions.watch(library, "ledger")

    def record_charge(
        self,
        owner: str,
        call: str,
        params: dict[str, Any],
        *,
        task_id: str | None = None,
        model: str = "",
        song: str = "",
    ) -> int:
        """Record what the server just charged for `call` (accepted: a task started or an answer given).

        Returns the price recorded; 0 for a free call, which records nothing. A task is recorded once, however
        often it is reported (a retry that the server answered with the same task).
        """
        price = costs.estimate(call, **params)
        if price <= 0:
            return 0
        with self.library.connect() as db:
            write_charge(db, owner, self._clock(), call, params, price, model=model or call.partition(".")[0],
                         task_id=task_id, song=song, outcome="pending" if task_id else "charged")  # fmt: skip
        return price

    def settle(self, owner: str, task) -> None:
        """A polled task's outcome: done, or failed and so refunded. Songs get their titles once made."""
        if task.status not in ("completed", "failed"):
            return
        titles = " / ".join(clip.title for clip in getattr(task, "clips", ()) if clip.title)
        with self.library.connect() as db:
            db.execute(
                "UPDATE ledger SET outcome = ?, refunded = ?, song = CASE WHEN ? != '' THEN ? ELSE song END"
                " WHERE owner = ? AND task_id = ? AND outcome IN ('pending', 'unknown')",
                (task.status, int(task.status == "failed"), titles, titles, owner, task.task_id),
            )

    def reconcile(self, owner: str) -> int:
        """Settle charges still pending whose task the library already knows finished; returns how many.

        The library is where a task's status lives; settle() follows it as the tray polls, and this catches a
        settle that never ran (a script run stopped between the two writes) so no charge stays "in progress".
        """
        with self.library.connect() as db:
            return db.execute(
                "UPDATE ledger SET outcome = t.status, refunded = (t.status = 'failed') FROM tasks AS t"
                " WHERE ledger.owner = ? AND ledger.outcome = 'pending' AND t.owner = ledger.owner"
                " AND t.task_id = ledger.task_id AND t.status IN ('completed', 'failed')",
                (owner,),
            ).rowcount

    def mark_unknown(self, owner: str, task_id: str) -> None:
        """The server no longer knows this task: its charge stays, its outcome cannot be learnt."""
        with self.library.connect() as db:
            db.execute(
                "UPDATE ledger SET outcome = 'unknown' WHERE owner = ? AND task_id = ? AND outcome = 'pending'",
                (owner, task_id),
            )

    def rebuild(self, owner: str) -> int:
        """Once per owner: charges of the library's tasks recorded before there was a ledger; returns rows added."""
        with self.library.connect() as db:
            if db.execute("SELECT 1 FROM ledger_rebuilds WHERE owner = ?", (owner,)).fetchone():
                return 0
            db.execute(
                "INSERT INTO ledger_rebuilds (owner, rebuilt_at) VALUES (?, ?)", (owner, self._clock())
            )
            # A made song is named by its songs' titles, as settle() names it; a task without them by its label.
            tasks = db.execute(
                "SELECT task_id, model, call, params, label, status, created_at, (SELECT group_concat(title, ' / ')"
                " FROM (SELECT title FROM clips AS c WHERE c.owner = t.owner AND c.task_id = t.task_id"
                " AND c.title != '' ORDER BY c.created_at, c.rowid)) AS titles FROM tasks AS t"
                " WHERE owner = ? AND call != '' AND task_id NOT IN"
                " (SELECT task_id FROM ledger WHERE owner = ? AND task_id IS NOT NULL)",
                (owner, owner),
            ).fetchall()
            added = 0
            for task in tasks:
                params = _json(task["params"])
                try:
                    price = costs.estimate(task["call"], **params)
                except ValueError:
                    continue  # a call this price list does not know: nothing to say about its price
                if price <= 0:
                    continue
                status = task["status"] if task["status"] in ("completed", "failed") else "pending"
                write_charge(db, owner, task["created_at"], task["call"], params, price, model=task["model"],
                             task_id=task["task_id"], song=task["titles"] or task["label"], outcome=status)  # fmt: skip
                added += 1
        return added

    def frame(
        self, owner: str, *, start: date | None = None, end: date | None = None, text: str = ""
    ) -> pd.DataFrame:
        """The ledger, newest first, between two days (inclusive, UTC), rows matching `text` in what/song/task."""
        where, args = ["owner = :owner"], {"owner": owner}
        if start is not None:
            where.append("created_at >= :start")
            args["start"] = _day_start(start)
        if end is not None:
            where.append("created_at < :end")
            args["end"] = _day_start(end + timedelta(days=1))
        with self.library.connect() as db:
            db.row_factory = None
            rows = db.execute(f"SELECT {', '.join(_STORED)} FROM ledger WHERE {' AND '.join(where)} ORDER BY created_at DESC, entry_id DESC",
                              args).fetchall()  # fmt: skip
        return search(_frame_of(rows), text)

    def first_day(self, owner: str) -> date | None:
        """The day of the oldest charge, for the date range's start."""
        with self.library.connect() as db:
            first = db.execute("SELECT MIN(created_at) FROM ledger WHERE owner = ?", (owner,)).fetchone()[0]
        return None if first is None else datetime.fromtimestamp(first, UTC).date()


# Summaries of a ledger frame (plain data for the page).


def search(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The rows whose what, song or task id contain `text` (any case)."""
    text = text.strip().lower()
    if text and not frame.empty:
        haystack = frame["what"] + "\n" + frame["song"] + "\n" + frame["task_id"]
        frame = frame[haystack.str.lower().str.contains(text, regex=False)]
    return frame.reset_index(drop=True)


def totals(frame: pd.DataFrame) -> dict[str, int]:
    """Credits charged, refunded and spent (charged minus refunded)."""
    charged = int(frame["price"].sum())
    spent = int(frame["spent"].sum())
    return {"charged": charged, "refunded": charged - spent, "spent": spent}


def spend_over_time(frame: pd.DataFrame, by: str = "day") -> pd.DataFrame:
    """Credits per period and capability: charges positive, refunds negative (kind "refunded")."""
    columns = ["period", "capability", "kind", "credits"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    when = frame["when"].dt.tz_convert(None).dt.normalize()
    if by == "week":
        when = when - pd.to_timedelta(when.dt.day_of_week, unit="D")  # weeks start on Monday
    elif by != "day":
        raise ValueError(f"spend is shown by 'day' or 'week', not {by!r}.")
    charges = pd.DataFrame(
        {"period": when, "capability": frame["capability"], "kind": "charged", "credits": frame["price"]}
    )
    refunds = charges[frame["refunded"].to_numpy()].assign(kind="refunded", credits=lambda f: -f["credits"])
    grouped = (
        pd.concat([charges, refunds])
        .groupby(["period", "capability", "kind"], as_index=False)["credits"]
        .sum()
    )
    return grouped[columns].sort_values(["period", "capability", "kind"]).reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The rows as CSV with a header (a header alone when there are none), times in ISO 8601 UTC."""
    out = io.StringIO()
    shown = frame.loc[:, list(COLUMNS)].copy()
    shown["when"] = shown["when"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    shown.to_csv(out, index=False)
    return out.getvalue().encode()


def what_you_can_make(available: int | None) -> list[tuple[str, int, int]]:
    """(thing, price, how many the balance buys) for the main things credits buy; [] when the balance is unknown."""
    if available is None:
        return []
    return [(thing, price, available // price) for thing, call in MAKEABLE if (price := costs.estimate(call))]


def write_charge(db, owner: str, when: float, call: str, params: dict[str, Any], price: int, *, model: str,
                 task_id: str | None, song: str, outcome: str) -> None:
    """One ledger row in an open transaction (the bench seeds 10 000 rows in one)."""
    what, capability = describe_call(call, params)
    db.execute(
        "INSERT OR IGNORE INTO ledger (owner, created_at, call, what, capability, model, price, task_id, song,"
        " outcome, refunded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (owner, when, call, what, capability, model, price, task_id, song, outcome, int(outcome == "failed")),
    )


def _frame_of(rows: list[tuple]) -> pd.DataFrame:
    raw = pd.DataFrame.from_records(rows, columns=_STORED)
    refunded = raw["refunded"].astype(bool)
    price = raw["price"].astype(int)
    return pd.DataFrame({
        "when": pd.to_datetime(raw["created_at"], unit="s", utc=True),
        "what": raw["what"].astype(str),
        "song": raw["song"].astype(str),
        "price": price,
        "outcome": raw["outcome"].map(OUTCOMES).fillna(raw["outcome"]).astype(str),
        "refunded": refunded,
        "spent": price.where(~refunded, 0),
        "task_id": raw["task_id"].fillna("").astype(str),
        "capability": raw["capability"].astype(str),
    })  # fmt: skip


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _day_start(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
