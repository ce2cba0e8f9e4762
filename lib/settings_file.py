"""The operator's settings file (.streamlit/secrets.toml): a malformed one is reported, never skipped quietly.

Streamlit drops every setting of a file it cannot parse, the API key included, and the app would then fall
back to the built-in engine without a word. `problem_in` names the file and the line in one sentence.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path


def problem_in(paths: Iterable[str | Path]) -> str | None:
    """One sentence about the first settings file that exists but is not valid TOML, or None."""
    for path in map(Path, paths):
        try:
            text = path.read_text(encoding="utf-8")
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
