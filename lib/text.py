"""Plain text helpers the pages share: short labels, lengths as m:ss, file names from titles."""

from __future__ import annotations

import re


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


# Every ASCII punctuation character may be backslash-escaped in CommonMark; Streamlit adds :shortcodes:,
# :color[...] and $math$ on top, all made of these characters.
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-.!|<>~$:&\"'=^%@/?;,")
# GitHub-flavoured Markdown turns bare addresses into links even when escaped: an invisible word joiner
# after "http", "www" or "@" keeps them text (what a person sees and copies is otherwise unchanged).
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=[:.])|(@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` made safe for Streamlit elements that render Markdown (st.caption, st.error, st.toast,
    progress labels): every character shows as itself; no link, image, HTML, heading or emoji shortcode."""
    unlinked = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, str(text))
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in unlinked)
