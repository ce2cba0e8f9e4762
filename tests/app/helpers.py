"""AppTest helpers shared by the page tests: rerun until a condition holds, read messages, make a song."""

import time
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from lib.store import Library
from lib.workspace import owner_id

DESCRIPTION = "calm lofi piano with soft drums"


def run_until(at: AppTest, done: Callable[[AppTest], bool], *, deadline: float = 90.0) -> AppTest:
    """Rerun the app, as the tray's timer would, until `done(at)` holds; fail with what the page shows."""
    give_up = time.monotonic() + deadline
    while not done(at):
        assert not at.exception, at.exception
        if time.monotonic() > give_up:
            pytest.fail(f"the app never got there; it shows: {messages(at)}")
        time.sleep(0.5)
        at.run()
    return at


def messages(at: AppTest) -> list[str]:
    return [str(e.value) for e in (*at.error, *at.warning, *at.info, *at.success)]


def library_of(data_dir, secret: str) -> tuple[Library, str]:
    return Library(data_dir / "library.db", data_dir / "audio"), owner_id(secret)


def describe(at: AppTest, text: str = DESCRIPTION, seconds: int = 10) -> AppTest:
    at.text_area(key="create.description").set_value(text)
    at.slider(key="create.suno_duration").set_value(seconds)
    return at.button(key="create.submit").click().run()


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.download_button}


def has_songs(at: AppTest) -> bool:
    return any(h.value == "Your latest songs" for h in at.subheader)
