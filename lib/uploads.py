"""A person's own audio: checked on this machine before any request, uploaded once, kept as a Library clip.

The checks (decodes, not empty or silent, within the API's size and length caps) run before anything is
sent, so a bad file costs no request. The same bytes are never uploaded twice to the same route: a sha256 of
the file finds the earlier upload. An upload becomes a clip of model "upload" with its audio cached as mp3.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from dataclasses import dataclass
from pathlib import PurePath

from lib import audio
from lib.store import ClipRecord, Library, check_id, check_owner, write_atomically

MAX_UPLOAD_BYTES = audio.DEFAULT_MAX_UPLOAD_BYTES  # the API's upload size cap
MAX_UPLOAD_SECONDS = 8 * 60  # the API's upload length cap
MIN_UPLOAD_SECONDS = 1.0
SILENCE_DBFS = -60.0  # quieter than this all the way through is silence
ROUTES = ("suno", "producer")  # suno.upload_music or producer.upload_music
UPLOAD_MODEL = "upload"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS uploads (
    owner TEXT NOT NULL,
    digest TEXT NOT NULL,
    route TEXT NOT NULL,
    clip_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, digest, route)
);
"""


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check: what to send, and what the library keeps of it."""

    data: bytes
    filename: str
    fmt: str
    seconds: float
    digest: str
    mp3: bytes  # the audio as mp3, for the cache and the players

    @property
    def title(self) -> str:
        return PurePath(self.filename).stem or "My upload"


def check_upload(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_seconds: float = MAX_UPLOAD_SECONDS,
) -> CheckedUpload:
    """The file, checked; ValueError with one sentence naming the file and what to do otherwise."""
    name = filename or "The file"
    fmt = audio.sniff_audio(data, name, max_bytes=max_bytes)
    try:
        segment = audio.decode(data, fmt)
    except ValueError:
        raise ValueError(
            f"{name} could not be read as audio; it may be damaged, or not really {fmt.upper()}."
        ) from None
    seconds = len(segment) / 1000.0
    if seconds > max_seconds:
        raise ValueError(
            f"{name} lasts {seconds / 60:.0f} minutes; the most an upload may last is {max_seconds / 60:g} "
            "minutes, so trim it first."
        )
    if seconds < MIN_UPLOAD_SECONDS:
        raise ValueError(f"{name} lasts less than a second; upload a longer recording.")
    if segment.max_dBFS < SILENCE_DBFS:
        raise ValueError(f"{name} is silent; upload a recording with sound in it.")
    mp3 = io.BytesIO()
    segment.export(mp3, format="mp3", bitrate="192k")
    return CheckedUpload(data, filename, fmt, seconds, hashlib.sha256(data).hexdigest(), mp3.getvalue())


class Uploads:
    """The uploads of a library: which file (by hash) became which clip, per upload route."""

    def __init__(self, library: Library):
        self.library = library
        library.ensure_schema(_SCHEMA)

    def earlier(self, owner: str, digest: str, route: str) -> ClipRecord | None:
        """The clip an upload of the same bytes to the same route became, if it is still in the library."""
        with self.library.connect() as db:
            row = db.execute(
                "SELECT clip_id FROM uploads WHERE owner = ? AND digest = ? AND route = ?",
                (owner, digest, route),
            ).fetchone()
        return self.library.clip(owner, row[0]) if row else None

    def record(self, owner: str, checked: CheckedUpload, *, route: str, audio_id: str) -> ClipRecord:
        """Keep an accepted upload as a Library clip (model "upload") with its audio cached."""
        if route not in ROUTES:
            raise ValueError(f"{route!r} is not an upload route ({', '.join(ROUTES)}).")
        now = time.time()
        metadata = {"route": route, "format": checked.fmt, "filename": checked.filename, "source": "upload"}
        path = self.library.audio_dir / check_owner(owner) / f"{check_id(audio_id)}.mp3"
        with self.library.connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO clips (owner, clip_id, task_id, model, title, prompt, duration, metadata,"
                " audio_url, video_url, audio_path, audio_bytes, created_at)"
                " VALUES (?, ?, ?, ?, ?, '', ?, ?, NULL, NULL, ?, ?, ?)",
                (
                    owner, audio_id, f"upload-{route}", UPLOAD_MODEL, checked.title, round(checked.seconds, 3),
                    json.dumps(metadata), str(path), len(checked.mp3), now,
                ),
            )  # fmt: skip
            db.execute(
                "INSERT OR REPLACE INTO uploads (owner, digest, route, clip_id, created_at) VALUES (?, ?, ?, ?, ?)",
                (owner, checked.digest, route, audio_id, now),
            )
        write_atomically(path, checked.mp3)
        return self.library.clip(owner, audio_id)

    def routes(self, owner: str) -> dict[str, str]:
        """clip id -> the route each upload went through (a Producer edit needs a Producer upload)."""
        with self.library.connect() as db:
            rows = db.execute("SELECT clip_id, route FROM uploads WHERE owner = ?", (owner,)).fetchall()
        return {clip_id: route for clip_id, route in rows}
