"""Column configs for st.dataframe, made once and kept lean."""

from __future__ import annotations


def lean(config: dict) -> dict:
    """Column configs without their unset (None) fields, which Streamlit drops before it sends a table. It
    deep-copies every config first, on every rerun: the full ones of the Library cost it twice as long."""
    return {
        name: lean(value) if isinstance(value, dict) else value
        for name, value in config.items()
        if value is not None
    }
