"""Arrangement -> standard multi-track MIDI file bytes (tempo, programs, mix controllers, lyrics)."""

import io

import pretty_midi

from .model import Arrangement, Track
from .units import beats_to_seconds

END_MARKER_CONTROLLER = 110  # an undefined controller: keeps the file (and so the render) long enough


def arrangement_to_midi(
    arrangement: Arrangement, tracks: list[Track] | None = None, end_seconds: float | None = None
) -> bytes:
    """The chosen tracks (default all) as a .mid; the file lasts at least end_seconds."""
    tempo = arrangement.tempo
    song = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    end = end_seconds if end_seconds is not None else arrangement.duration
    for track in arrangement.tracks if tracks is None else tracks:
        instrument = pretty_midi.Instrument(program=track.program, is_drum=track.is_drum, name=track.name)
        for number, value in (
            (7, track.volume),
            (10, track.pan),
            (91, track.reverb),
            (93, 0),
            (1, track.vibrato),
        ):
            instrument.control_changes.append(pretty_midi.ControlChange(number, value, 0.0))
        for note in track.notes:
            start = beats_to_seconds(note.start, tempo)
            stop = beats_to_seconds(note.end, tempo)
            instrument.notes.append(pretty_midi.Note(note.velocity, note.pitch, start, stop))
        instrument.control_changes.append(pretty_midi.ControlChange(END_MARKER_CONTROLLER, 0, end))
        song.instruments.append(instrument)
    if tracks is None:
        for beat, text in arrangement.lyric_events:
            song.lyrics.append(pretty_midi.Lyric(text, beats_to_seconds(beat, tempo)))
    buffer = io.BytesIO()
    song.write(buffer)
    return buffer.getvalue()
