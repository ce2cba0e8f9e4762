"""Signed file links: audio, stems, MIDI and video (made on first request). No key, no rate limit."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from ..deps import RuntimeDep
from ..errors import APIError
from ..files import LinkParts
from ..video import make_mp4

router = APIRouter(tags=["files"])
_video_lock = threading.Lock()


@router.head("/files/{file_id}/{name}", include_in_schema=False)
@router.get(
    "/files/{file_id}/{name}",
    summary="A file behind a signed link",
    description="Links expire (24 h by default; setting link_ttl_seconds); an expired link answers "
    "410 link_expired: ask get-music again for a fresh one. Range requests work, so players can seek. "
    "Our extension: on a server with a disk cap (settings max_files_mb, cleanup_after_days) the files of "
    "keys unused for days are removed, the longest unused first; their links answer 410 file_removed.",
)
def serve_file(
    file_id: str, name: str, runtime: RuntimeDep, expires: int = Query(0), sig: str = Query("")
) -> FileResponse:
    row = runtime.files.check(LinkParts(file_id, expires, sig))
    if row.get("removed_at"):
        raise APIError(
            410,
            "file_removed",
            "This file was removed from the server after it went unused for a long time (a demo's disk cap).",
            {"resource": "file", "id": file_id},
        )
    path = runtime.files.path_of(row)
    if row["content_type"] == "video/mp4" and not path.exists():
        with _video_lock:
            if not path.exists():
                clip = runtime.store.clip(row["api_key"], row["clip_id"])
                audio = runtime.files.path_of(runtime.store.file(clip["mp3_file"]))
                make_mp4(audio, path, clip["id"])
    if not path.exists():
        raise APIError(
            404, "not_found", "This file is no longer on the server.", {"resource": "file", "id": file_id}
        )
    return FileResponse(path, media_type=row["content_type"], filename=row["name"])
