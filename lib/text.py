"""Plain text helpers the pages share: short labels, lengths as m:ss, file names from titles."""

from __future__ import annotations


def short_label(text: str, limit: int = 48) -> str:
    """One line of at most `limit` characters, cut at the end with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def duration_text(seconds: float | None) -> str:
    """A length as m:ss, or "length unknown"."""
    if not seconds:
        return "length unknown"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def file_stem(title: str | None, fallback: str = "song") -> str:
    """A download's file name from a title: letters, digits, spaces as underscores, at most 60 characters."""
    kept = "".join(c if c.isalnum() or c in " -_" else "" for c in (title or fallback)).strip()
    return (kept or fallback).replace(" ", "_")[:60]


_MARKDOWN_ACTIVE = str.maketrans({c: "\\" + c for c in "\\`*_[]~|$"})


def literal(text: str) -> str:
    """`text` as it reads, for places that only take Markdown (notices, progress labels): the characters
    that would format it (emphasis, links, code, strike, tables, maths) are backslash-escaped."""
    return text.translate(_MARKDOWN_ACTIVE)
