"""Paid audio is never lost: a clip whose audio is not on disk yet is fetched again with fresh links.

Stored links expire (24-48 h on the hosted API, 24 h on the built-in engine), so a download that fails is
not retried with the same link: get-music is asked again for the clip's task, the library keeps the fresh
links, and the download is tried once more. Only when the server says the file is gone for good (410
file_removed, or the task no longer exists) is the clip marked expired. Every outcome is one honest sentence.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lib.errors import AIMusicAPIError, NotFoundError
from lib.store import Library

log = logging.getLogger(__name__)

EXPIRED = (
    "The server no longer has this song's audio (it was removed before it was saved here), so it cannot be "
    "played or downloaded."
)
MODELS = ("suno", "producer", "nuro")


class AudioUnavailable(Exception):
    """The audio could not be had now; the message says why and whether it will be tried again."""


def _gone_for_good(error: AIMusicAPIError) -> bool:
    return getattr(error, "code", None) == "file_removed" or isinstance(error, NotFoundError)


def cache_clip_audio(library: Library, client, owner: str, clip_id: str) -> Path:
    """The clip's audio on disk: cached, downloaded, or downloaded again with fresh links from get-music."""
    record = library.clip(owner, clip_id)
    if record is None:
        raise AudioUnavailable("This song is not in your library.")
    if record.cached:
        return record.audio_path
    if record.expired:
        raise AudioUnavailable(EXPIRED)
    try:
        return library.cache_audio(owner, clip_id, client.download)
    except ValueError as error:  # the library's own limits (file size, cache full): a new link won't help
        raise AudioUnavailable(str(error)) from None
    except AIMusicAPIError as error:
        log.warning("audio of %s failed with its stored link (%s); asking for fresh links", clip_id, error)
    try:
        task = client.resource(_model_of(library, owner, record)).get_music(record.task_id)
        library.record_update(owner, task)
        return library.cache_audio(owner, clip_id, client.download)
    except ValueError as error:
        raise AudioUnavailable(str(error)) from None
    except AIMusicAPIError as error:
        if _gone_for_good(error):
            log.warning("audio of %s is gone from the server: %s", clip_id, error)
            library.mark_expired(owner, clip_id)
            raise AudioUnavailable(EXPIRED) from None
        log.warning("audio of %s not cached yet, even with fresh links: %s", clip_id, error)
        raise AudioUnavailable(
            f"The audio could not be downloaded just now ({str(error).rstrip('.')}); it is tried again with "
            "a fresh link on the next refresh, and nothing you paid for is lost."
        ) from None


def _model_of(library: Library, owner: str, record) -> str:
    task = library.task(owner, record.task_id) if record.task_id else None
    model = (task.model if task else "") or record.model or (record.metadata or {}).get("model", "")
    if model not in MODELS:
        raise ValueError("This song's task is not known here, so fresh links cannot be asked for.")
    return model


def retry_uncached(library: Library, client, owner: str, limit: int = 2) -> int:
    """Try the oldest clips whose audio is still missing (the tray's tick); how many are now cached."""
    cached = 0
    for record in library.uncached_clips(owner, limit):
        try:
            cache_clip_audio(library, client, owner, record.clip_id)
            cached += 1
        except AudioUnavailable as error:
            log.info("audio of %s still missing: %s", record.clip_id, error)
    return cached
