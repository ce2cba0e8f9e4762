"""The engine's MIDI writer against pretty_midi, the reference: the same events, and files mido reads."""

import io

import mido
import pretty_midi
import pytest

from emulator.engine.midi import END_MARKER_CONTROLLER, arrangement_to_midi
from emulator.engine.model import Arrangement, Track
from emulator.engine.production import mix_groups, stem_groups
from emulator.engine.song import build_song
from emulator.engine.style import parse_style
from emulator.engine.units import beats_to_seconds


def pretty_midi_file(arrangement, tracks=None, end_seconds=None):
    """How the engine wrote MIDI before it wrote the bytes itself."""
    tempo = arrangement.tempo
    song = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    end = end_seconds if end_seconds is not None else arrangement.duration
    for track in arrangement.tracks if tracks is None else tracks:
        instrument = pretty_midi.Instrument(program=track.program, is_drum=track.is_drum, name=track.name)
        controls = [(7, track.volume), (10, track.pan), (91, track.reverb), (93, 0), (1, track.vibrato)]
        for number, value in controls:
            instrument.control_changes.append(pretty_midi.ControlChange(number, value, 0.0))
        for note in track.notes:
            start, stop = beats_to_seconds(note.start, tempo), beats_to_seconds(note.end, tempo)
            instrument.notes.append(pretty_midi.Note(note.velocity, note.pitch, start, stop))
        instrument.control_changes.append(pretty_midi.ControlChange(END_MARKER_CONTROLLER, 0, end))
        song.instruments.append(instrument)
    if tracks is None:
        for beat, text in arrangement.lyric_events:
            song.lyrics.append(pretty_midi.Lyric(text, beats_to_seconds(beat, tempo)))
    buffer = io.BytesIO()
    song.write(buffer)
    return buffer.getvalue()


def events(data: bytes) -> list:
    """Each track's events by absolute tick: notes in their order (an off before an on at the same tick
    matters), other events as a set per tick (pretty_midi orders simultaneous meta, program and controller
    events differently on Python 3.13 than on 3.11; a player treats them alike)."""
    tracks = []
    for track in mido.MidiFile(file=io.BytesIO(data)).tracks:
        tick, notes, others = 0, [], []
        for message in track:
            tick += message.time
            (notes if message.type in ("note_on", "note_off") else others).append(
                (tick, str(message.copy(time=0)))
            )
        tracks.append((notes, sorted(others)))
    return tracks


def assert_same_midi(ours: bytes, reference: bytes) -> None:
    assert ours[:14] == reference[:14]  # header: format, track count, ticks per beat
    assert events(ours) == events(reference)


SONGS = [
    ("energetic rock song with drums, bass, electric guitar, piano, strings, brass and synth", 60.0, 1),
    ("sad piano ballad", 30.0, 2),
    ("dark trap beat at 90 bpm", 20.0, 3),
    ("128 bpm house track", 25.0, 4),
    ("funky soul groove", 17.3, 5),
]


@pytest.mark.parametrize(("text", "duration", "seed"), SONGS)
def test_whole_songs_mix_halves_and_stems_are_pretty_midis_bytes(text, duration, seed):
    arrangement = build_song(parse_style(text, "mixed", False, seed), text, duration, seed)
    end = arrangement.duration + 0.05
    assert_same_midi(arrangement_to_midi(arrangement), pretty_midi_file(arrangement))
    for tracks in [*mix_groups(arrangement), *stem_groups(arrangement).values()]:
        assert_same_midi(
            arrangement_to_midi(arrangement, tracks, end), pretty_midi_file(arrangement, tracks, end)
        )


def test_edge_cases_match_too():
    tracks = [
        Track("", "piano", 0),  # no name, no notes
        Track("kit", "drums", 0, is_drum=True, volume=127, pan=0, reverb=0, vibrato=127),
        *[Track(f"t{i}", "synth", i) for i in range(16)],  # more tracks than melodic channels
    ]
    tracks[1].add(0.0, 0.001, 36, 127)  # shorter than a tick
    tracks[1].add(0.0, 1.0, 36, 1)  # the same pitch again at once
    tracks[2].add(1000.5, 2.25, 60)  # far ticks: several-byte delta times
    tracks[3].add(3.0, 1.0, 64)
    tracks[3].add(4.0, 1.0, 64)  # off and on again on the same tick
    arrangement = Arrangement(97.3, 0, "major", 700.0, [], tracks)
    arrangement.lyric_events = [(0.0, "la"), (0.0, "ooh"), (2.5, "ne")]  # pretty_midi writes Latin-1 only
    assert_same_midi(arrangement_to_midi(arrangement), pretty_midi_file(arrangement))
    assert_same_midi(
        arrangement_to_midi(arrangement, tracks[:3], 9.0), pretty_midi_file(arrangement, tracks[:3], 9.0)
    )


@pytest.mark.parametrize("word", ["né", "Привет", "θάλασσα", "مرحبا", "你好", "こんにちは", "🎵🔥", "שלום"])
def test_lyrics_and_track_names_in_any_script_are_utf8_text_events(word):
    track = Track(word, "piano", 0)
    track.add(0.0, 1.0, 60)
    arrangement = Arrangement(120.0, 0, "major", 5.0, [], [track])
    arrangement.lyric_events = [(0.0, word), (1.0, "la")]
    parsed = mido.MidiFile(file=io.BytesIO(arrangement_to_midi(arrangement)), charset="utf-8")
    lyrics = [m.text for m in parsed.tracks[0] if m.type == "lyrics"]
    names = [m.name for t in parsed.tracks for m in t if m.type == "track_name"]
    assert lyrics == [word, "la"] and names == [word]


def test_out_of_range_controller_values_are_a_value_error():
    track = Track("loud", "piano", 0, volume=128)
    track.add(0.0, 1.0, 60)
    with pytest.raises(ValueError):
        arrangement_to_midi(Arrangement(120.0, 0, "major", 5.0, [], [track]))


def test_mido_reads_the_file():
    arrangement = build_song(parse_style("sad piano ballad", "female", False, 7), "sad piano ballad", 15.0, 7)
    parsed = mido.MidiFile(file=io.BytesIO(arrangement_to_midi(arrangement)))
    assert parsed.type == 1 and parsed.ticks_per_beat == 220
    assert len(parsed.tracks) == len(arrangement.tracks) + 1
    assert parsed.length >= arrangement.duration - 0.05  # lasts at least the song
