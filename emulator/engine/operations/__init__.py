"""Operations on an existing song. Engine-made clips are re-arranged from their arrangement and rendered
again (so joins are seamless and stems stay exact); uploaded audio goes through audio_ops."""

from .export import learn_persona, stems, to_midi
from .extend import concat, extend
from .replace import replace
from .restyle import cover, swap_instrumentals, swap_vocals, variation

__all__ = [
    "concat",
    "cover",
    "extend",
    "learn_persona",
    "replace",
    "stems",
    "swap_instrumentals",
    "swap_vocals",
    "to_midi",
    "variation",
]
