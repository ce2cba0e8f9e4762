"""create(): a real song from a description, with a sung line on the lyric syllables."""

import json

import pytest

from emulator import engine


@pytest.fixture(scope="module")
def summer():
    return engine.create(engine.SongRequest("upbeat pop song about summer", duration=12.0))


def test_duration_matches_the_request(summer):
    assert abs(summer.duration - 12.0) <= 0.05
    assert summer.audio.shape[1] == 2 and summer.sample_rate == engine.SAMPLE_RATE


def test_arrangement_and_metadata_are_json(summer):
    json.dumps(summer.arrangement)
    json.dumps(summer.metadata)
    assert summer.metadata["genre"] == "pop"
    assert summer.metadata["mode"] == "major"
    assert "does not pronounce" in summer.metadata["voice"]


def test_vocal_line_has_one_note_per_sung_syllable(summer):
    arrangement = summer.arrangement
    vocal_notes = sum(len(t["notes"]) for t in arrangement["tracks"] if t["stem"] == "lead_vocals")
    assert vocal_notes > 0
    assert len(arrangement["lyric_events"]) == vocal_notes
