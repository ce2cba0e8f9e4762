"""Audio players that do not read their file again on every rerun.

`st.audio(path)` reads the whole file on every call, to name it; the Stems page shows a dozen stems of about
5 MB and reruns on every slider move or mute. Here a file is read once per version (path, modification time,
size) and its bytes handed to st.audio, which keeps that very object for the browser: held once, not twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import streamlit as st

MAX_BYTES = 256_000_000  # the most kept here; the files played least recently go first

_kept: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_kept_bytes = 0
_lock = threading.Lock()


def audio_bytes(path: Path) -> bytes:
    """The file's bytes, read once per version of the file."""
    global _kept_bytes
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    data = path.read_bytes()
    with _lock:
        if key not in _kept:
            _kept[key] = data
            _kept_bytes += len(data)
        while _kept_bytes > MAX_BYTES and len(_kept) > 1:
            _kept_bytes -= len(_kept.popitem(last=False)[1])
        return _kept.get(key, data)


def kept_bytes() -> int:
    """How much audio the players hold, for every session of this process."""
    return _kept_bytes


def player(path: Path, mime: str) -> None:
    """st.audio of a file on disk, its bytes read once per version of the file."""
    st.audio(audio_bytes(path), format=mime)
