"""A/B listening: two songs one after the other at the same loudness, so neither wins by being louder.

Rendered on this machine from the cached files (pydub decodes, numpy measures): the louder song is turned down
to the quieter one's level, never the other way up, so nothing clips.
"""

from __future__ import annotations

import io

import numpy as np

from lib.audio import AudioSegment, decode

GAP_MS = 1000
MAX_SECONDS = 45  # each side is cut to this: a comparison is of the sound, not of the whole song
SILENCE_DBFS = -120.0


def loudness_dbfs(segment: AudioSegment) -> float:
    """RMS level of all samples in dB relative to full scale (-120 for silence)."""
    samples = np.asarray(segment.get_array_of_samples(), dtype=np.float64)
    if samples.size == 0:
        return SILENCE_DBFS
    full_scale = float(1 << (8 * segment.sample_width - 1))
    rms = float(np.sqrt(np.mean(np.square(samples)))) / full_scale
    return max(20 * np.log10(rms), SILENCE_DBFS) if rms > 0 else SILENCE_DBFS


def matched_pair(first: bytes, second: bytes, fmt: str = "mp3", *, seconds: float = MAX_SECONDS) -> bytes:
    """MP3 of `first`, a short silence, then `second`, both at the quieter one's loudness."""
    a, b = (decode(data, fmt)[: int(seconds * 1000)] for data in (first, second))
    rate, channels = max(a.frame_rate, b.frame_rate), max(a.channels, b.channels)
    a, b = (s.set_frame_rate(rate).set_channels(channels).set_sample_width(2) for s in (a, b))
    target = min(loudness_dbfs(a), loudness_dbfs(b))
    a, b = (s.apply_gain(target - loudness_dbfs(s)) for s in (a, b))
    gap = AudioSegment.silent(duration=GAP_MS, frame_rate=rate).set_channels(channels).set_sample_width(2)
    out = io.BytesIO()
    (a + gap + b).export(out, format="mp3", bitrate="160k")
    return out.getvalue()
