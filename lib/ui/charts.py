"""Pictures of audio: a waveform drawn from peaks computed once per cached file.

Both caches are keyed by the file's path and modification time, so a replaced file is measured again. They
are plain `functools.lru_cache`s: looking up st.cache_data or st.cache_resource inspects and hashes the
arguments, about 0.25 ms a call, which the Stems page paid twice for each of a dozen stems on every rerun.
"""

from __future__ import annotations

import functools
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from lib import waveforms

WAVEFORM_BARS = 300


@functools.lru_cache(maxsize=256)
def _peaks(path: str, modified: float, bars: int) -> tuple[float, ...]:
    """Peaks of a cached file (kept on disk beside it too)."""
    return tuple(waveforms.cached_peaks(Path(path), bars))


def measure(path: Path, bars: int = WAVEFORM_BARS) -> tuple[float, ...]:
    """The file's waveform peaks, measured once per version of the file; ValueError if it does not decode."""
    return _peaks(str(path), path.stat().st_mtime, bars)


def waveform_frame(path: Path, duration: float, bars: int = WAVEFORM_BARS) -> pd.DataFrame:
    """Time (s) and level (0..1) of each bar of the file's waveform."""
    peaks = measure(path, bars)
    step = duration / len(peaks) if peaks else 0.0
    return pd.DataFrame({"time": [i * step for i in range(len(peaks))], "level": list(peaks)})


def waveform(
    path: Path,
    duration: float,
    *,
    key: str,
    height: int = 80,
    axis: bool = True,
    mark: float | None = None,
    region: tuple[float, float] | None = None,
) -> None:
    """A small mirrored waveform of an audio file, the width of its container, `height` pixels tall (its time
    axis, if any, below that).

    `mark` draws a line at that second (where an extension starts); `region` shades a span (a section to
    replace), so the pickers on the edit pages show what they choose on the music itself. `axis=False` leaves
    the seconds out, where a player beside the picture shows them.
    """
    spec = _waveform_spec(str(path), path.stat().st_mtime, duration, height, axis, mark, region)
    st.vega_lite_chart(spec=dict(spec), key=key, width="stretch")  # a copy: Streamlit moves data out of it


@functools.lru_cache(maxsize=256)
def _waveform_spec(
    path: str,
    modified: float,
    duration: float,
    height: int,
    axis: bool,
    mark: float | None,
    region: tuple | None,
) -> dict:
    """The chart as a Vega-Lite spec, built (validated by Altair, data in Arrow) once per file and look: a
    page with a dozen waveforms (the Stems mixer) would otherwise spend most of each rerun on that."""
    frame = waveform_frame(Path(path), duration)
    frame["low"] = -frame["level"]
    seconds = alt.Axis(format="d", labelExpr="datum.value + ' s'") if axis else None
    x = alt.X("time:Q", title=None, axis=seconds)
    chart = (
        alt.Chart(frame, height=height)
        .mark_area(color="#7c4dff", opacity=0.8)
        .encode(x=x, y=alt.Y("level:Q", title=None, axis=None, scale=alt.Scale(domain=[-1, 1])), y2="low:Q")
    )
    if region is not None:
        span = pd.DataFrame({"start": [region[0]], "end": [region[1]]})
        chart = (
            alt.Chart(span).mark_rect(color="#ff9100", opacity=0.35).encode(x="start:Q", x2="end:Q") + chart
        )
    if mark is not None:
        line = pd.DataFrame({"time": [mark]})
        chart = chart + alt.Chart(line).mark_rule(color="#ff3d00", strokeWidth=2).encode(x="time:Q")
    spec = chart.to_dict()
    # Streamlit's theme fits the whole chart, axis included, into the height ("fit"): a 48-pixel waveform
    # over its axis was drawn 2 pixels tall. Fitting the width only keeps `height` for the waveform itself.
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    # As Streamlit would convert them on every call; bytes are passed through as they are.
    spec["datasets"] = {
        name: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(values))
        for name, values in spec.get("datasets", {}).items()
    }
    return spec
