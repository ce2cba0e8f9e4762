"""Producer routes: one create-music with seven operations, uploads, downloads, polling."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile

from ..deps import ApiKey, RuntimeDep
from ..errors import validation_error
from ..idempotency import IdempotentRoute
from ..schemas import ProducerCreate
from ..services import clip_of, start_task, store_upload, task_view
from ..store import new_id

router = APIRouter(prefix="/v1/producer", tags=["producer"], route_class=IdempotentRoute)

OPERATION_FIELDS = (
    "duration",
    "style",
    "start_time",
    "end_time",
    "voice_description",
    "instrumental_description",
    "variation_type",
    "singing",
)


def start_operation(body: ProducerCreate, key: dict, runtime) -> dict:
    missing = body.missing_field()
    if missing:
        raise validation_error(missing, f"{missing} is required for operation {body.operation!r}.")
    params = {"operation": body.operation, "text": body.description or "", "seed": body.seed}
    params.update({f: getattr(body, f) for f in OPERATION_FIELDS if getattr(body, f) is not None})
    if body.operation == "create":
        params["duration"] = body.duration or 30
        return start_task(
            runtime,
            key,
            model="producer",
            kind="song",
            cost_name="producer.create",
            params=params,
            webhook_url=body.webhook_url,
            audio_seconds=params["duration"],
        )
    clip = clip_of(runtime, key, body.audio_id)
    if body.operation == "replace" and not body.start_time < body.end_time <= clip["duration"] + 0.01:
        raise validation_error(
            "end_time",
            f"start_time must be before end_time, and end_time at most the clip's length "
            f"({clip['duration']:.1f} s).",
        )
    if body.operation == "extend":
        params["duration"] = body.duration or 30
    seconds = params["duration"] if body.operation == "extend" else clip["duration"]
    params["clip_id"] = clip["id"]
    return start_task(
        runtime,
        key,
        model="producer",
        kind=body.operation,
        cost_name=f"producer.{body.operation}",
        params=params,
        webhook_url=body.webhook_url,
        audio_seconds=seconds,
    )


@router.post(
    "/create-music",
    status_code=201,
    summary="Create, extend, cover, replace, swap or vary (10-15 credits)",
    description="`operation` picks what happens; each needs its fields (create: description; extend: audio_id "
    "and duration; cover: audio_id and style; replace: audio_id, start_time, end_time, description; swap_vocals: "
    "audio_id, voice_description; swap_instrumentals: audio_id, instrumental_description; variation: audio_id, "
    "variation_type). swap_* cost 15 credits, the rest 10. An extend result holds only the new music, as with "
    "Suno's extend-music: concat-music of [clip, extension] is the whole song. The finished task carries "
    "the first clip's audio_url, video_url, duration and metadata, plus our `clips` list so the new clip id is always known.",
)
def create_music(body: ProducerCreate, key: ApiKey, runtime: RuntimeDep) -> dict:
    return start_operation(body, key, runtime)


def upload(file: UploadFile, key: dict, runtime) -> dict:
    clip = store_upload(
        runtime, key, file, model="producer", clip_id=new_id("clip"), alias=new_id("producer_audio")
    )
    return {
        "audio_id": clip["alias"],
        "clip_id": clip["id"],
        "duration": clip["duration"],
        "format": clip["format"],
    }


@router.post(
    "/upload-music",
    status_code=201,
    summary="Upload audio (free)",
    description="Multipart field `file` (mp3, wav, ogg, flac, m4a). Both audio_id and clip_id work "
    "wherever a clip id is taken.",
)
def upload_music(file: Annotated[UploadFile, File()], key: ApiKey, runtime: RuntimeDep) -> dict:
    return upload(file, key, runtime)


@router.get("/download", summary="A download link for a clip as mp3 or wav (free)")
def download(
    clip_id: Annotated[str, Query(min_length=1)],
    request: Request,
    key: ApiKey,
    runtime: RuntimeDep,
    format: Literal["mp3", "wav"] = "mp3",
) -> dict:
    clip = clip_of(runtime, key, clip_id)
    file_id = clip["wav_file"] if format == "wav" else clip["mp3_file"]
    return {
        "clip_id": clip["id"],
        "format": format,
        "download_url": runtime.presenter.link(str(request.base_url), file_id),
    }


@router.get("/get-music", summary="Poll a Producer task (free)")
def get_music(
    task_id: Annotated[str, Query(min_length=1)], request: Request, key: ApiKey, runtime: RuntimeDep
) -> dict:
    return task_view(runtime, request, key, task_id, "producer")
