"""Lyrics: answered at once, no task."""

from __future__ import annotations

import secrets

from fastapi import APIRouter

from ..clips import engine
from ..deps import ApiKey, RuntimeDep
from ..errors import validation_error
from ..idempotency import IdempotentRoute
from ..pricing import COSTS
from ..schemas import GenerateLyrics
from ..services import engine_failed

router = APIRouter(prefix="/v1/lyrics", tags=["lyrics"], route_class=IdempotentRoute)


@router.post(
    "/generate",
    summary="Lyrics from a prompt (5 credits)",
    description="Answers 200 with the variations at once (no task to poll).",
)
def generate(body: GenerateLyrics, key: ApiKey, runtime: RuntimeDep) -> dict:
    cost = COSTS["lyrics.generate"]
    runtime.store.charge(key["key"], cost, "lyrics.generate")
    try:
        variations = engine().generate_lyrics(
            body.prompt, body.style, n=body.num_variations, seed=secrets.randbelow(2**31)
        )
    except ValueError as error:
        if type(error) is not ValueError:  # UnicodeError and the like: a failure of ours
            raise engine_failed(runtime, key, cost, "lyrics") from None
        runtime.store.refund(key["key"], cost, "refund: no lyrics")
        raise validation_error("prompt", str(error)) from None
    except Exception:
        raise engine_failed(runtime, key, cost, "lyrics") from None
    return {"variations": variations}
