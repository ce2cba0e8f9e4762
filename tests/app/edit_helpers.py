"""Helpers of the edit-page tests: a finished song in the app, the newest task the app started, its server copy."""

import re

from streamlit.testing.v1 import AppTest

from lib.store import Library, TaskRecord
from tests.app.helpers import describe, has_songs, run_until


def song_in_app(at: AppTest, text: str = "happy pop song about the sea") -> AppTest:
    """Make a 10 s song on the Create page and wait for it."""
    return run_until(describe(at, text, 10), has_songs)


def newest_task(library: Library, owner: str, call: str) -> TaskRecord:
    with library.connect() as db:
        row = db.execute(
            "SELECT task_id FROM tasks WHERE owner = ? AND call = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (owner, call),
        ).fetchone()
    assert row is not None, f"the app started no {call} task"
    return library.task(owner, row[0])


def sent(emulator, task: TaskRecord) -> dict:
    """The parameters the real server recorded for the task (what actually went over the wire)."""
    return emulator.runtime.store.task(task.task_id)["params"]


def done(library: Library, owner: str, task_id: str):
    return lambda _at: library.task(owner, task_id).status in ("completed", "failed")


def shown(markdown: str) -> str:
    """What a person reads of text the page escaped with lib.text.plain."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
