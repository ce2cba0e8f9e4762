"""The pages the studio has, and how one page opens another on a chosen clip.

Only built pages are listed, so navigation and clip-card actions never point at something missing.
A page opened on a clip finds its id in the `clip` query parameter, so a reload keeps the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

CLIP_PARAM = "clip"
PAGES_KEY = "studio.pages"


@dataclass(frozen=True)
class PageInfo:
    path: str
    title: str
    icon: str
    section: str
    action: str = ""  # the label of the clip-card button that opens this page on that clip, if any


PAGES: tuple[PageInfo, ...] = (
    PageInfo("app_pages/create.py", "Create", ":material/music_note:", "Create"),
    PageInfo("app_pages/extend.py", "Extend", ":material/arrow_forward:", "Edit", action="Extend"),
    PageInfo("app_pages/cover.py", "Cover and edit", ":material/palette:", "Edit", action="Cover"),
    PageInfo("app_pages/stems.py", "Stems", ":material/graphic_eq:", "Edit", action="Stems"),
    PageInfo("app_pages/lyrics.py", "Lyrics", ":material/edit_note:", "Tools"),
    PageInfo("app_pages/personas.py", "Personas", ":material/record_voice_over:", "Tools", action="Persona"),
    PageInfo("app_pages/lab.py", "Prompt lab", ":material/science:", "Tools"),
    PageInfo("app_pages/library.py", "Library", ":material/library_music:", "Account"),
    PageInfo("app_pages/credits.py", "Credits", ":material/account_balance_wallet:", "Account"),
)
SECTIONS = ("Create", "Edit", "Tools", "Account")


def build():
    """st.navigation over PAGES, grouped by section in the studio's order; the first page is the default."""
    return st.navigation(_pages())


def _pages() -> dict[str, list]:
    """The st.Page objects, made once per session: making them resolves every page's path on disk, which
    cost as much as a table of 500 rows on each rerun. Kept per session, not shared, because st.navigation
    marks the page it returns as the one allowed to run."""
    grouped = st.session_state.get(PAGES_KEY)
    if grouped is None:
        grouped = st.session_state[PAGES_KEY] = {}
        for section in SECTIONS:
            for info in PAGES:
                if info.section == section:
                    grouped.setdefault(section, []).append(
                        st.Page(info.path, title=info.title, icon=info.icon, default=info is PAGES[0])
                    )
    return grouped


def clip_actions() -> list[PageInfo]:
    """The pages a clip card offers to open on its clip."""
    return [info for info in PAGES if info.action]


def open_on_clip(page: str, clip_id: str) -> NoReturn:
    """Switch to `page` with `clip_id` chosen there (the workspace parameter is restored by init_session)."""
    st.switch_page(page, query_params={CLIP_PARAM: clip_id})


def chosen_clip_id() -> str | None:
    """The clip this page was opened on, if any."""
    return st.query_params.get(CLIP_PARAM) or None


def remember_clip_id(clip_id: str | None) -> None:
    """Keep the page's chosen clip in the address, so a reload or a bookmark comes back to it."""
    if clip_id and st.query_params.get(CLIP_PARAM) != clip_id:
        st.query_params[CLIP_PARAM] = clip_id
    elif not clip_id and CLIP_PARAM in st.query_params:
        del st.query_params[CLIP_PARAM]
