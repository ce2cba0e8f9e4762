"""Suno routes: songs from text or lyrics, edits of clips, stems, wav, MIDI, personas, uploads."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile

from ..clips import engine, safe_name, source_of
from ..deps import ApiKey, RuntimeDep
from ..errors import not_found, validation_error
from ..idempotency import IdempotentRoute
from ..pricing import COSTS
from ..schemas import (
    ConcatMusic,
    CoverMusic,
    CreateMusic,
    CreateMusicWithLyrics,
    CreatePersona,
    CreatePersonaMusic,
    DescribeMusic,
    ExtendMusic,
    SongId,
)
from ..services import clip_from_link, clip_of, engine_failed, start_task, store_upload, task_view
from ..store import new_id

router = APIRouter(prefix="/v1/suno", tags=["suno"], route_class=IdempotentRoute)
TaskId = Annotated[str, Query(min_length=1, description="The task_id a task-starting call answered.")]


def require_one(link: str | None, clip_id: str | None, link_field: str, id_field: str) -> None:
    if not link and not clip_id:
        raise validation_error(
            link_field,
            f"{link_field} is required: a file link from this server (or, our extension, {id_field}).",
        )


def _song(runtime, key, cost_name: str, body, *, text: str, **params) -> dict:
    return start_task(
        runtime,
        key,
        model="suno",
        kind="song",
        cost_name=cost_name,
        params={"text": text, "seed": body.seed, **params},
        webhook_url=body.webhook_url,
        audio_seconds=params["duration"],
    )


def _on_clip(
    runtime, key, kind: str, cost_name: str, clip: dict, body, seconds: float | None = None, **params
):
    return start_task(
        runtime,
        key,
        model="suno",
        kind=kind,
        cost_name=cost_name,
        params={"clip_id": clip["id"], "seed": body.seed, **params},
        webhook_url=body.webhook_url,
        audio_seconds=clip["duration"] if seconds is None else seconds,
    )


@router.post("/create-music", status_code=201, summary="Song from a description (10 credits)")
def create_music(body: CreateMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _song(
        runtime,
        key,
        "suno.create_music",
        body,
        text=body.description,
        duration=body.duration,
        voice_gender=body.voice_gender,
        auto_lyrics=body.auto_lyrics,
        singing=body.singing,
    )


@router.post("/describe-music", status_code=201, summary="Song from a short description (10 credits)")
def describe_music(body: DescribeMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _song(runtime, key, "suno.describe_music", body, text=body.description, duration=body.duration)


@router.post(
    "/create-music-with-lyrics", status_code=201, summary="Song from your lyrics and a style (10 credits)"
)
def create_music_with_lyrics(body: CreateMusicWithLyrics, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _song(
        runtime,
        key,
        "suno.create_music_with_lyrics",
        body,
        text=body.style,
        style=body.style,
        lyrics=body.lyrics,
        title=body.title,
        voice_gender=body.voice_gender,
        duration=body.duration,
        auto_lyrics=False,
        singing=body.singing,
    )


@router.post(
    "/extend-music",
    status_code=201,
    summary="Continue a clip by `duration` seconds (10 credits)",
    description="As in Suno's own workflow, the new clip holds only the new music: `duration` seconds that "
    "continue the clip from its end, or from `continue_at` (our extension; seconds into the clip, on the beat "
    "at or just before it). Its metadata names the parent (`parent_id`) and where it starts "
    "(`continue_at`). concat-music of [clip, extension] is the whole song, seamless at the join; an "
    "extension can be extended again, and concat of the whole chain in order is one song.",
)
def extend_music(body: ExtendMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    clip = clip_of(runtime, key, body.audio_id)
    if body.continue_at is not None and not 1.0 <= body.continue_at <= clip["duration"] + 0.01:
        raise validation_error(
            "continue_at", f"continue_at must be between 1 and {clip['duration']:.1f} s (the clip's length)."
        )
    extra = {} if body.continue_at is None else {"continue_at": body.continue_at}
    return _on_clip(
        runtime,
        key,
        "extend",
        "suno.extend_music",
        clip,
        body,
        float(body.duration),
        duration=body.duration,
        **extra,
    )


@router.post(
    "/concat-music",
    status_code=201,
    summary="Join 2-10 clips into one track (5 credits)",
    description="Clips are crossfaded on the beat, in the order given. An extension placed right after the clip "
    "it continues (see extend-music) is not crossfaded: the two are rendered as one song from the parent's "
    "start to the extension's end, so the join has no click, no gap and the beat goes on.",
)
def concat_music(body: ConcatMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    clips = [clip_of(runtime, key, c) for c in body.clip_ids]
    return start_task(
        runtime,
        key,
        model="suno",
        kind="concat",
        cost_name="suno.concat_music",
        params={"clip_ids": [c["id"] for c in clips], "seed": body.seed},
        webhook_url=body.webhook_url,
        audio_seconds=sum(c["duration"] for c in clips),
    )


@router.post("/cover-music", status_code=201, summary="A cover of a clip in another style (10 credits)")
def cover_music(body: CoverMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    require_one(body.audio_url, body.audio_id, "audio_url", "audio_id")
    clip = (
        clip_from_link(runtime, key, body.audio_url, "audio_url")
        if body.audio_url
        else clip_of(runtime, key, body.audio_id)
    )
    return _on_clip(
        runtime,
        key,
        "cover",
        "suno.cover_music",
        clip,
        body,
        style=body.style,
        voice_gender=body.voice_gender,
    )


@router.post(
    "/stems-basic",
    status_code=201,
    summary="Vocals + instrumental (20 credits)",
    description="Engine clips are split exactly (track by track); uploads by DSP, marked approximate.",
)
def stems_basic(body: SongId, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _on_clip(
        runtime, key, "stems_basic", "suno.stems_basic", clip_of(runtime, key, body.song_id), body
    )


@router.post(
    "/stems-full",
    status_code=201,
    summary="Up to 12 stems (50 credits)",
    description="`stems` holds `<name>_url` for the stems the song has (a song without brass has no "
    "brass_url).",
)
def stems_full(body: SongId, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _on_clip(runtime, key, "stems_full", "suno.stems_full", clip_of(runtime, key, body.song_id), body)


@router.post("/wav", status_code=201, summary="Lossless WAV of a clip (10 credits)")
def wav(body: SongId, key: ApiKey, runtime: RuntimeDep) -> dict:
    return _on_clip(runtime, key, "wav", "suno.wav", clip_of(runtime, key, body.song_id), body, 0.0)


@router.get(
    "/get-midi",
    summary="MIDI of a clip, answered at once (5 credits, once per clip)",
    description="Engine clips give their arrangement exactly, lyrics in any script as UTF-8 lyric events; "
    "uploaded recordings have no notes to export (400, nothing charged). A clip's MIDI is made and charged "
    "once, even when several calls for it arrive together: asking again (a retry after a lost answer, say) "
    "returns the same file for free. A failure of the engine answers 500 internal_error, refunded.",
)
def get_midi(
    clip_id: Annotated[str, Query(min_length=1)], request: Request, key: ApiKey, runtime: RuntimeDep
) -> dict:
    clip = clip_of(runtime, key, clip_id)
    if clip["arrangement"] is None:
        raise validation_error(
            "clip_id",
            "This clip has no notes to export (it is an uploaded recording or joined clips); MIDI export "
            "needs a song made by the built-in engine.",
        )
    with runtime.locks.hold(("midi", clip["id"])):
        made = runtime.store.file_of_clip(clip["id"], "audio/midi")
        if made is None:
            midi = _make_midi(runtime, key, clip)
            file_id = runtime.files.add(
                key["key"], midi, f"{safe_name(clip['title'])}.mid", "audio/midi", clip["id"]
            )
        else:
            midi, file_id = runtime.files.path_of(made).read_bytes(), made["id"]
    return {
        "clip_id": clip["id"],
        "midi_url": runtime.presenter.link(str(request.base_url), file_id),
        "midi_data": base64.b64encode(midi).decode(),
    }


def _make_midi(runtime, key: dict, clip: dict) -> bytes:
    """Charge, then write the arrangement's MIDI; a failure is ours (500, refunded)."""
    cost = COSTS["suno.get_midi"]
    runtime.store.charge(key["key"], cost, "suno.get_midi")
    try:
        return engine().to_midi(source_of(runtime.files, clip))
    except Exception:
        raise engine_failed(runtime, key, cost, "get-midi") from None


PERSONA_KEEPS = (
    "A built-in persona keeps more than the voice: from an engine-made song it learns the singer's "
    "register, patch and vibrato, the tempo (songs made with it stay within 3% of it), the key and mode, "
    "and the band: genre, groove, drum kit, comping, the chord and lead instruments and the bass. From "
    "uploaded audio it estimates the register, tempo, key and mode; the band then follows each new "
    "song's description. A song with no voice gives no persona: the task fails and is refunded."
)


@router.post(
    "/create-persona",
    status_code=201,
    summary="A voice persona learned from a clip (50 credits)",
    description=PERSONA_KEEPS + " The reference's estimated_time is 300 s; the built-in engine is faster.",
)
def create_persona(body: CreatePersona, key: ApiKey, runtime: RuntimeDep) -> dict:
    require_one(body.song_url, body.song_id, "song_url", "song_id")
    clip = (
        clip_from_link(runtime, key, body.song_url, "song_url")
        if body.song_url
        else clip_of(runtime, key, body.song_id)
    )
    return _on_clip(
        runtime, key, "persona", "suno.create_persona", clip, body, persona_name=body.persona_name
    )


@router.post(
    "/create-persona-music",
    status_code=201,
    summary="A song in a persona's voice (10 credits)",
    description="Needs a description, lyrics or both. The song is made in the persona's voice, tempo range, "
    "key, mode and band (see create-persona); the description sets its mood, energy and subject. "
    "An unknown persona_id (or one of another key) is 404 not_found and costs nothing.",
)
def create_persona_music(body: CreatePersonaMusic, key: ApiKey, runtime: RuntimeDep) -> dict:
    if not body.description and not body.lyrics:
        raise validation_error("description", "Give a description, lyrics, or both.")
    if runtime.store.persona(key["key"], body.persona_id) is None:
        raise not_found("persona", body.persona_id)
    return _song(
        runtime,
        key,
        "suno.create_persona_music",
        body,
        text=body.description or "",
        persona_id=body.persona_id,
        lyrics=body.lyrics,
        auto_lyrics=body.lyrics is None,
        duration=body.duration,
        singing=body.singing,
    )


@router.post(
    "/upload-music",
    status_code=201,
    summary="Upload audio (free)",
    description="Multipart field `file`: mp3, wav, ogg, flac or m4a, up to the size cap (50 MB by "
    "default, 413 above) and 8 minutes. The audio_id works wherever a clip id is taken.",
)
def upload_music(
    file: Annotated[UploadFile, File(description="The audio file.")], key: ApiKey, runtime: RuntimeDep
) -> dict:
    clip = store_upload(runtime, key, file, model="suno", clip_id=new_id("uploaded"), alias=None)
    return {"audio_id": clip["id"], "duration": clip["duration"], "format": clip["format"]}


@router.get("/get-music", summary="Poll a Suno task (free)")
def get_music(task_id: TaskId, request: Request, key: ApiKey, runtime: RuntimeDep) -> dict:
    return task_view(runtime, request, key, task_id, "suno")
