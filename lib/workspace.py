"""Who a library belongs to.

A library is scoped by an owner id: the sha256 of the API key, or of the built-in workspace id. The key itself
is never stored. In built-in mode each browser gets a workspace id (kept in the URL so a bookmark reopens the
same library) that maps to a local demo key of the built-in engine; that mapping lives in the library DB.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lib.store import Library

_WORKSPACE_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


def owner_id(secret: str) -> str:
    """The library owner for an API key or a workspace id: a sha256 hex digest, never the secret itself."""
    if not secret or not secret.strip():
        raise ValueError("An owner needs an API key or a workspace id; none was given.")
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def new_workspace_id() -> str:
    """A fresh url-safe, unguessable workspace id (128 bits of randomness)."""
    return secrets.token_urlsafe(16)


def is_workspace_id(text: str | None) -> bool:
    """True when `text` (e.g. from the URL's query parameters) has the shape of a workspace id."""
    return bool(text) and _WORKSPACE_ID.fullmatch(text) is not None


def demo_key_for(library: "Library", workspace_id: str, create_key: Callable[[], str]) -> str:
    """The built-in engine's demo key of a workspace, made with `create_key` and remembered the first time."""
    if not is_workspace_id(workspace_id):
        raise ValueError(
            "That workspace id is not valid; open the studio without one to start a new workspace."
        )
    key = library.demo_key(workspace_id)
    if key is None:
        key = create_key()
        library.remember_demo_key(workspace_id, key)
    return key
