"""Operations on an existing song (placeholders until built)."""


def _todo(*_args, **_kwargs):
    raise NotImplementedError("Not built yet.")


extend = concat = cover = replace = swap_vocals = swap_instrumentals = variation = learn_persona = _todo
stems = to_midi = _todo
