"""SQLite state of the built-in server: keys, credit ledger, tasks, clips, files, personas, idempotency.

One connection guarded by a lock; every change that must be atomic (charge + task, fail + refund) runs
in one ``BEGIN IMMEDIATE`` transaction, so two servers on the same data directory stay consistent too.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import APIError, insufficient_credits
from .pricing import tier_named

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    key TEXT PRIMARY KEY, tier TEXT NOT NULL, credits_total INTEGER NOT NULL,
    credits_used INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT, api_key TEXT NOT NULL, amount INTEGER NOT NULL,
    reason TEXT NOT NULL, task_id TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY, api_key TEXT NOT NULL, model TEXT NOT NULL, kind TEXT NOT NULL,
    params TEXT NOT NULL, status TEXT NOT NULL, cost INTEGER NOT NULL, estimated_time REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, webhook_url TEXT, result TEXT, error TEXT,
    created_at REAL NOT NULL, started_at REAL, completed_at REAL, webhook_status TEXT, webhook_error TEXT);
CREATE INDEX IF NOT EXISTS tasks_by_key_status ON tasks (api_key, status);
CREATE TABLE IF NOT EXISTS clips (
    id TEXT PRIMARY KEY, alias TEXT UNIQUE, api_key TEXT NOT NULL, task_id TEXT, source TEXT NOT NULL,
    title TEXT NOT NULL, duration REAL NOT NULL, arrangement TEXT, metadata TEXT NOT NULL, lyrics TEXT,
    mp3_file TEXT NOT NULL, wav_file TEXT NOT NULL, video_file TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, api_key TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
    content_type TEXT NOT NULL, clip_id TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS personas (
    id TEXT PRIMARY KEY, api_key TEXT NOT NULL, name TEXT NOT NULL, profile TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, body BLOB NOT NULL, secret TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 0, task_id TEXT);
CREATE TABLE IF NOT EXISTS webhook_secrets (
    api_key TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    api_key TEXT NOT NULL, idem_key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
    body BLOB NOT NULL, content_type TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (api_key, idem_key));
"""

# Columns added after the first release: (table, column, declaration), added to older databases on open.
ADDED_COLUMNS = (
    ("tasks", "webhook_status", "TEXT"),
    ("tasks", "webhook_error", "TEXT"),
    ("webhooks", "task_id", "TEXT"),
    ("api_keys", "last_used_at", "REAL"),
    ("files", "removed_at", "REAL"),
)
KEY_TOUCH_SECONDS = 300  # a key's last use is written at most this often
ACTIVE = ("pending", "processing")
JSON_COLUMNS = ("params", "result", "error", "arrangement", "metadata", "profile")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _row(row: sqlite3.Row | None) -> dict | None:
    if row is None:
        return None
    data = dict(row)
    for name in JSON_COLUMNS:
        if data.get(name) is not None:
            data[name] = json.loads(data[name])
    return data


class Store:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.data_dir / "emulator.sqlite3", check_same_thread=False, isolation_level=None, timeout=30
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        for table, column, declaration in ADDED_COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, args=()) -> dict | None:
        with self._lock:
            return _row(self._db.execute(sql, args).fetchone())

    def _all(self, sql: str, args=()) -> list[dict]:
        with self._lock:
            return [_row(r) for r in self._db.execute(sql, args).fetchall()]

    # -- server secret -------------------------------------------------------------------------
    def secret(self) -> bytes:
        """The key that signs file links; kept in the database so links survive a restart."""
        with self._tx() as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'link_secret'").fetchone()
            if row:
                return bytes.fromhex(row[0])
            value = secrets.token_bytes(32)
            db.execute("INSERT INTO meta VALUES ('link_secret', ?)", (value.hex(),))
            return value

    # -- keys and credits ----------------------------------------------------------------------
    def create_key(self, tier: str = "free", credits: int = 500) -> str:
        tier_named(tier)
        if credits < 0:
            raise ValueError("credits must be zero or more.")
        key = "sk_" + secrets.token_hex(24)
        with self._tx() as db:
            db.execute(
                "INSERT INTO api_keys (key, tier, credits_total, credits_used, created_at) VALUES (?, ?, ?, 0, ?)",
                (key, tier, int(credits), time.time()),
            )
        return key

    def get_key(self, key: str) -> dict | None:
        return self._one("SELECT * FROM api_keys WHERE key = ?", (key,))

    def touch_key(self, row: dict, now: float | None = None) -> None:
        """Note that a key was used (what the disk clean-up goes by), at most every few minutes."""
        now = time.time() if now is None else now
        if (row.get("last_used_at") or 0) < now - KEY_TOUCH_SECONDS:
            with self._tx() as db:
                db.execute("UPDATE api_keys SET last_used_at = ? WHERE key = ?", (now, row["key"]))

    def keys_idle_since(self, moment: float) -> list[str]:
        """Keys not used since `moment` that still have files on disk, the longest idle first."""
        rows = self._all(
            "SELECT k.key FROM api_keys k WHERE COALESCE(k.last_used_at, k.created_at) < ?"
            " AND EXISTS (SELECT 1 FROM files f WHERE f.api_key = k.key AND f.removed_at IS NULL)"
            " ORDER BY COALESCE(k.last_used_at, k.created_at)",
            (moment,),
        )
        return [r["key"] for r in rows]

    def files_of_key(self, key: str) -> list[dict]:
        return self._all("SELECT * FROM files WHERE api_key = ? AND removed_at IS NULL", (key,))

    def mark_files_removed(self, key: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE files SET removed_at = ? WHERE api_key = ? AND removed_at IS NULL", (time.time(), key)
            )

    def _available(self, db, key: str) -> int:
        total, used = db.execute(
            "SELECT credits_total, credits_used FROM api_keys WHERE key = ?", (key,)
        ).fetchone()
        return total - used

    def _charge(self, db, key: str, amount: int, reason: str, task_id: str | None) -> None:
        available = self._available(db, key)
        if amount > available:
            raise insufficient_credits(amount, available)
        db.execute("UPDATE api_keys SET credits_used = credits_used + ? WHERE key = ?", (amount, key))
        db.execute(
            "INSERT INTO ledger (api_key, amount, reason, task_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (key, amount, reason, task_id, time.time()),
        )

    def _refund(self, db, key: str, amount: int, reason: str, task_id: str | None) -> None:
        db.execute("UPDATE api_keys SET credits_used = credits_used - ? WHERE key = ?", (amount, key))
        db.execute(
            "INSERT INTO ledger (api_key, amount, reason, task_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (key, -amount, reason, task_id, time.time()),
        )

    def charge(self, key: str, amount: int, reason: str) -> None:
        with self._tx() as db:
            self._charge(db, key, amount, reason, None)

    def refund(self, key: str, amount: int, reason: str) -> None:
        with self._tx() as db:
            self._refund(db, key, amount, reason, None)

    def ledger(self, key: str) -> list[dict]:
        return self._all("SELECT * FROM ledger WHERE api_key = ? ORDER BY id", (key,))

    # -- tasks ---------------------------------------------------------------------------------
    def start_task(
        self,
        key: str,
        *,
        model: str,
        kind: str,
        params: dict,
        cost: int,
        max_active: int,
        estimated_time: float,
        webhook_url: str | None,
    ) -> dict:
        """Check the concurrency cap and the balance, charge and record the task, all at once."""
        task_id = new_id("task")
        with self._tx() as db:
            active = db.execute(
                "SELECT COUNT(*) FROM tasks WHERE api_key = ? AND status IN (?, ?)", (key, *ACTIVE)
            ).fetchone()[0]
            if active >= max_active:
                raise APIError(
                    429,
                    "concurrent_task_limit",
                    f"This key already has {active} tasks running, the most its tier allows. "
                    "Wait for one to finish, then try again.",
                    {"limit": max_active, "retry_after": 5},
                    {"Retry-After": "5"},
                )
            self._charge(db, key, cost, f"{model}.{kind}", task_id)
            db.execute(
                "INSERT INTO tasks (id, api_key, model, kind, params, status, cost, estimated_time, webhook_url,"
                " webhook_status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                (
                    task_id,
                    key,
                    model,
                    kind,
                    json.dumps(params),
                    cost,
                    estimated_time,
                    webhook_url,
                    "waiting" if webhook_url else None,
                    time.time(),
                ),
            )
        return self.task(task_id)

    def task(self, task_id: str) -> dict | None:
        return self._one("SELECT * FROM tasks WHERE id = ?", (task_id,))

    def claim_task(self, task_id: str) -> dict | None:
        """Mark a pending task as processing; None when it is no longer pending."""
        with self._tx() as db:
            changed = db.execute(
                "UPDATE tasks SET status = 'processing', attempts = attempts + 1, started_at = ?"
                " WHERE id = ? AND status = 'pending'",
                (time.time(), task_id),
            ).rowcount
        return self.task(task_id) if changed else None

    def complete_task(self, task_id: str, result: dict) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE tasks SET status = 'completed', result = ?, completed_at = ? WHERE id = ?",
                (json.dumps(result), time.time(), task_id),
            )

    def fail_task(self, task_id: str, error: dict) -> None:
        """Fail a task and refund what it cost, in one transaction (once, even if called twice)."""
        with self._tx() as db:
            row = db.execute("SELECT api_key, cost, status FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if row is None or row["status"] not in ACTIVE:
                return
            db.execute(
                "UPDATE tasks SET status = 'failed', error = ?, completed_at = ? WHERE id = ?",
                (json.dumps(error), time.time(), task_id),
            )
            self._refund(db, row["api_key"], row["cost"], "refund: task failed", task_id)

    def requeue_interrupted(self, max_attempts: int) -> tuple[list[str], list[str]]:
        """After a restart: tasks left processing go back to pending, or fail if tried too often.

        Returns (ids to run, ids that must be failed).
        """
        with self._tx() as db:
            rows = db.execute("SELECT id, attempts FROM tasks WHERE status = 'processing'").fetchall()
            give_up = [r["id"] for r in rows if r["attempts"] >= max_attempts]
            retry = [r["id"] for r in rows if r["attempts"] < max_attempts]
            db.executemany("UPDATE tasks SET status = 'pending' WHERE id = ?", [(i,) for i in retry])
        pending = [
            r["id"] for r in self._all("SELECT id FROM tasks WHERE status = 'pending' ORDER BY created_at")
        ]
        return pending, give_up

    def tasks_ahead_of(self, task: dict) -> list[dict]:
        """Active tasks (of every key) that were queued before this one."""
        return self._all(
            "SELECT status, estimated_time, started_at FROM tasks WHERE status IN (?, ?) AND created_at < ?"
            " ORDER BY created_at",
            (*ACTIVE, task["created_at"]),
        )

    # -- clips, files, personas ----------------------------------------------------------------
    def add_file(self, key: str, path: str, name: str, content_type: str, clip_id: str | None = None) -> str:
        file_id = new_id("file")
        with self._tx() as db:
            db.execute(
                "INSERT INTO files (id, api_key, path, name, content_type, clip_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (file_id, key, path, name, content_type, clip_id, time.time()),
            )
        return file_id

    def file(self, file_id: str) -> dict | None:
        return self._one("SELECT * FROM files WHERE id = ?", (file_id,))

    def file_of_clip(self, clip_id: str, content_type: str) -> dict | None:
        return self._one(
            "SELECT * FROM files WHERE clip_id = ? AND content_type = ? ORDER BY created_at LIMIT 1",
            (clip_id, content_type),
        )

    def add_clip(self, clip: dict) -> None:
        columns = (
            "id",
            "alias",
            "api_key",
            "task_id",
            "source",
            "title",
            "duration",
            "arrangement",
            "metadata",
            "lyrics",
            "mp3_file",
            "wav_file",
            "video_file",
        )
        values = [
            json.dumps(clip.get(c)) if c in JSON_COLUMNS and clip.get(c) is not None else clip.get(c)
            for c in columns
        ]
        with self._tx() as db:
            db.execute(
                f"INSERT INTO clips ({', '.join(columns)}, created_at) VALUES ({', '.join('?' * len(columns))}, ?)",
                (*values, time.time()),
            )
            db.execute(
                "UPDATE files SET clip_id = ? WHERE id IN (?, ?, ?)",
                (clip["id"], clip["mp3_file"], clip["wav_file"], clip["video_file"]),
            )

    def clip(self, key: str, clip_id: str) -> dict | None:
        """A clip of this key by its id or its alias (an upload's audio_id)."""
        return self._one(
            "SELECT * FROM clips WHERE api_key = ? AND (id = ? OR alias = ?)", (key, clip_id, clip_id)
        )

    def add_persona(self, key: str, name: str, profile: dict) -> str:
        persona_id = new_id("persona")
        with self._tx() as db:
            db.execute(
                "INSERT INTO personas VALUES (?, ?, ?, ?, ?)",
                (persona_id, key, name, json.dumps(profile), time.time()),
            )
        return persona_id

    def persona(self, key: str, persona_id: str) -> dict | None:
        return self._one("SELECT * FROM personas WHERE api_key = ? AND id = ?", (key, persona_id))

    # -- webhook secrets and deliveries not yet made ----------------------------------------
    def webhook_secret(self, key: str) -> str:
        """The key's webhook signing secret (made on first use); never the API key itself."""
        with self._tx() as db:
            row = db.execute("SELECT secret FROM webhook_secrets WHERE api_key = ?", (key,)).fetchone()
            if row:
                return row[0]
            secret = "whsec_" + secrets.token_hex(24)
            db.execute("INSERT INTO webhook_secrets VALUES (?, ?, ?)", (key, secret, time.time()))
            return secret

    def rotate_webhook_secret(self, key: str) -> str:
        secret = "whsec_" + secrets.token_hex(24)
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO webhook_secrets VALUES (?, ?, ?)", (key, secret, time.time()))
        return secret

    def add_delivery(self, url: str, body: bytes, secret: str, task_id: str | None = None) -> int:
        with self._tx() as db:
            if task_id:
                db.execute("UPDATE tasks SET webhook_status = 'sending' WHERE id = ?", (task_id,))
            return db.execute(
                "INSERT INTO webhooks (url, body, secret, task_id) VALUES (?, ?, ?, ?)",
                (url, body, secret, task_id),
            ).lastrowid

    def record_attempt(self, delivery_id: int, attempt: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE webhooks SET attempt = ? WHERE id = ?", (attempt, delivery_id))

    def finish_delivery(self, delivery_id: int, task_id: str | None, status: str, error: str | None) -> None:
        """Drop a delivery that was made or given up, and say so on its task."""
        with self._tx() as db:
            db.execute("DELETE FROM webhooks WHERE id = ?", (delivery_id,))
            if task_id:
                db.execute(
                    "UPDATE tasks SET webhook_status = ?, webhook_error = ? WHERE id = ?",
                    (status, error, task_id),
                )

    def replace_api_key_secrets(self) -> int:
        """Deliveries queued by an older server were signed with the API key itself: sign them with the
        key's webhook secret instead, so no receiver ever needs the API key. Returns how many changed."""
        legacy = self._all("SELECT id, secret FROM webhooks WHERE secret NOT LIKE 'whsec_%'")
        for row in legacy:
            secret = self.webhook_secret(row["secret"])
            with self._tx() as db:
                db.execute("UPDATE webhooks SET secret = ? WHERE id = ?", (secret, row["id"]))
        return len(legacy)

    def deliveries(self) -> list[dict]:
        return self._all("SELECT * FROM webhooks ORDER BY id")

    # -- idempotency ---------------------------------------------------------------------------
    def idempotent_answer(self, key: str, idem_key: str, ttl_seconds: float) -> dict | None:
        with self._tx() as db:
            db.execute("DELETE FROM idempotency WHERE created_at < ?", (time.time() - ttl_seconds,))
            row = db.execute(
                "SELECT * FROM idempotency WHERE api_key = ? AND idem_key = ?", (key, idem_key)
            ).fetchone()
        return dict(row) if row else None

    def remember_answer(
        self, key: str, idem_key: str, fingerprint: str, status: int, body: bytes, content_type: str
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, idem_key, fingerprint, status, body, content_type, time.time()),
            )
