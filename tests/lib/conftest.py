"""Fixtures of the app data layer: a library in a tmp dir, owners, a settable clock."""

import pytest

from lib.store import Library
from lib.workspace import owner_id


class Clock:
    """A settable clock for the library's timestamps and the tracker's schedule."""

    def __init__(self, now: float = 1_767_600_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def library(tmp_path, clock) -> Library:
    return Library(tmp_path / "library.db", tmp_path / "audio", clock=clock)


@pytest.fixture
def owner() -> str:
    return owner_id("sk_test_owner_one")


@pytest.fixture
def other_owner() -> str:
    return owner_id("sk_test_owner_two")
