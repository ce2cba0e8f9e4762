"""Waveform peaks of a cached clip, computed once and kept beside its audio (`<clip>.peaks.json`).

A page that draws a waveform on every rerun (the continue-at and replace-section pickers) then reads a few
kilobytes instead of decoding the song; the file goes when its clip is deleted.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from lib import audio, store

SUFFIX = ".peaks.json"


def peaks_path(audio_path: Path) -> Path:
    return audio_path.with_suffix(SUFFIX)


def cached_peaks(audio_path: Path, bars: int) -> list[float]:
    """`bars` peak levels (0..1) of the file, from its peaks file when that matches the audio's mtime."""
    target, modified = peaks_path(audio_path), audio_path.stat().st_mtime
    try:
        saved = json.loads(target.read_text())
        if saved["modified"] == modified and saved["bars"] == bars:
            return saved["peaks"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, or from an older file: measure again
    values = audio.peaks(audio_path.read_bytes(), audio_path.suffix.lstrip(".") or "mp3", bars)
    with contextlib.suppress(OSError):  # a read-only folder: the picture is drawn, measured again next time
        store.write_atomically(
            target, json.dumps({"modified": modified, "bars": bars, "peaks": values}).encode()
        )
    return values


def _forget_with_clip(library: store.Library, owner: str, clip_id: str) -> None:
    (library.audio_dir / owner / f"{clip_id}{SUFFIX}").unlink(missing_ok=True)


store.CLIP_DELETE_HOOKS.append(_forget_with_clip)
