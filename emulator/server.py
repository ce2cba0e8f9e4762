"""Running the server: in a background thread (the app's built-in mode, tests) or from the command line."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from .app import create_asgi
from .runtime import Runtime
from .settings import get_settings
from .store import Store


class RunningEmulator:
    """A server started by start_in_background: its base_url, data_dir, keys, and stop()."""

    def __init__(self, runtime: Runtime, server: uvicorn.Server, thread: threading.Thread):
        self.runtime = runtime
        self._server = server
        self._thread = thread
        self.base_url = runtime.base_url
        self.data_dir = runtime.settings.data_dir

    def create_key(self, tier: str = "free", credits: int = 500) -> str:
        return self.runtime.store.create_key(tier, credits)

    def configure(self, **settings) -> None:
        """Change settings while it runs (fault injection, link lifetime, task delay, ...)."""
        self.runtime.update(**settings)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)

    def __enter__(self) -> RunningEmulator:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningEmulator({self.base_url!r}, data_dir={str(self.data_dir)!r})"


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def start_in_background(data_dir: str | Path | None = None, *, port: int = 0, **settings) -> RunningEmulator:
    """Start the server on a loopback port (0: a free one) in a daemon thread; return when it answers."""
    if data_dir is None:
        data_dir = tempfile.mkdtemp(prefix="aimusic-emulator-")
    base = get_settings().replace(data_dir=Path(data_dir), host="127.0.0.1", **settings)
    sock = _bind(base.host, port)
    bound_port = sock.getsockname()[1]
    runtime = Runtime(base.replace(port=bound_port, public_base_url=f"http://127.0.0.1:{bound_port}"))
    config = uvicorn.Config(
        create_asgi(runtime), log_level=base.log_level, lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="emulator-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The built-in server did not start; see the log above.")
        time.sleep(0.01)
    return RunningEmulator(runtime, server, thread)


def create_key(tier: str = "free", credits: int = 500, data_dir: str | Path | None = None) -> str:
    """A new API key in the store under data_dir (default: the settings' data_dir)."""
    store = Store(Path(data_dir) if data_dir is not None else get_settings().data_dir)
    try:
        return store.create_key(tier, credits)
    finally:
        store.close()
