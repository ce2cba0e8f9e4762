"""The library: every submitted task and every clip, in SQLite, with the clips' audio cached on disk.

What a person paid credits for is never lost: a reload, a restart or an expired link leaves the rows and the
cached audio in place. Every method takes the owner (see lib.workspace.owner_id) and only ever touches that
owner's rows. One SQLite connection per call, so a Library can be shared by Streamlit's threads.
"""

import json
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from lib.audio import format_size, zip_files

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_CACHE_BYTES = 5 * 1024 * 1024 * 1024

# Request fields that hold what the person asked for, most telling first: the clip's "prompt" in the library.
PROMPT_FIELDS = ("description", "prompt", "instrumental_description", "voice_description", "style", "lyrics")
UNFINISHED = ("pending", "processing")
EXPORT_EXTENSIONS = ("wav", "mid")

# What feature modules keep per clip beside it (lib/stems.py: its stems) goes with the clip: each module
# appends a hook(library, owner, clip_id) here when imported.
CLIP_DELETE_HOOKS: list[Callable[["Library", str, str], None]] = []

_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
# Columns added after the first release, added to an older library when it is opened: (table, column, type).
_ADDED_COLUMNS = (("clips", "expired_at", "REAL"),)
MISSING_LIST = "MISSING.txt"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    owner TEXT NOT NULL,
    task_id TEXT NOT NULL,
    model TEXT NOT NULL,
    call TEXT NOT NULL,
    params TEXT NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER,
    error TEXT,
    result TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (owner, task_id)
);
CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks (owner, status);
CREATE INDEX IF NOT EXISTS tasks_by_call ON tasks (owner, call, updated_at);
CREATE TABLE IF NOT EXISTS clips (
    owner TEXT NOT NULL,
    clip_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    model TEXT NOT NULL,
    title TEXT NOT NULL,
    prompt TEXT NOT NULL,
    duration REAL,
    metadata TEXT NOT NULL,
    audio_url TEXT,
    video_url TEXT,
    audio_path TEXT,
    audio_bytes INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, clip_id)
);
CREATE INDEX IF NOT EXISTS clips_by_created ON clips (owner, created_at);
CREATE INDEX IF NOT EXISTS clips_by_task ON clips (owner, task_id);
CREATE TABLE IF NOT EXISTS workspaces (
    workspace_id TEXT PRIMARY KEY,
    demo_key TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""

# One row per clip, plus one row per task that has no clip yet (pending, processing, failed), so the Library
# shows what is on its way and what went wrong next to what is done.
_FRAME_SQL = """
SELECT * FROM (
    SELECT c.clip_id, c.task_id, c.title, c.model, COALESCE(t.call, '') AS call, c.prompt, c.duration,
           CASE WHEN c.expired_at IS NOT NULL THEN 'expired' ELSE COALESCE(t.status, 'completed') END AS status,
           NULL AS error, COALESCE(t.label, '') AS label,
           c.audio_path IS NOT NULL AS cached, c.created_at
    FROM clips c LEFT JOIN tasks t ON t.owner = c.owner AND t.task_id = c.task_id
    WHERE c.owner = :owner
    UNION ALL
    SELECT NULL, t.task_id, t.label, t.model, t.call, '', NULL, t.status,
           json_extract(t.error, '$.message'), t.label, 0, t.created_at
    FROM tasks t
    WHERE t.owner = :owner AND t.status != 'completed'
)
"""
FRAME_COLUMNS = (
    "clip_id", "task_id", "title", "model", "call", "prompt", "duration",
    "status", "error", "label", "cached", "created_at",
)  # fmt: skip


def default_data_dir() -> Path:
    """`AIMUSIC_DATA_DIR`, or `.data/` in the repository (git-ignored)."""
    return Path(os.environ.get("AIMUSIC_DATA_DIR") or REPO_ROOT / ".data")


@dataclass(frozen=True)
class TaskRecord:
    task_id: str
    model: str
    call: str
    params: dict[str, Any]
    label: str
    status: str
    progress: int | None
    error: dict[str, Any] | None
    result: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_pending(self) -> bool:
        return self.status in UNFINISHED

    @property
    def error_message(self) -> str:
        return (self.error or {}).get("message") or ""


@dataclass(frozen=True)
class ClipRecord:
    clip_id: str
    task_id: str
    model: str
    title: str
    prompt: str
    duration: float | None
    audio_url: str | None
    video_url: str | None
    audio_path: Path | None
    created_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)
    # The server removed the audio for good before it was cached (a demo's disk cap, a reset engine).
    expired: bool = False

    @property
    def cached(self) -> bool:
        return self.audio_path is not None and self.audio_path.is_file()


class _IdleConnections:
    """Connections to one file between transactions: a few at most, shared by threads one at a time, all
    dropped when the file is replaced (another file at the same path has another inode)."""

    KEPT = 4

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._inode: int | None = None

    def take(self, path: Path) -> sqlite3.Connection:
        try:
            inode = path.stat().st_ino
        except FileNotFoundError:
            inode = None
        with self._lock:
            if inode != self._inode:
                stale, self._connections, self._inode = self._connections, [], inode
            else:
                stale = []
            db = self._connections.pop() if self._connections else None
        for old in stale:
            old.close()
        if db is None:
            db = sqlite3.connect(path, timeout=10, check_same_thread=False)
        db.row_factory = sqlite3.Row  # a transaction may have set another
        return db

    def give(self, db: sqlite3.Connection) -> None:
        with self._lock:
            if len(self._connections) < self.KEPT:
                self._connections.append(db)
                return
        db.close()


class Library:
    """Tasks and clips of every owner in one SQLite file; audio in `audio_dir/<owner>/<clip_id>.mp3`."""

    def __init__(
        self,
        db_path: str | Path,
        audio_dir: str | Path,
        *,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_cache_bytes: int = DEFAULT_MAX_CACHE_BYTES,
        clock: Callable[[], float] = time.time,
    ):
        self.db_path = Path(db_path)
        self.audio_dir = Path(audio_dir)
        self.max_file_bytes = max_file_bytes
        self.max_cache_bytes = max_cache_bytes
        self._clock = clock
        self._idle = _IdleConnections()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            for table, column, kind in _ADDED_COLUMNS:
                if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def now(self) -> float:
        """The library's clock (injectable for tests), so feature modules date rows the same way."""
        return self._clock()

    def ensure_schema(self, sql: str) -> None:
        """Create the tables a feature module keeps beside tasks and clips (CREATE ... IF NOT EXISTS)."""
        with self.connect() as db:
            db.executescript(sql)

    @classmethod
    def default(cls) -> "Library":
        data_dir = default_data_dir()
        return cls(data_dir / "library.db", data_dir / "audio")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction (rows as sqlite3.Row), committed on success.

        Connections are kept for the next transaction: a new one reads and parses the whole schema on its
        first statement (tables, indexes, the revision triggers), ten times the cost of a lookup by key, and
        a page rerun makes several. A connection that saw an error is closed, not kept.
        """
        db = self._idle.take(self.db_path)
        try:
            with db:
                yield db
        except BaseException:
            db.close()
            raise
        self._idle.give(db)

    # Tasks

    def record_submission(
        self, owner: str, task, *, model: str, call: str, params: dict[str, Any], label: str = ""
    ) -> TaskRecord:
        """Remember a task the moment it was submitted, with what it was asked (for re-runs)."""
        now = self._clock()
        with self.connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO tasks (owner, task_id, model, call, params, label, status, progress,"
                " error, result, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
                (
                    check_owner(owner), task.task_id, model, call, json.dumps(params, default=str),
                    label or _prompt_of(params)[:80], task.status, task.progress, now, now,
                ),
            )  # fmt: skip
        self._store_state(owner, task)
        return self.task(owner, task.task_id)

    def record_update(self, owner: str, task) -> list[ClipRecord]:
        """Store a polled task's status; returns the clips this update completed (empty if already known)."""
        record = self.task(owner, task.task_id)
        if record is None:
            model = next((c.metadata.get("model") for c in task.clips if c.metadata.get("model")), "")
            record = self.record_submission(owner, task, model=model, call="", params={})
        self._store_state(owner, task)
        if task.status != "completed":
            return []
        now = self._clock()
        prompt = _prompt_of(record.params)
        new_ids = []
        with self.connect() as db:
            for clip in task.clips:
                inserted = db.execute(
                    "INSERT OR IGNORE INTO clips (owner, clip_id, task_id, model, title, prompt, duration, metadata,"
                    " audio_url, video_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        owner, clip.id, task.task_id, record.model or clip.metadata.get("model", ""),
                        clip.title or record.label or "Untitled", prompt or _prompt_of(clip.metadata),
                        clip.duration, json.dumps(clip.metadata, default=str), clip.audio_url, clip.video_url, now,
                    ),
                ).rowcount  # fmt: skip
                if inserted:
                    new_ids.append(clip.id)
                elif clip.audio_url:  # links expire: keep the freshest the server gave
                    db.execute(
                        "UPDATE clips SET audio_url = ?, video_url = COALESCE(?, video_url)"
                        " WHERE owner = ? AND clip_id = ?",
                        (clip.audio_url, clip.video_url, owner, clip.id),
                    )
        return [self.clip(owner, clip_id) for clip_id in new_ids]

    def _store_state(self, owner: str, task) -> None:
        error = task.error
        error_json = (
            json.dumps({"code": error.code, "message": error.message, "details": error.details}, default=str)
            if error is not None
            else None
        )
        with self.connect() as db:
            db.execute(
                "UPDATE tasks SET status = ?, progress = ?, error = ?, result = ?, updated_at = ?"
                " WHERE owner = ? AND task_id = ?",
                (
                    task.status, task.progress, error_json, json.dumps(task.raw, default=str),
                    self._clock(), check_owner(owner), task.task_id,
                ),
            )  # fmt: skip

    def task(self, owner: str, task_id: str) -> TaskRecord | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT * FROM tasks WHERE owner = ? AND task_id = ?", (owner, task_id)
            ).fetchone()
        return _task_record(row) if row else None

    def task_params(self, owner: str, task_id: str) -> dict[str, Any] | None:
        """The request fields a task was submitted with, to re-run it with the same prompt."""
        record = self.task(owner, task_id)
        return dict(record.params) if record else None

    def pending_tasks(self, owner: str) -> list[TaskRecord]:
        """Tasks still running, oldest first: what the tray resumes after a reload or restart."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM tasks WHERE owner = ? AND status IN (?, ?) ORDER BY created_at",
                (owner, *UNFINISHED),
            ).fetchall()
        return [_task_record(row) for row in rows]

    def results_for(self, owner: str, call_prefix: str, *, limit: int = 20) -> list[TaskRecord]:
        """Recent finished tasks whose call starts with `call_prefix` (e.g. "suno.stems"), newest first."""
        pattern = escape_like(call_prefix) + "%"
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM tasks WHERE owner = ? AND call LIKE ? ESCAPE '\\' AND status IN ('completed', 'failed')"
                " ORDER BY updated_at DESC LIMIT ?",
                (owner, pattern, limit),
            ).fetchall()
        return [_task_record(row) for row in rows]

    # Clips

    def clip(self, owner: str, clip_id: str) -> ClipRecord | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT * FROM clips WHERE owner = ? AND clip_id = ?", (owner, clip_id)
            ).fetchone()
        return _clip_record(row) if row else None

    def clips_frame(
        self,
        owner: str,
        *,
        text: str = "",
        models: Iterable[str] = (),
        statuses: Iterable[str] = (),
        since: datetime | date | float | None = None,
    ) -> pd.DataFrame:
        """The Library table: clips and unfinished or failed tasks, newest first, filtered in one query."""
        where, args = [], {"owner": owner}
        if text.strip():
            args["text"] = "%" + escape_like(text.strip()) + "%"
            where.append(
                "(title LIKE :text ESCAPE '\\' OR prompt LIKE :text ESCAPE '\\' OR label LIKE :text ESCAPE '\\')"
            )
        for column, values in (("model", models), ("status", statuses)):
            values = list(values)
            if values:
                names = [f":{column}{i}" for i in range(len(values))]
                args.update(zip((n[1:] for n in names), values, strict=True))
                where.append(f"{column} IN ({', '.join(names)})")
        if since is not None:
            args["since"] = _epoch(since)
            where.append("created_at >= :since")
        sql = _FRAME_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created_at DESC"
        with self.connect() as db:
            db.row_factory = None  # plain tuples: the frame needs no names per row
            rows = db.execute(sql, args).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=FRAME_COLUMNS)
        frame["cached"] = frame["cached"].astype(bool)
        frame["duration"] = frame["duration"].astype(float)
        frame["created_at"] = pd.to_datetime(frame["created_at"], unit="s", utc=True)
        return frame

    def cache_audio(self, owner: str, clip_id: str, fetch: Callable[[str], bytes]) -> Path:
        """The clip's audio on disk, fetched from its link once (atomic write), then served from the cache."""
        record = self.clip(owner, clip_id)
        if record is None:
            raise ValueError(f"There is no clip {clip_id!r} in this library.")
        if record.cached:
            return record.audio_path
        if not record.audio_url:
            raise ValueError(f"The clip {record.title!r} has no audio link to download.")
        data = fetch(record.audio_url)
        if len(data) > self.max_file_bytes:
            raise ValueError(
                f"The audio of {record.title!r} is {format_size(len(data))}, over the library's limit of "
                f"{format_size(self.max_file_bytes)} per file; it was not saved."
            )
        used = self._cached_bytes()
        if used + len(data) > self.max_cache_bytes:
            raise ValueError(
                f"The audio cache is full ({format_size(used)} of {format_size(self.max_cache_bytes)}); delete some clips "
                "from the Library to make room."
            )
        path = self.audio_dir / owner / f"{check_id(clip_id)}.mp3"
        write_atomically(path, data)
        with self.connect() as db:
            db.execute(
                "UPDATE clips SET audio_path = ?, audio_bytes = ? WHERE owner = ? AND clip_id = ?",
                (str(path), len(data), owner, clip_id),
            )
        return path

    def mark_expired(self, owner: str, clip_id: str) -> None:
        """The server no longer has this clip's audio and none was cached: the Library row says expired."""
        with self.connect() as db:
            db.execute(
                "UPDATE clips SET expired_at = ? WHERE owner = ? AND clip_id = ? AND audio_path IS NULL",
                (self._clock(), check_owner(owner), clip_id),
            )

    def uncached_clips(self, owner: str, limit: int = 20) -> list[ClipRecord]:
        """Clips whose audio is not on disk yet and not expired, oldest first: what still needs fetching."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT * FROM clips WHERE owner = ? AND audio_path IS NULL AND expired_at IS NULL"
                " ORDER BY created_at LIMIT ?",
                (check_owner(owner), limit),
            ).fetchall()
        return [_clip_record(row) for row in rows]

    def _cached_bytes(self) -> int:
        with self.connect() as db:
            return db.execute("SELECT COALESCE(SUM(audio_bytes), 0) FROM clips").fetchone()[0]

    def export_path(self, owner: str, clip_id: str, ext: str) -> Path:
        """Where a paid export (WAV or MIDI) of a clip is kept, beside its cached mp3, so it is paid for once."""
        if ext not in EXPORT_EXTENSIONS:
            raise ValueError(f"{ext!r} is not an export this library keeps ({', '.join(EXPORT_EXTENSIONS)}).")
        return self.audio_dir / check_owner(owner) / f"{check_id(clip_id)}.{ext}"

    def save_export(self, owner: str, clip_id: str, ext: str, data: bytes) -> Path:
        path = self.export_path(owner, clip_id, ext)
        if len(data) > self.max_file_bytes:
            raise ValueError(
                f"The {ext.upper()} file is {format_size(len(data))}, over the library's limit of "
                f"{format_size(self.max_file_bytes)} per file; it was not saved."
            )
        write_atomically(path, data)
        return path

    def delete_clip(self, owner: str, clip_id: str) -> bool:
        """Remove a clip, its cached audio, its exports and what features keep for it; False when this owner has no such clip."""
        record = self.clip(owner, clip_id)
        if record is None:
            return False
        with self.connect() as db:
            db.execute("DELETE FROM clips WHERE owner = ? AND clip_id = ?", (owner, clip_id))
        if record.audio_path is not None:
            record.audio_path.unlink(missing_ok=True)
        for ext in EXPORT_EXTENSIONS:
            self.export_path(owner, clip_id, ext).unlink(missing_ok=True)
        for hook in CLIP_DELETE_HOOKS:
            hook(self, owner, clip_id)
        return True

    def zip_clips(
        self,
        owner: str,
        clip_ids: Iterable[str],
        fetch: Callable[[str], bytes] | None = None,
        *,
        cache_clip: Callable[[str], Path] | None = None,
    ) -> bytes:
        """A zip of the clips' mp3 files named after their titles. Uncached ones are cached with `cache_clip`
        (clip id -> path), or fetched from their stored link with `fetch`; a clip that still cannot be had is
        named, with the reason, in MISSING.txt inside the zip: nothing is left out silently."""
        named, missing = [], []
        for clip_id in clip_ids:
            record = self.clip(owner, clip_id)
            if record is None:
                missing.append(f"{clip_id}: there is no such clip in this library.")
                continue
            try:
                if not record.cached:
                    if cache_clip is not None:
                        cache_clip(clip_id)
                    elif fetch is not None:
                        self.cache_audio(owner, clip_id, fetch)
                    else:
                        raise ValueError("its audio is not downloaded yet; open it and try again.")
                    record = self.clip(owner, clip_id)
                named.append((f"{record.title}.mp3", record.audio_path.read_bytes()))
            except Exception as error:  # noqa: BLE001 (each clip's failure is named, the others still zip)
                missing.append(f"{record.title} ({clip_id}): {error}")
        if missing:
            note = "These songs are not in this zip:\n" + "\n".join(missing) + "\n"
            named.append((MISSING_LIST, note.encode("utf-8")))
        return zip_files(named)

    # Built-in workspaces (see lib.workspace)

    def demo_key(self, workspace_id: str) -> str | None:
        with self.connect() as db:
            row = db.execute(
                "SELECT demo_key FROM workspaces WHERE workspace_id = ?", (workspace_id,)
            ).fetchone()
        return row[0] if row else None

    def workspaces_created_within(self, seconds: float) -> int:
        """How many built-in workspaces were started in the last `seconds` (the demo caps count them)."""
        since = self._clock() - seconds
        with self.connect() as db:
            return db.execute("SELECT COUNT(*) FROM workspaces WHERE created_at >= ?", (since,)).fetchone()[0]

    def remember_demo_key(self, workspace_id: str, key: str) -> None:
        """Map a workspace to its built-in engine key (replacing an old one, e.g. after the engine was reset)."""
        with self.connect() as db:
            db.execute(
                "INSERT INTO workspaces (workspace_id, demo_key, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (workspace_id) DO UPDATE SET demo_key = excluded.demo_key",
                (workspace_id, key, self._clock()),
            )


def _prompt_of(fields: dict[str, Any]) -> str:
    return next((str(fields[name]) for name in PROMPT_FIELDS if fields.get(name)), "")


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _epoch(moment: datetime | date | float) -> float:
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp()
    return float(moment)


def check_owner(owner: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", owner or ""):
        raise ValueError("The library owner must be made with lib.workspace.owner_id (a sha256 hex digest).")
    return owner


def check_id(clip_id: str) -> str:
    if not _SAFE_ID.fullmatch(clip_id):
        raise ValueError(f"{clip_id!r} is not a clip id this library can store.")
    return clip_id


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _task_record(row: sqlite3.Row) -> TaskRecord:
    return TaskRecord(
        task_id=row["task_id"],
        model=row["model"],
        call=row["call"],
        params=json.loads(row["params"]),
        label=row["label"],
        status=row["status"],
        progress=row["progress"],
        error=json.loads(row["error"]) if row["error"] else None,
        result=json.loads(row["result"]) if row["result"] else None,
        created_at=_when(row["created_at"]),
        updated_at=_when(row["updated_at"]),
    )


def _clip_record(row: sqlite3.Row) -> ClipRecord:
    return ClipRecord(
        clip_id=row["clip_id"],
        task_id=row["task_id"],
        model=row["model"],
        title=row["title"],
        prompt=row["prompt"],
        duration=row["duration"],
        audio_url=row["audio_url"],
        video_url=row["video_url"],
        audio_path=Path(row["audio_path"]) if row["audio_path"] else None,
        created_at=_when(row["created_at"]),
        metadata=json.loads(row["metadata"]),
        expired=row["expired_at"] is not None,
    )
