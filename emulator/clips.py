"""Clips: engine results and uploads, each stored as mp3 + wav with a lazily made mp4.

The engine is imported on first use, so the server starts in a moment and answers everything that needs
no music before the engine has loaded.
"""

from __future__ import annotations

import re

from .files import FileStore
from .store import Store, new_id

VOICE_SENTENCE = "The voice is a soundfont voice patch singing the melody; it does not pronounce the words."


def engine():
    from . import engine as music_engine

    return music_engine


def safe_name(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "clip"


def save_clip(
    store: Store,
    files: FileStore,
    key: str,
    *,
    audio,
    sample_rate: int,
    title: str,
    metadata: dict,
    arrangement: dict | None,
    lyrics: str | None,
    task_id: str | None,
    source: str,
    clip_id: str | None = None,
    alias: str | None = None,
) -> dict:
    music = engine()
    clip_id = clip_id or new_id("clip")
    name = safe_name(title)
    mp3 = files.add(key, music.encode(audio, sample_rate, "mp3"), f"{name}.mp3", "audio/mpeg")
    wav = files.add(key, music.encode(audio, sample_rate, "wav"), f"{name}.wav", "audio/wav")
    video = files.add(key, None, f"{name}.mp4", "video/mp4")
    clip = {
        "id": clip_id,
        "alias": alias,
        "api_key": key,
        "task_id": task_id,
        "source": source,
        "title": title,
        "duration": round(len(audio) / sample_rate, 3),
        "arrangement": arrangement,
        "metadata": metadata,
        "lyrics": lyrics,
        "mp3_file": mp3,
        "wav_file": wav,
        "video_file": video,
    }
    store.add_clip(clip)
    return store.clip(key, clip_id)


def source_of(files: FileStore, clip: dict):
    """The engine Source for a clip: its arrangement, or the decoded audio of an upload."""
    music = engine()
    if clip["arrangement"] is not None:
        return music.Source(arrangement=clip["arrangement"])
    wav = files.path_of(files.store.file(clip["wav_file"])).read_bytes()
    audio, sample_rate = music.decode(wav, "wav")
    return music.Source(audio=audio, sample_rate=sample_rate)
