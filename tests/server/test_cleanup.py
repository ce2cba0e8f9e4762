"""A demo's disk cap: files of the longest-unused keys go first, only while over the cap; links then say 410."""

from __future__ import annotations

import time

import requests

from emulator import start_in_background
from emulator.cleanup import disk_bytes, sweep
from emulator.files import FileStore
from emulator.store import Store

DAY = 86400


def keys_with_files(files: FileStore, idle_days: list[float], size: int = 1000) -> list[str]:
    now = time.time()
    keys = []
    for days in idle_days:
        key = files.store.create_key("free", 10)
        files.add(key, b"x" * size, "song.mp3", "audio/mpeg")
        files.store.touch_key({"key": key}, now - days * DAY)
        keys.append(key)
    return keys


def test_the_longest_unused_keys_lose_their_files_first_and_only_over_the_cap(tmp_path):
    store = Store(tmp_path)
    files = FileStore(store)
    recent, old, older, oldest = keys_with_files(files, [1, 20, 30, 40])
    assert disk_bytes(files) == 4000
    assert sweep(files, max_bytes=5000, idle_days=14) == []  # under the cap: nothing goes
    assert sweep(files, max_bytes=2500, idle_days=14) == [oldest, older]
    assert disk_bytes(files) == 2000
    assert [r["removed_at"] is not None for r in store._all("SELECT * FROM files ORDER BY created_at")] == [
        False,
        False,
        True,
        True,
    ]
    assert sweep(files, max_bytes=500, idle_days=14) == [old]  # the recent key is never touched
    assert store.files_of_key(recent) and disk_bytes(files) == 1000
    store.close()


def test_a_removed_files_link_answers_410_and_its_key_keeps_working(tmp_path):
    server = start_in_background(tmp_path, max_files_mb=1, cleanup_after_days=1)
    try:
        key = server.create_key("pro", 100)
        store, files = server.runtime.store, server.runtime.files
        file_id = files.add(key, b"x" * (2 * 2**20), "big.mp3", "audio/mpeg")
        store.touch_key({"key": key}, time.time() - 2 * DAY)
        assert server.runtime.sweep_disk() == [key]
        link = files.link(server.base_url, file_id, 60)
        answer = requests.get(link, timeout=10)
        assert answer.status_code == 410 and answer.json()["error"]["code"] == "file_removed"
        credits = requests.get(
            f"{server.base_url}/v1/credits", headers={"Authorization": f"Bearer {key}"}, timeout=10
        )
        assert credits.status_code == 200
    finally:
        server.stop()
