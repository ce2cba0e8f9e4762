"""The built-in music engine: text in, real music out. Pure Python, no HTTP, writes no files of its own.

The facade the server calls (thread-safe). Every function raises ValueError with a sentence a person can
act on for bad input; the same arguments give the same result, a different seed gives a different song.

What to know when calling it:
- create(): style from the text (genre, mood, tempo, key, instruments), lyrics written or read, an
  arrangement (sections, chords, drums with fills, bass, chord parts, a motif-based melody, a vocal line
  with one note per lyric syllable), rendered with midirenderer and the TimGM6mb General MIDI soundfont,
  mastered to about -14 LUFS with a true peak at or below -1 dBTP. The lead voice sings the lyrics: a
  synthetic singer (singer/, driven by vocals.py) in a child process of its own, while the soundfont
  renders the band; SongRequest(singing="wordless") or lyrics in a script it cannot read give the
  "Voice Oohs" patch humming the melody instead (metadata["voice"], ["singing"], ["notes"] say which).
- Rendering runs in short-lived child processes, two at a time (one per core): midirenderer holds the
  GIL, so the calling process (a server) stays responsive. The mix is two half-renders summed.
- stems(): each stem rendered alone under the mix's gain curve, so they add up to the mix exactly.
  "mix" is the whole song, "background" the mix without the lead vocal. Uploaded audio gets DSP stems
  (centre/harmonic/percussive masks) with approximate=True; they still sum to the upload.
- Engine-made clips are re-arranged from their arrangement (extend, cover, replace, swaps, variations).
  Uploaded audio supports analyze, stems, extend, cover, replace (new material in the estimated tempo and
  key, crossfaded in) and learn_persona (pitch analysis); swap_vocals, swap_instrumentals, variation
  and to_midi need an engine-made clip and raise ValueError for uploads.
- extend() returns only the new music (Suno's workflow); concat([parent, extension, ...]) folds each
  extension into the clip it continues and renders the chain as one song (one arrangement). Other
  clips are crossfaded and the result is audio only: different tempos do not share one timeline.
- decode() returns 44.1 kHz audio for compressed formats (WAV keeps its own rate).
"""

from .codec import decode, encode
from .lyrics import generate_lyrics
from .operations import (
    concat,
    cover,
    extend,
    learn_persona,
    replace,
    stems,
    swap_instrumentals,
    swap_vocals,
    to_midi,
    variation,
)
from .song import Result, SongRequest, Source, Stems, analyze, create
from .tables.limits import MAX_DURATION, MIN_DURATION, SAMPLE_RATE, STEM_NAMES

__all__ = [
    "MAX_DURATION",
    "MIN_DURATION",
    "SAMPLE_RATE",
    "STEM_NAMES",
    "Result",
    "SongRequest",
    "Source",
    "Stems",
    "analyze",
    "concat",
    "cover",
    "create",
    "decode",
    "encode",
    "extend",
    "generate_lyrics",
    "learn_persona",
    "replace",
    "stems",
    "swap_instrumentals",
    "swap_vocals",
    "to_midi",
    "variation",
]
