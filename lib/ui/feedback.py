"""Messages on the page: errors as sentences, and the notices the tray left for the next run."""

from __future__ import annotations

import logging

import streamlit as st

from lib.errors import AIMusicAPIError
from lib.text import plain

log = logging.getLogger(__name__)

UNEXPECTED = "Something unexpected went wrong. Please try again in a moment."


def show_error(error: Exception) -> None:
    """One place turns any failure into a sentence; a traceback never reaches the page."""
    if isinstance(error, AIMusicAPIError | ValueError):
        st.error(plain(error), icon=":material/error:")
    else:
        log.exception("unexpected error", exc_info=error)
        st.error(UNEXPECTED, icon=":material/error:")


def show_notices(notices: list[tuple[str, str]]) -> None:
    """Show and clear what happened since the last run (started, queued, ready, failed); labels and server
    messages in them show as plain text."""
    for kind, raw in notices:
        text = plain(raw)
        if kind == "started":
            st.toast(text, icon=":material/music_note:")
        elif kind == "info":
            st.info(text, icon=":material/hourglass_top:")
        elif kind == "success":
            st.toast(text, icon=":material/check_circle:")
            st.success(text, icon=":material/check_circle:")
        else:
            st.error(text, icon=":material/error:")
    notices.clear()
