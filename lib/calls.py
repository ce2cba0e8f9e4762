"""API calls by name: the cost table, the library and the tray all name a call like "suno.create_music"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lib.client import AIMusicClient
from lib.models import Task


def bind(client: AIMusicClient, call: str, params: dict[str, Any]) -> Callable[[], Task]:
    """The client method named `call` ("group.method"), bound to `params` (None values left out)."""
    group, _, method = call.partition(".")
    function = getattr(getattr(client, group, None), method, None)
    if not method or function is None:
        raise ValueError(f"call {call!r} is not a client method: use a name like 'suno.create_music'.")
    arguments = {name: value for name, value in params.items() if value is not None}
    return lambda: function(**arguments)
