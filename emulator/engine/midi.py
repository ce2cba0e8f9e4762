"""Arrangement -> standard multi-track MIDI file bytes (tempo, programs, mix controllers, lyrics).

Text events (lyrics, track names) are UTF-8, as the MIDI Association's RP-026 allows, so lyrics and titles
in any script (Cyrillic, Greek, Arabic, CJK, emoji) export; Latin-1 could hold only Western European text.
"""

import struct

from .model import Arrangement, Track
from .units import beats_to_seconds

END_MARKER_CONTROLLER = 110  # an undefined controller: keeps the file (and so the render) long enough
TICKS_PER_BEAT = 220
META, PROGRAM, CONTROL, NOTE = 0xFF, 0xC0, 0xB0, 0x90
DRUM_CHANNEL = 9
MELODIC_CHANNELS = [c for c in range(16) if c != DRUM_CHANNEL]
# Events at the same tick, in this order (then by the numbers they carry): the order pretty_midi
# writes them in, so files stay as they were when pretty_midi wrote them.
ORDER_TEMPO, ORDER_METER, ORDER_LYRIC, ORDER_PROGRAM, ORDER_CONTROL, ORDER_NOTE = 1, 2, 4, 6, 8, 10


def _variable_length(value: int) -> bytes:
    """A MIDI variable-length quantity: 7 bits a byte, high bit set on all but the last."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _meta(kind: int, data: bytes) -> bytes:
    return bytes([META, kind]) + _variable_length(len(data)) + data


def _data_bytes(*values: int) -> bytes:
    if not all(0 <= v <= 127 for v in values):
        raise ValueError(f"MIDI data bytes must be 0-127, got {values}.")
    return bytes(values)


def _track_chunk(events: list[tuple[int, int, int, bytes]]) -> bytes:
    """(tick, order, number, message) events -> an MTrk chunk: sorted, delta times, running status."""
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    data = bytearray()
    tick, running = 0, None
    for when, _, _, message in events:
        data += _variable_length(when - tick)
        tick = when
        status = message[0]
        data += message[1:] if status == running else message
        running = status if status < 0xF0 else None
    data += _variable_length(1) + _meta(0x2F, b"")
    return b"MTrk" + struct.pack(">L", len(data)) + bytes(data)


def seconds_to_ticks(seconds: float, tempo: float) -> int:
    """Nearest tick at a constant tempo (pretty_midi's rounding: ties to even)."""
    return int(round(seconds / (60.0 / (tempo * TICKS_PER_BEAT)))) if seconds > 0 else 0


def _timing_track(arrangement: Arrangement, lyrics: bool) -> bytes:
    tick_seconds = 60.0 / (arrangement.tempo * TICKS_PER_BEAT)
    tempo = int(6e7 / (60.0 / (tick_seconds * TICKS_PER_BEAT)))  # microseconds per beat
    events = [
        (0, ORDER_METER, 0, _meta(0x58, bytes([4, 2, 24, 8]))),  # 4/4
        (0, ORDER_TEMPO, 0, _meta(0x51, tempo.to_bytes(3, "big"))),
    ]
    if lyrics:
        for beat, text in arrangement.lyric_events:
            when = seconds_to_ticks(beats_to_seconds(beat, arrangement.tempo), arrangement.tempo)
            events.append((when, ORDER_LYRIC, 0, _meta(0x05, text.encode("utf-8"))))
    return _track_chunk(events)


def _instrument_track(track: Track, channel: int, tempo: float, end_seconds: float) -> bytes:
    events = [(0, 0, 0, _meta(0x03, track.name.encode("utf-8")))] if track.name else []
    events.append((0, ORDER_PROGRAM, 0, bytes([PROGRAM | channel]) + _data_bytes(track.program)))
    on, control = NOTE | channel, CONTROL | channel
    for note in track.notes:
        start = seconds_to_ticks(beats_to_seconds(note.start, tempo), tempo)
        stop = seconds_to_ticks(beats_to_seconds(note.end, tempo), tempo)
        events.append(
            (start, ORDER_NOTE, note.pitch * 256 + note.velocity, bytes([on, note.pitch, note.velocity]))
        )
        events.append((stop, ORDER_NOTE, note.pitch * 256, bytes([on, note.pitch, 0])))
    controllers = [(7, track.volume), (10, track.pan), (91, track.reverb), (93, 0), (1, track.vibrato)]
    for number, value in controllers:
        events.append((0, ORDER_CONTROL, number * 256 + value, bytes([control]) + _data_bytes(number, value)))
    end = seconds_to_ticks(end_seconds, tempo)
    events.append(
        (end, ORDER_CONTROL, END_MARKER_CONTROLLER * 256, bytes([control, END_MARKER_CONTROLLER, 0]))
    )
    return _track_chunk(events)


def arrangement_to_midi(
    arrangement: Arrangement, tracks: list[Track] | None = None, end_seconds: float | None = None
) -> bytes:
    """The chosen tracks (default all) as a type 1 .mid at 220 ticks a beat; it lasts at least
    end_seconds. Lyrics go with the whole song only.

    Written byte for byte as pretty_midi wrote these files, without building mido messages.
    """
    chosen = arrangement.tracks if tracks is None else tracks
    end = end_seconds if end_seconds is not None else arrangement.duration
    chunks = [_timing_track(arrangement, lyrics=tracks is None)]
    for index, track in enumerate(chosen):
        channel = DRUM_CHANNEL if track.is_drum else MELODIC_CHANNELS[index % len(MELODIC_CHANNELS)]
        chunks.append(_instrument_track(track, channel, arrangement.tempo, end))
    header = b"MThd" + struct.pack(">LHHH", 6, 1, len(chunks), TICKS_PER_BEAT)
    return header + b"".join(chunks)
