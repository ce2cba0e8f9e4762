"""A/B rendering: two songs of different loudness come out one after the other at the same loudness."""

import io

import numpy as np
import pytest

from lib import comparison
from lib.audio import AudioSegment, decode

RATE = 44_100


def tone(amplitude: float, seconds: float = 2.0, hz: float = 440.0) -> bytes:
    t = np.arange(int(RATE * seconds)) / RATE
    samples = (amplitude * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16)
    segment = AudioSegment(samples.tobytes(), frame_rate=RATE, sample_width=2, channels=1)
    out = io.BytesIO()
    segment.export(out, format="mp3", bitrate="192k")
    return out.getvalue()


def test_the_louder_song_is_turned_down_to_the_quieter_ones_level():
    loud, quiet = tone(0.8), tone(0.1, hz=660.0)
    levels = [comparison.loudness_dbfs(decode(data, "mp3")) for data in (loud, quiet)]
    assert levels[0] - levels[1] == pytest.approx(18.1, abs=0.5)  # 20 log10(8)

    pair = decode(comparison.matched_pair(loud, quiet), "mp3")
    assert len(pair) == pytest.approx(2000 + comparison.GAP_MS + 2000, abs=150)
    first, gap, second = pair[:1900], pair[2150:2900], pair[3150:]
    assert comparison.loudness_dbfs(first) == pytest.approx(comparison.loudness_dbfs(second), abs=0.5)
    assert comparison.loudness_dbfs(second) == pytest.approx(levels[1], abs=0.5)  # never turned up
    assert comparison.loudness_dbfs(gap) < -60


def test_each_side_is_cut_to_the_comparison_length_and_silence_measures_as_silence():
    pair = decode(comparison.matched_pair(tone(0.5, 3.0), tone(0.5, 3.0), seconds=1.0), "mp3")
    assert len(pair) == pytest.approx(1000 + comparison.GAP_MS + 1000, abs=150)
    assert comparison.loudness_dbfs(AudioSegment.silent(500)) == comparison.SILENCE_DBFS
