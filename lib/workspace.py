"""Who a library belongs to.

A library is scoped by an owner id: the sha256 of the API key, or of the built-in workspace id. The key itself
is never stored. In built-in mode each browser gets a workspace id (kept in the URL so a bookmark reopens the
same library) that maps to a local demo key of the built-in engine; that mapping lives in the library DB.
"""

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lib.store import Library

_WORKSPACE_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # what new_workspace_id mints: 16 bytes, base64url
HOUR, DAY = 3600, 86400


@dataclass(frozen=True)
class DemoLimits:
    """Caps of a public built-in-engine demo (operator settings, defaults safe for one)."""

    workspaces_per_hour: int = 20
    workspaces_per_day: int = 100
    credits: int = 500

    SETTINGS = {
        "workspaces_per_hour": "AIMUSIC_DEMO_WORKSPACES_PER_HOUR",
        "workspaces_per_day": "AIMUSIC_DEMO_WORKSPACES_PER_DAY",
        "credits": "AIMUSIC_DEMO_CREDITS",
    }

    @classmethod
    def from_settings(cls, setting: Callable[[str, str], str]) -> "DemoLimits":
        """Read each cap with `setting(name, default)`; a value that is not a whole number >= 0 is a
        ValueError naming the setting."""
        values = {}
        for field, name in cls.SETTINGS.items():
            raw = str(setting(name, str(getattr(cls, field)))).strip()
            if not raw.isdigit():
                raise ValueError(f"The setting {name} must be a whole number of 0 or more, not {raw!r}.")
            values[field] = int(raw)
        return cls(**values)


class DemoCapReached(Exception):
    """No new demo workspace now; the message says why and what to do, in one sentence."""


def owner_id(secret: str) -> str:
    """The library owner for an API key or a workspace id: a sha256 hex digest, never the secret itself."""
    if not secret or not secret.strip():
        raise ValueError("An owner needs an API key or a workspace id; none was given.")
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def new_workspace_id() -> str:
    """A fresh url-safe, unguessable workspace id (128 bits of randomness)."""
    return secrets.token_urlsafe(16)


def is_workspace_id(text: str | None) -> bool:
    """True only for an id in the form new_workspace_id mints (e.g. from the URL's query parameters):
    22 base64url characters that encode exactly 16 bytes."""
    if not text or _WORKSPACE_ID.fullmatch(text) is None:
        return False
    try:
        raw = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        return False
    return len(raw) == 16 and base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == text


def demo_key_for(
    library: "Library",
    workspace_id: str,
    create_key: Callable[[], str],
    limits: DemoLimits | None = None,
) -> str:
    """The built-in engine's demo key of a workspace, made with `create_key` and remembered the first time.

    A new workspace is refused (DemoCapReached) once `limits` allow no more this hour or this day."""
    if not is_workspace_id(workspace_id):
        raise ValueError(
            "That workspace id is not valid; open the studio without one to start a new workspace."
        )
    key = library.demo_key(workspace_id)
    if key is None:
        _check_caps(library, limits or DemoLimits())
        key = create_key()
        library.remember_demo_key(workspace_id, key)
    return key


def _check_caps(library: "Library", limits: DemoLimits) -> None:
    caps = ((limits.workspaces_per_hour, HOUR, "hour"), (limits.workspaces_per_day, DAY, "day"))
    for cap, seconds, span in caps:
        if library.workspaces_created_within(seconds) >= cap:
            raise DemoCapReached(
                f"This demo has started its {cap} new workspaces for this {span}; come back later, reopen "
                "a workspace link you already have, or connect your own API account."
            )
