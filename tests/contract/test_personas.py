"""Personas on the built-in server: the character of the source song is heard in music made with it."""

import io

import mido
import pytest
from contract_support import SONG_SECONDS, quick_client

from lib.errors import NotFoundError, TaskFailedError


def wait(client, task):
    return client.wait_for_task(task.task_id, "suno", timeout=180)


def lead_family(midi_bytes: bytes) -> int:
    """General MIDI family (program // 8) of the melody instrument: the "lead" track, else the first part."""
    programs = {}
    for track in mido.MidiFile(file=io.BytesIO(midi_bytes)).tracks:
        name = next((m.name for m in track if m.type == "track_name"), "")
        program = next((m.program for m in track if m.type == "program_change"), None)
        if program is not None and not name.startswith(("vocal", "drums", "bass", "choir")):
            programs.setdefault(name, program)
    return programs.get("lead", next(iter(programs.values())) if programs else -8) // 8


def midi_tempo(midi_bytes: bytes) -> float:
    tracks = mido.MidiFile(file=io.BytesIO(midi_bytes)).tracks
    tempos = [m.tempo for track in tracks for m in track if m.type == "set_tempo"]
    return mido.tempo2bpm(tempos[0])


def midi_of(client, clip_id: str) -> bytes:
    midi = client.suno.get_midi(clip_id)
    return midi.midi_bytes() or client.download(midi.midi_url)


def test_persona_music_keeps_the_sources_tempo_within_5_percent_and_its_lead_instrument_family(studio):
    source = wait(
        studio,
        studio.suno.create_music(
            description="slow smoky jazz with saxophone", duration=SONG_SECONDS, voice_gender="male"
        ),
    ).clips[0]
    persona = wait(studio, studio.suno.create_persona(song_id=source.id, persona_name="Smoky"))
    made = wait(
        studio,
        studio.suno.create_persona_music(
            persona_id=persona.persona_id,
            description="fast happy punk rock about trains",
            duration=SONG_SECONDS,
        ),
    ).clips[0]

    source_midi, made_midi = midi_of(studio, source.id), midi_of(studio, made.id)
    assert midi_tempo(made_midi) == pytest.approx(midi_tempo(source_midi), rel=0.05)
    assert made.metadata["tempo"] == pytest.approx(source.metadata["tempo"], rel=0.05)
    assert lead_family(made_midi) == lead_family(source_midi) != -1
    assert (made.metadata["key"], made.metadata["mode"]) == (source.metadata["key"], source.metadata["mode"])
    assert made.metadata["voice_gender"] == source.metadata["voice_gender"] == "male"


def test_persona_of_an_instrumental_song_fails_and_gives_the_credits_back(dedicated):
    server = dedicated(task_delay_seconds=2)  # tasks wait before starting: the charge can be seen first
    client = quick_client(server, server.create_key(tier="pro", credits=100))
    instrumental = wait(
        client, client.suno.create_music(description="instrumental ambient pads", duration=SONG_SECONDS)
    ).clips[0]
    task = client.suno.create_persona(song_id=instrumental.id, persona_name="Nobody")
    assert client.get_credits().available == 100 - 10 - 50
    with pytest.raises(TaskFailedError, match="instrumental"):
        wait(client, task)
    assert client.get_credits().available == 100 - 10
    client.close()


def test_music_with_an_unknown_persona_is_not_found_and_free(studio):
    before = studio.get_credits().available
    with pytest.raises(NotFoundError, match="persona"):
        studio.suno.create_persona_music(persona_id="persona_forgotten", description="pop")
    assert studio.get_credits().available == before


def test_docs_say_what_a_built_in_persona_keeps(emulator):
    import requests

    spec = requests.get(f"{emulator.base_url}/openapi.json", timeout=10).json()
    described = spec["paths"]["/v1/suno/create-persona"]["post"]["description"]
    assert all(word in described for word in ("tempo", "key and mode", "lead instruments", "register"))
