"""A persona carries its source song's character (tempo range, key, mode, band, voice) into new songs."""

import io

import mido
import pytest

from emulator import engine
from emulator.engine.persona import TEMPO_SPREAD, styled_by
from emulator.engine.style import parse_style

SR = engine.SAMPLE_RATE


def lead_family(midi_bytes: bytes) -> int:
    """General MIDI family (program // 8) of the melody instrument: the "lead" track, else the first part."""
    programs = {}
    for track in mido.MidiFile(file=io.BytesIO(midi_bytes)).tracks:
        name = next((m.name for m in track if m.type == "track_name"), "")
        program = next((m.program for m in track if m.type == "program_change"), None)
        if program is not None and not name.startswith(("vocal", "drums", "bass", "choir")):
            programs.setdefault(name, program)
    lead = programs.get("lead", next(iter(programs.values()), None))
    assert lead is not None, f"no melody instrument among {programs}"
    return lead // 8


@pytest.fixture(scope="module")
def source():
    return engine.create(
        engine.SongRequest("smoky jazz with saxophone, slow", duration=12.0, voice_gender="male", seed=4)
    )


@pytest.fixture(scope="module")
def persona(source):
    return engine.learn_persona(engine.Source(arrangement=source.arrangement), "Smoky")


def test_the_persona_keeps_the_sources_tempo_range_key_mode_and_band(source, persona):
    character = persona["character"]
    assert character["tempo"] == source.metadata["tempo"]
    low, high = character["tempo_range"]
    assert low < source.metadata["tempo"] < high
    assert high / low == pytest.approx((1 + TEMPO_SPREAD) / (1 - TEMPO_SPREAD), rel=0.01)
    assert character["mode"] == source.metadata["mode"]
    assert character["genre"] == "jazz"
    assert any(p["stem"] == "brass" for p in character["parts"])  # the saxophone the prompt asked for


@pytest.mark.parametrize("description", ["fast happy punk rock about trains", "sad piano ballad in D minor"])
def test_a_persona_song_is_in_the_sources_tempo_key_band_and_register(source, persona, description):
    made = engine.create(engine.SongRequest(description, duration=12.0, seed=11, persona=persona))
    assert made.metadata["tempo"] == pytest.approx(source.metadata["tempo"], rel=0.05)
    assert (made.metadata["key"], made.metadata["mode"]) == (source.metadata["key"], source.metadata["mode"])
    assert made.metadata["genre"] == "jazz"
    assert made.metadata["voice_gender"] == "male"
    assert lead_family(engine.to_midi(engine.Source(arrangement=made.arrangement))) == lead_family(
        engine.to_midi(engine.Source(arrangement=source.arrangement))
    )
    sung = [n[2] for t in made.arrangement["tracks"] if t["stem"] == "lead_vocals" for n in t["notes"]]
    assert sung and persona["low"] <= min(sung) and max(sung) <= persona["high"]


def test_without_a_persona_the_same_description_sounds_different(source, persona):
    plain = parse_style("fast happy punk rock about trains", None, False, 11)
    styled = styled_by(plain, persona, 11)
    assert plain.genre != styled.genre and plain.parts != styled.parts
    assert (
        styled_by(plain, {"voice_gender": "male"}, 11) == plain
    )  # an old voice-only persona changes nothing


def test_a_persona_of_uploaded_audio_keeps_its_estimated_tempo_and_key(source):
    persona = engine.learn_persona(engine.Source(audio=source.audio, sample_rate=SR), "Upload")
    analysed = engine.analyze(engine.Source(audio=source.audio, sample_rate=SR))
    character = persona["character"]
    assert character["tempo"] == pytest.approx(analysed["tempo"], abs=0.1)
    assert "parts" not in character  # audio has no arrangement: the band follows the description
    made = engine.create(engine.SongRequest("pop song", duration=10.0, seed=2, persona=persona))
    assert made.metadata["tempo"] == pytest.approx(character["tempo"], rel=0.05)
    assert made.metadata["mode"] == character["mode"]
