"""An approximate transcription of uploaded audio, so it can be exported as MIDI: the estimated tempo and
key, one chord per bar (best-matching triad), a bass line on the chord roots and the most salient
melody pitch per eighth note. It says what it is: a sketch, not the recording's real notes."""

import numpy as np

from .analysis import chroma_per_bar, estimate_key, estimate_tempo, pitch_track
from .constants import BEATS_PER_BAR, ROMAN_BY_OFFSET
from .harmony import chord_root, nearest_pitch, voice_chord
from .model import Arrangement, Section, Track
from .units import beats_to_seconds, seconds_to_beats

TRIADS = {"maj": (0, 4, 7), "min": (0, 3, 7)}


def best_triad(chroma: np.ndarray) -> tuple[int, str]:
    """(root pitch class, "maj" | "min") of the triad holding most of this energy."""
    scores = [
        (float(sum(chroma[(root + i) % 12] for i in intervals)), root, quality)
        for root in range(12)
        for quality, intervals in TRIADS.items()
    ]
    _, root, quality = max(scores)
    return root, quality


def numeral(root: int, quality: str, key: int) -> str:
    name = ROMAN_BY_OFFSET[(root - key) % 12]
    return name.lower() if quality == "min" else name


def transcribe(audio: np.ndarray, sample_rate: int) -> Arrangement:
    tempo = float(round(estimate_tempo(audio, sample_rate)))
    key, mode = estimate_key(audio, sample_rate)
    duration = len(audio) / sample_rate
    bar_seconds = beats_to_seconds(BEATS_PER_BAR, tempo)
    bars = chroma_per_bar(audio, sample_rate, bar_seconds)
    chords = tuple(numeral(*best_triad(bar), key) for bar in bars)
    section = Section("verse", 0, len(chords), chords)
    pad, bass, melody = (
        Track("chords", "strings", 48, volume=80),
        Track("bass", "bass", 33),
        Track("melody", "piano", 0),
    )
    previous = None
    for bar, chord in enumerate(chords):
        start = bar * BEATS_PER_BAR
        previous = voice_chord(chord, key, 62, previous, size=3)
        for pitch in previous:
            pad.add(start, BEATS_PER_BAR - 0.05, pitch, 70)
        bass.add(start, BEATS_PER_BAR - 0.1, nearest_pitch(chord_root(chord, key), 40), 90)
    times, pitches, loud = pitch_track(audio, sample_rate)
    slots = (seconds_to_beats(times, tempo) * 2).astype(int)  # eighth notes
    current = None
    for slot in range(int(slots.max()) + 1 if len(slots) else 0):
        chosen = pitches[(slots == slot) & loud]
        pitch = int(np.median(chosen)) if len(chosen) else None
        if pitch is not None and current and current[1] == pitch:
            current[2] += 0.5
            continue
        if current:
            melody.add(current[0], current[2], current[1], 85)
        current = [slot / 2, pitch, 0.5] if pitch is not None else None
    if current:
        melody.add(current[0], current[2], current[1], 85)
    tracks = [t for t in (melody, pad, bass) if t.notes]
    info = {"title": "Transcription", "approximate": True, "genre": None, "mood": None}
    return Arrangement(tempo, key, mode, duration, [section], tracks, info)
