"""Edits of a clip (extensions, covers, Producer operations): what to send for a clip, and which finished or
failed edits were made of it, so a page shows each result beside its original."""

from __future__ import annotations

from dataclasses import dataclass

from lib.store import ClipRecord, Library, TaskRecord


def cover_source(clip: ClipRecord, *, builtin: bool) -> dict[str, str]:
    """How a Suno cover names its song: the reference's audio_url, or the clip id on the built-in server
    (its documented extension; uploads have no link, and links expire while ids do not)."""
    if builtin or not clip.audio_url:
        return {"audio_id": clip.clip_id}
    return {"audio_url": clip.audio_url}


@dataclass(frozen=True)
class Edit:
    task: TaskRecord
    clips: list[ClipRecord]

    @property
    def failed(self) -> bool:
        return self.task.status == "failed"


def edits_of(
    library: Library, owner: str, clip: ClipRecord, calls: tuple[str, ...], limit: int = 3
) -> list[Edit]:
    """The latest finished or failed edits of `clip` made by `calls`, newest first, with their clips."""
    found = []
    for call in calls:
        for task in library.results_for(owner, call, limit=50):
            if task.call == call and _refers_to(task.params, clip):
                found.append(task)
    found.sort(key=lambda t: t.updated_at, reverse=True)
    return [Edit(task, _clips_of(library, owner, task.task_id)) for task in found[:limit]]


def _refers_to(params: dict, clip: ClipRecord) -> bool:
    return clip.clip_id in (params.get("audio_id"), params.get("song_id")) or (
        bool(clip.audio_url) and params.get("audio_url") == clip.audio_url
    )


def _clips_of(library: Library, owner: str, task_id: str) -> list[ClipRecord]:
    with library.connect() as db:
        ids = [
            r[0]
            for r in db.execute("SELECT clip_id FROM clips WHERE owner = ? AND task_id = ?", (owner, task_id))
        ]
    return [clip for clip in (library.clip(owner, i) for i in ids) if clip is not None]
