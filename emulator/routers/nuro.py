"""Nuro routes: vocal or instrumental songs up to 240 s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from ..deps import ApiKey, RuntimeDep
from ..idempotency import IdempotentRoute
from ..schemas import NuroMusic, NuroVocalMusic
from ..services import start_task, task_view

router = APIRouter(prefix="/v1/nuro", tags=["nuro"], route_class=IdempotentRoute)


def _start(body: NuroMusic, key: dict, runtime, cost_name: str, **params) -> dict:
    text = f"{body.style}, {body.prompt}" if body.style else body.prompt
    return start_task(
        runtime,
        key,
        model="nuro",
        kind="song",
        cost_name=cost_name,
        params={"text": text, "style": body.style, "duration": body.duration, "seed": body.seed, **params},
        webhook_url=body.webhook_url,
        audio_seconds=body.duration,
    )


@router.post("/create-vocal-music", status_code=201, summary="A song with vocals (20 credits)")
def create_vocal_music(body: NuroVocalMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _start(
        body, key, runtime, "nuro.create_vocal_music", voice_gender=body.voice_gender, singing=body.singing
    )


@router.post("/create-instrumental-music", status_code=201, summary="An instrumental (15 credits)")
def create_instrumental_music(body: NuroMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _start(body, key, runtime, "nuro.create_instrumental_music", instrumental=True, auto_lyrics=False)


@router.get("/get-music", summary="Poll a Nuro task (free)")
def get_music(
    task_id: Annotated[str, Query(min_length=1)], request: Request, key: ApiKey, runtime: RuntimeDep
) -> dict:
    return task_view(runtime, request, key, task_id, "nuro")
