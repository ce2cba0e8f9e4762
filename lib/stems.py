"""Stems kept by the library: which stems a song was split into, their links, and their files on disk.

A split is paid for once: its stems are rows of the `stems` table (beside clips) and mp3 files under
`<audio dir>/<owner>/stems/<clip_id>/<kind>/`, deleted with their song. A stem whose file went missing or
bad is fetched again from its link; an expired link is renewed by asking the server for the task again.
"""

from __future__ import annotations

import functools
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lib import store
from lib.audio import sniff_audio, zip_files
from lib.errors import LinkExpiredError, NotFoundError
from lib.mixing import Settings, decode_all, decoded_path, gains, settings_to_json, wav_layout
from lib.models import Task
from lib.store import ClipRecord, Library
from lib.text import file_stem

KINDS = ("basic", "full")
MIX = "mix"  # the model and the call of a mix kept in the Library: made here, from a song's stems
CALLS = {"basic": "suno.stems_basic", "full": "suno.stems_full"}
# Whole-song stems the server adds to the parts: the mixer offers the parts, these are for listening/taking.
WHOLE_SONG = ("mix", "background")
# Parts in the order a person reads a mixing desk: voices, rhythm, harmony, the rest.
ORDER = (
    "vocals", "lead_vocals", "backing_vocals", "drums", "bass", "piano", "guitar", "synth", "strings",
    "brass", "other", "instrumental", "background", "mix",
)  # fmt: skip

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stems (
    owner TEXT NOT NULL,
    clip_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    task_id TEXT NOT NULL,
    url TEXT NOT NULL,
    approximate INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (owner, clip_id, kind, name)
);
"""

Fetch = Callable[[str], bytes]
Renew = Callable[[str], Task]  # task id -> the task again, with fresh links


@dataclass(frozen=True)
class Stem:
    name: str
    url: str
    path: Path
    size: int  # bytes of the kept file; 0 until it is downloaded

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def healthy(self) -> bool:
        """Downloaded, whole (the size it had when kept) and audio by its first bytes: a stat per rerun, the
        first bytes read once per version of the file."""
        try:
            stat = self.path.stat()
        except OSError:
            return False
        if not self.size or stat.st_size != self.size:
            return False
        return _starts_as_audio(str(self.path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _starts_as_audio(path: str, inode: int, modified_ns: int, size: int) -> bool:
    try:
        with open(path, "rb") as f:
            sniff_audio(f.read(16) or b"", path, max_bytes=size)
        return True
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class StemSet:
    """The stems one split of one song gave."""

    clip_id: str
    kind: str
    task_id: str
    approximate: bool
    stems: tuple[Stem, ...]

    @property
    def parts(self) -> tuple[Stem, ...]:
        """The stems a mixer adds up (the whole-song ones would count everything twice)."""
        return tuple(s for s in self.stems if s.name not in WHOLE_SONG)

    @property
    def whole_song(self) -> tuple[Stem, ...]:
        return tuple(s for s in self.stems if s.name in WHOLE_SONG)

    @property
    def ready(self) -> bool:
        return all(s.healthy for s in self.stems)

    def stem(self, name: str) -> Stem:
        return next(s for s in self.stems if s.name == name)


def links_of(task: Task) -> dict[str, str]:
    """Stem name -> link, from a finished stems task (basic answers two fields, full a `stems` object)."""
    if task.stems:
        return dict(task.stems)
    return {
        n: url for n, url in (("vocals", task.vocals_url), ("instrumental", task.instrumental_url)) if url
    }


def kind_of(call: str) -> str | None:
    return next((kind for kind, name in CALLS.items() if name == call), None)


class StemShelf:
    """The library's stems (a table of its own and files beside the audio cache)."""

    def __init__(self, library: Library):
        self.library = library
        library.ensure_schema(_SCHEMA)

    def folder(self, owner: str, clip_id: str, kind: str | None = None) -> Path:
        base = self.library.audio_dir / store.check_owner(owner) / "stems" / store.check_id(clip_id)
        return base / kind if kind else base

    def keep(self, owner: str, clip_id: str, kind: str, task: Task) -> StemSet:
        """Record the stems of a finished task (their links; files come with `download`)."""
        if kind not in KINDS:
            raise ValueError(f"{kind!r} is not a kind of stems ({', '.join(KINDS)}).")
        links = links_of(task)
        if not links:
            raise ValueError("The server finished the split but gave no stems.")
        approximate = bool(task.raw.get("approximate"))
        now = self.library.now()
        with self.library.connect() as db:
            db.execute(
                "DELETE FROM stems WHERE owner = ? AND clip_id = ? AND kind = ?", (owner, clip_id, kind)
            )
            db.executemany(
                "INSERT INTO stems (owner, clip_id, kind, name, task_id, url, approximate, bytes, position,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                [
                    (owner, clip_id, kind, name, task.task_id, url, approximate, _position(name), now)
                    for name, url in links.items()
                ],
            )
        return self.get(owner, clip_id, kind)

    def get(self, owner: str, clip_id: str, kind: str) -> StemSet | None:
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT * FROM stems WHERE owner = ? AND clip_id = ? AND kind = ? ORDER BY position, name",
                (owner, clip_id, kind),
            ).fetchall()
        if not rows:
            return None
        folder = self.folder(owner, clip_id, kind)
        stems = tuple(Stem(r["name"], r["url"], folder / f"{_safe(r['name'])}.mp3", r["bytes"]) for r in rows)
        return StemSet(clip_id, kind, rows[0]["task_id"], bool(rows[0]["approximate"]), stems)

    def kinds(self, owner: str, clip_id: str) -> list[str]:
        """The kinds of split this song has had."""
        with self.library.connect() as db:
            rows = db.execute(
                "SELECT DISTINCT kind FROM stems WHERE owner = ? AND clip_id = ?", (owner, clip_id)
            ).fetchall()
        return [r["kind"] for r in rows]

    def download(self, owner: str, stem_set: StemSet, fetch: Fetch, renew: Renew) -> StemSet:
        """Every stem on disk and whole: missing or damaged ones fetched again (links renewed if expired)."""
        links: dict[str, str] | None = None
        for stem in stem_set.stems:
            if stem.healthy:
                continue
            try:
                data = fetch(stem.url)
            except (LinkExpiredError, NotFoundError):
                if links is None:
                    links = links_of(renew(stem_set.task_id))
                    self._relink(owner, stem_set, links)
                if stem.name not in links:
                    raise ValueError(f"The server no longer has the {stem.label.lower()} stem.") from None
                data = fetch(links[stem.name])
            self._save(owner, stem_set, stem, data)
        return self.get(owner, stem_set.clip_id, stem_set.kind)

    def discard(self, owner: str, stem: Stem) -> None:
        """Forget a stem's file (it did not decode), so the next `download` fetches it again."""
        stem.path.unlink(missing_ok=True)
        decoded_path(stem.path).unlink(missing_ok=True)

    def _save(self, owner: str, stem_set: StemSet, stem: Stem, data: bytes) -> None:
        sniff_audio(data, f"The {stem.label.lower()} stem", max_bytes=self.library.max_file_bytes)
        decoded_path(stem.path).unlink(missing_ok=True)  # decoded from the old file
        store.write_atomically(stem.path, data)
        with self.library.connect() as db:
            db.execute(
                "UPDATE stems SET bytes = ? WHERE owner = ? AND clip_id = ? AND kind = ? AND name = ?",
                (len(data), owner, stem_set.clip_id, stem_set.kind, stem.name),
            )

    def _relink(self, owner: str, stem_set: StemSet, links: dict[str, str]) -> None:
        with self.library.connect() as db:
            db.executemany(
                "UPDATE stems SET url = ? WHERE owner = ? AND clip_id = ? AND kind = ? AND name = ?",
                [(url, owner, stem_set.clip_id, stem_set.kind, name) for name, url in links.items()],
            )

    def forget(self, owner: str, clip_id: str) -> None:
        """Delete a song's stems (rows and files)."""
        with self.library.connect() as db:
            db.execute("DELETE FROM stems WHERE owner = ? AND clip_id = ?", (owner, clip_id))
        shutil.rmtree(self.folder(owner, clip_id), ignore_errors=True)

    def keep_mix(
        self, owner: str, source: ClipRecord, stem_set: StemSet, settings: Settings, wav: Path, mp3: bytes
    ) -> ClipRecord:
        """A rendered mix as a new Library song (model "mix"), remembering its source and settings so it can
        be made again; its WAV is kept as the song's WAV export."""
        mix_id = f"mix_{uuid.uuid4().hex[:20]}"
        title = f"{source.title or 'Untitled'} (my mix)"
        params = {"song_id": source.clip_id, "kind": stem_set.kind, "settings": settings_to_json(settings)}
        self.library.record_submission(
            owner, Task(mix_id, "pending"), model=MIX, call=MIX, params=params, label=title
        )
        clip = {
            "id": mix_id, "audio_url": f"{MIX}:{mix_id}", "title": title,
            "duration": round(wav_seconds(wav), 2),
            "metadata": {"model": MIX, "source": source.clip_id, "prompt": describe(settings),
                         "approximate": stem_set.approximate},
        }  # fmt: skip
        finished = {"task_id": mix_id, "status": "completed", "clips": [clip]}
        self.library.record_update(owner, Task.from_dict(finished))
        self.library.cache_audio(owner, mix_id, lambda _link: mp3)
        self.library.save_export(owner, mix_id, "wav", wav.read_bytes())
        return self.library.clip(owner, mix_id)

    def decoded(self, owner: str, stems: Iterable[Stem]) -> dict[str, Path]:
        """The 16-bit WAV of each stem, decoded once; a stem that does not decode is discarded (fetched again
        by the next `download`) and its ValueError raised."""
        by_name = {stem.name: stem for stem in stems}
        return decode_all(
            {name: stem.path for name, stem in by_name.items()},
            on_damaged=lambda name: self.discard(owner, by_name[name]),
        )

    def zip(self, owner: str, stem_set: StemSet, title: str, fmt: str) -> bytes:
        """Every stem in one zip, as mp3 (as kept) or wav, named "<song> - <part>"."""
        if fmt not in ("mp3", "wav"):
            raise ValueError(f"{fmt!r} is not a format for stems (mp3 or wav).")
        paths = (
            {s.name: s.path for s in stem_set.stems} if fmt == "mp3" else self.decoded(owner, stem_set.stems)
        )
        song = file_stem(title)
        return zip_files((f"{song} - {name}.{fmt}", paths[name].read_bytes()) for name in paths)


def describe(settings: Settings) -> str:
    """A kept mix's settings in words: "Mix: vocals muted, drums +3 dB" (untouched stems are not named)."""
    factors = gains(settings)
    soloed = [name for name, channel in settings.items() if channel.solo and factors[name]]
    changes = []
    for name, channel in settings.items():
        label, db = name.replace("_", " "), f" {channel.gain_db:+g} dB" if factors[name] != 1.0 else ""
        if soloed:
            changes += [f"{label} solo{db}"] if name in soloed else []
        elif not factors[name]:
            changes.append(f"{label} muted")
        elif db:
            changes.append(f"{label}{db}")
    return "Mix: " + (", ".join(changes) if changes else "every stem as split")


def wav_seconds(wav: Path) -> float:
    layout = wav_layout(wav)
    return layout.frames / layout.rate


def forget_with_clip(library: Library, owner: str, clip_id: str) -> None:
    StemShelf(library).forget(owner, clip_id)


store.CLIP_DELETE_HOOKS.append(forget_with_clip)


def _position(name: str) -> int:
    return ORDER.index(name) if name in ORDER else len(ORDER)


def _safe(name: str) -> str:
    return file_stem(name, fallback="stem")
