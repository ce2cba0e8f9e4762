"""Files on disk under the data directory, served through signed links that expire.

A link is ``/files/<file_id>/<name>?expires=<unix seconds>&sig=<hex>`` where sig is an HMAC of the file
id and the expiry under the server's secret. Only such links of this server are accepted where a request
takes an ``audio_url`` or ``song_url``: the server never fetches anything from elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from .errors import APIError, validation_error
from .store import Store, new_id

FILES_PREFIX = "/files/"


@dataclass(frozen=True)
class LinkParts:
    file_id: str
    expires: int
    sig: str


def link_expired() -> APIError:
    return APIError(
        410,
        "link_expired",
        "This file link has expired. Ask get-music (or download) again for a fresh link.",
    )


class FileStore:
    def __init__(self, store: Store):
        self.store = store
        self.root = store.data_dir / "files"
        self.root.mkdir(parents=True, exist_ok=True)
        self._secret = store.secret()

    def path_of(self, file_row: dict) -> Path:
        return self.root / file_row["path"]

    def add(
        self, key: str, data: bytes | None, name: str, content_type: str, clip_id: str | None = None
    ) -> str:
        """Record a file (and write its bytes when given; a video is made on first request)."""
        relative = f"{new_id('f')}_{name}"
        if data is not None:
            (self.root / relative).write_bytes(data)
        return self.store.add_file(key, relative, name, content_type, clip_id)

    def _sign(self, file_id: str, expires: int) -> str:
        return hmac.new(self._secret, f"{file_id}:{expires}".encode(), hashlib.sha256).hexdigest()

    def link(self, base_url: str, file_id: str, ttl_seconds: int) -> str:
        row = self.store.file(file_id)
        expires = int(time.time()) + int(ttl_seconds)
        query = urlencode({"expires": expires, "sig": self._sign(file_id, expires)})
        return f"{base_url.rstrip('/')}{FILES_PREFIX}{file_id}/{row['name']}?{query}"

    def check(self, parts: LinkParts) -> dict:
        """The file a link names; 404 for a link this server did not sign, 410 once it expired."""
        row = self.store.file(parts.file_id)
        if row is None or not hmac.compare_digest(parts.sig, self._sign(parts.file_id, parts.expires)):
            raise APIError(
                404, "not_found", "This file link is not valid.", {"resource": "file", "id": parts.file_id}
            )
        if parts.expires < time.time():
            raise link_expired()
        return row

    def resolve_own_link(self, url: str, field: str) -> dict:
        """The file row behind one of this server's links given in a request field."""
        parts = parse_link(url)
        if parts is None:
            raise validation_error(
                field,
                f"{field} must be a file link from this server (as found in get-music results); "
                "the built-in server fetches nothing from other addresses. Upload the file instead.",
            )
        return self.check(parts)


def parse_link(url: str) -> LinkParts | None:
    split = urlsplit(url or "")
    if split.scheme not in ("http", "https") or not split.path.startswith(FILES_PREFIX):
        return None
    pieces = split.path[len(FILES_PREFIX) :].split("/")
    query = parse_qs(split.query)
    try:
        return LinkParts(pieces[0], int(query["expires"][0]), query["sig"][0])
    except (KeyError, ValueError, IndexError):
        return None
