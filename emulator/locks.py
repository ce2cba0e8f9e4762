"""Named locks for work that must run once at a time per thing (a clip's MIDI: made and charged once)."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager


class NamedLocks:
    """One lock per name while someone holds or waits for it; unused names take no memory."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks: dict[Hashable, list] = {}  # name -> [lock, users]

    @contextmanager
    def hold(self, name: Hashable) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(name, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[name]

    def __len__(self) -> int:
        return len(self._locks)
