"""Pictures of audio: a waveform drawn from peaks computed once per cached file."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from lib import audio

WAVEFORM_BARS = 300


@st.cache_data(show_spinner=False, max_entries=256)
def _peaks(path: str, modified: float, fmt: str, bars: int) -> list[float]:
    """Peaks of a cached file; `modified` is part of the key, so a replaced file is measured again."""
    return audio.peaks(Path(path).read_bytes(), fmt, bars)


def waveform_frame(path: Path, duration: float, bars: int = WAVEFORM_BARS) -> pd.DataFrame:
    """Time (s) and level (0..1) of each bar of the file's waveform."""
    peaks = _peaks(str(path), path.stat().st_mtime, path.suffix.lstrip(".") or "mp3", bars)
    step = duration / len(peaks) if peaks else 0.0
    return pd.DataFrame({"time": [i * step for i in range(len(peaks))], "level": peaks})


def waveform(path: Path, duration: float, *, key: str, height: int = 80) -> None:
    """A small mirrored waveform of an audio file, the width of its container."""
    frame = waveform_frame(path, duration)
    frame["low"] = -frame["level"]
    chart = (
        alt.Chart(frame, height=height)
        .mark_area(color="#7c4dff", opacity=0.8)
        .encode(
            x=alt.X("time:Q", title=None, axis=alt.Axis(format="d", labelExpr="datum.value + ' s'")),
            y=alt.Y("level:Q", title=None, axis=None, scale=alt.Scale(domain=[-1, 1])),
            y2="low:Q",
        )
    )
    st.altair_chart(chart, key=key, use_container_width=True)
