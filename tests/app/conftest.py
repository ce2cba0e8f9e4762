"""AppTest helpers: the app against the real built-in server, with a private data dir per test."""

from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from emulator import start_in_background

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """Each test gets its own library and its own built-in engine state; caches do not leak between tests."""
    monkeypatch.setenv("AIMUSIC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("AIMUSIC_API_KEY", raising=False)
    monkeypatch.delenv("AIMUSIC_BASE_URL", raising=False)
    monkeypatch.delenv("AIMUSIC_ALLOW_CUSTOM_BASE_URL", raising=False)
    yield tmp_path / "data"
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory):
    """A server of its own whose tasks wait a few seconds before starting: long enough to catch them running."""
    server = start_in_background(tmp_path_factory.mktemp("slow-emulator"), task_delay_seconds=2)
    yield server
    server.stop()


@pytest.fixture
def open_app(emulator) -> Callable[..., AppTest]:
    """open_app(key=None, base_url=None): the studio, on an account key (with the test server) or built-in."""

    def open_(key: str | None = None, base_url: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if key is not None:
            at.secrets["AIMUSIC_API_KEY"] = key
            at.secrets["AIMUSIC_BASE_URL"] = base_url or emulator.base_url
        return at.run()

    return open_
