"""The nine deprecated Riffusion routes, forwarded to their replacements.

Each answer carries ``Deprecation``, ``Sunset`` and ``Link: <replacement>; rel="successor-version"``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from ..deps import ApiKey, RuntimeDep
from ..idempotency import IdempotentRoute
from ..schemas import CreateMusicWithLyrics, DescribeMusic, ExtendMusic, Operation, ProducerCreate
from ..services import task_view
from . import producer, suno

SUNSET = "Wed, 01 Jul 2026 00:00:00 GMT"


def deprecated(successor: str):
    def add_headers(response: Response) -> None:
        response.headers["Deprecation"] = "true"
        response.headers["Sunset"] = SUNSET
        response.headers["Link"] = f'<{successor}>; rel="successor-version"'

    return Depends(add_headers)


router = APIRouter(
    prefix="/v1/riffusion", tags=["riffusion (deprecated)"], route_class=IdempotentRoute, deprecated=True
)


class LegacyProducerBody(ProducerCreate):
    operation: Operation | None = None  # set by the route


def _producer_route(path: str, operation: Operation, summary: str) -> None:
    @router.post(
        path,
        status_code=201,
        summary=summary,
        name=f"riffusion_{operation}",
        dependencies=[deprecated("/v1/producer/create-music")],
    )
    def forward(body: LegacyProducerBody, key: ApiKey, runtime: RuntimeDep) -> dict:
        return producer.start_operation(body.model_copy(update={"operation": operation}), key, runtime)


@router.post(
    "/create-music-with-lyrics",
    status_code=201,
    summary="Use /v1/suno/create-music-with-lyrics",
    dependencies=[deprecated("/v1/suno/create-music-with-lyrics")],
)
def create_music_with_lyrics(body: CreateMusicWithLyrics, key: ApiKey, runtime: RuntimeDep) -> dict:
    return suno.create_music_with_lyrics(body, key, runtime)


@router.post(
    "/create-music-with-description",
    status_code=201,
    summary="Use /v1/producer/create-music",
    dependencies=[deprecated("/v1/producer/create-music")],
)
def create_music_with_description(body: DescribeMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    create = ProducerCreate(
        operation="create",
        description=body.description,
        duration=body.duration,
        webhook_url=body.webhook_url,
        seed=body.seed,
    )
    return producer.start_operation(create, key, runtime)


_producer_route("/cover-music", "cover", "Use /v1/producer/create-music (operation cover)")
_producer_route("/replace-music-section", "replace", "Use /v1/producer/create-music (operation replace)")
_producer_route(
    "/swap-music-sound", "swap_instrumentals", "Use /v1/producer/create-music (operation swap_instrumentals)"
)
_producer_route("/swap-music-vocals", "swap_vocals", "Use /v1/producer/create-music (operation swap_vocals)")


@router.post(
    "/extend-music",
    status_code=201,
    summary="Use /v1/suno/extend-music",
    dependencies=[deprecated("/v1/suno/extend-music")],
)
def extend_music(body: ExtendMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    return suno.extend_music(body, key, runtime)


@router.post(
    "/upload-music",
    status_code=201,
    summary="Use /v1/suno/upload-music or /v1/producer/upload-music",
    dependencies=[deprecated("/v1/suno/upload-music")],
)
def upload_music(file: Annotated[UploadFile, File()], key: ApiKey, runtime: RuntimeDep) -> dict:
    return suno.upload_music(file, key, runtime)


@router.get(
    "/get-music",
    summary="Use the get-music of the task's model",
    description="Answers for a task of any model.",
    dependencies=[deprecated("/v1/suno/get-music")],
)
def get_music(
    task_id: Annotated[str, Query(min_length=1)], request: Request, key: ApiKey, runtime: RuntimeDep
) -> dict:
    return task_view(runtime, request, key, task_id, None)
