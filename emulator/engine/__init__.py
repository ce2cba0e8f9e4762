"""The built-in music engine: text in, real music out. Pure Python, no HTTP, writes no files.

The facade the server calls. Every function raises ValueError with a sentence a person can act on for
bad input; the same arguments give the same result, a different seed gives a different song.
"""

from .codec import decode, encode
from .constants import MAX_DURATION, MIN_DURATION, SAMPLE_RATE, STEM_NAMES
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
