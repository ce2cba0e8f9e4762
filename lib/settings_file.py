"""The operator's settings file (.streamlit/secrets.toml): a malformed one is reported, never skipped quietly.

Streamlit drops every setting of a file it cannot parse, the API key included, and the app would then fall
back to the built-in engine without a word. `problem_in` names the file and the line in one sentence.
"""

from __future__ import annotations

import functools
import os
import stat
import tomllib
from collections.abc import Iterable
from pathlib import Path


def problem_in(paths: Iterable[str | Path]) -> str | None:
    """One sentence about the first settings file that exists but is not valid TOML, or None.

    Asked on every rerun of every page: a file is read again only when its modification time or size moved.
    """
    return _problem(tuple(map(_stamp, map(str, paths))))


def _stamp(path: str) -> tuple:
    """(path, modification time in ns, size) of a file, or (path,) when there is no file to check: none, or a
    folder of Kubernetes-style secrets, which Streamlit reads one file per secret. Strings, not Paths: asked on
    every rerun, and a Path costs five times as much to look at."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return (path,)
    except OSError:  # it exists but cannot be looked at: reading it says why
        return (path, None, None)
    return (path,) if stat.S_ISDIR(info.st_mode) else (path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _problem(stamps: tuple[tuple, ...]) -> str | None:
    for path, *found in stamps:
        if not found:
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as error:
            return f"The settings file {path} cannot be read ({error}), so none of its settings are used."
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            return (
                f"The settings file {path} is not valid TOML ({error}), so none of its settings, such as "
                "AIMUSIC_API_KEY, are used until that line is fixed."
            )
    return None
