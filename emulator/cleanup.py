"""Disk use of a public demo: the files of keys unused for `cleanup_after_days` are removed, the longest
unused first, while all files take more than `max_files_mb` (0: no limit).

Their rows stay, so a link to a removed file answers 410 `file_removed` (not a crash) and the app can mark
the clip expired.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from .files import FileStore

log = logging.getLogger("emulator.cleanup")
DAY = 86400


def disk_bytes(files: FileStore) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(files.root) if entry.is_file())


def sweep(files: FileStore, *, max_bytes: int, idle_days: float, now: float | None = None) -> list[str]:
    """Remove files of idle keys, longest idle first, until under max_bytes; the keys whose files went."""
    total = disk_bytes(files)
    if max_bytes <= 0 or total <= max_bytes:
        return []
    store, removed = files.store, []
    for key in store.keys_idle_since((time.time() if now is None else now) - idle_days * DAY):
        for row in store.files_of_key(key):
            path = files.path_of(row)
            if path.exists():
                total -= path.stat().st_size
                path.unlink()
        store.mark_files_removed(key)
        removed.append(key)
        if total <= max_bytes:
            break
    if removed:
        log.warning("removed the files of %d keys unused for %g days (disk cap)", len(removed), idle_days)
    return removed


class Sweeper:
    """Runs `sweep` at start and then every `interval` seconds, in a daemon thread, until stopped."""

    def __init__(self, run, interval: float = 3600.0):
        self._run, self._interval = run, interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="emulator-cleanup", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            try:
                self._run()
            except Exception:
                log.exception("disk clean-up failed; it runs again later")
            self._stopped.wait(self._interval)

    def stop(self) -> None:
        self._stopped.set()
