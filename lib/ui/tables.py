"""The Library's table: its columns, a stable id per row, and a widget key that follows the rows."""

from __future__ import annotations

import hashlib

import streamlit as st

MODELS = ("suno", "producer", "nuro", "mix")
STATUSES = ("pending", "processing", "completed", "failed")
LIBRARY_COLUMNS = ("title", "status", "duration", "model", "prompt", "created_at", "error")


def row_ids(frame) -> list[str]:
    """A stable id per Library row: the clip id, or the task id for a task without a clip yet."""
    return frame["clip_id"].fillna(frame["task_id"]).astype(str).tolist()


def table_key(prefix: str, ids: list[str]) -> str:
    """A widget key that changes when the rows do, so a selection never jumps to another song."""
    return f"{prefix}.{hashlib.sha1('|'.join(ids).encode()).hexdigest()[:12]}"


def library_column_config() -> dict:
    return {
        "title": st.column_config.TextColumn("Title", width="medium"),
        "duration": st.column_config.NumberColumn("Length", format="%d s"),
        "model": st.column_config.TextColumn("Model", width="small"),
        "status": st.column_config.TextColumn("Status", width="small"),
        "prompt": st.column_config.TextColumn("Prompt", width="large"),
        "created_at": st.column_config.DatetimeColumn("Made", format="D MMM YYYY, HH:mm"),
        "error": st.column_config.TextColumn("Problem", width="medium"),
    }
