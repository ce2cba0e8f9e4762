"""What each kind of task asks of the engine, and what it leaves behind (clips, stems, a wav, a persona).

``run(ctx, task)`` returns the JSON-able result kept with the task; links are made when it is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clips import VOICE_SENTENCE, engine, safe_name, save_clip, source_of
from .files import FileStore
from .store import Store


@dataclass
class JobContext:
    store: Store
    files: FileStore


def _clip(ctx: JobContext, task: dict, clip_id: str) -> dict:
    clip = ctx.store.clip(task["api_key"], clip_id)
    if clip is None:
        raise ValueError(f"The clip {clip_id} this task works on no longer exists.")
    return clip


def _source(ctx: JobContext, task: dict, clip_id: str):
    return source_of(ctx.files, _clip(ctx, task, clip_id))


def _song_request(params: dict, persona: dict | None = None):
    return engine().SongRequest(
        text=params.get("text", ""),
        duration=float(params.get("duration", 30)),
        voice_gender=params.get("voice_gender"),
        instrumental=bool(params.get("instrumental", False)),
        lyrics=params.get("lyrics"),
        auto_lyrics=bool(params.get("auto_lyrics", True)),
        title=params.get("title"),
        seed=int(params["seed"]),
        persona=persona,
        singing=params.get("singing"),
    )


def _produce(ctx: JobContext, task: dict):
    """The engine Result of a music-making task."""
    music, p, seed = engine(), task["params"], int(task["params"]["seed"])
    kind = task["kind"]
    if kind == "song":
        persona = None
        if p.get("persona_id"):
            row = ctx.store.persona(task["api_key"], p["persona_id"])
            if row is None:
                raise ValueError(f"The persona {p['persona_id']} no longer exists.")
            persona = row["profile"]
        return music.create(_song_request(p, persona))
    if kind == "concat":
        return music.concat([_source(ctx, task, c) for c in p["clip_ids"]])
    src = _source(ctx, task, p["clip_id"])
    operations = {
        "extend": lambda: music.extend(
            src, float(p["duration"]), text=p.get("text", ""), seed=seed, continue_at=p.get("continue_at")
        ),
        "cover": lambda: music.cover(src, p["style"], voice_gender=p.get("voice_gender"), seed=seed),
        "replace": lambda: music.replace(
            src, float(p["start_time"]), float(p["end_time"]), p["text"], seed=seed
        ),
        "swap_vocals": lambda: music.swap_vocals(src, p["voice_description"], seed=seed),
        "swap_instrumentals": lambda: music.swap_instrumentals(src, p["instrumental_description"], seed=seed),
        "variation": lambda: music.variation(src, p["variation_type"], seed=seed),
    }
    return operations[kind]()


def _music(ctx: JobContext, task: dict) -> dict:
    result = _produce(ctx, task)
    p = task["params"]
    metadata = {
        **result.metadata,
        "model": task["model"],
        "prompt": p.get("text", ""),
        "style": p.get("style") or result.metadata.get("genre", ""),
        "voice_gender": result.metadata.get("voice_gender", p.get("voice_gender")),
        "voice": result.metadata.get("voice") or VOICE_SENTENCE,
        "seed": int(p["seed"]),
        "lyrics": result.lyrics,
    }
    if "operation" in p:
        metadata["operation"] = p["operation"]
    if task["kind"] == "extend":  # an extension holds only the new music: say what it continues, from where
        metadata["parent_id"] = p["clip_id"]
    clip = save_clip(
        ctx.store,
        ctx.files,
        task["api_key"],
        audio=result.audio,
        sample_rate=result.sample_rate,
        title=p.get("title") or result.title,
        metadata=metadata,
        arrangement=result.arrangement,
        lyrics=result.lyrics,
        task_id=task["id"],
        source="engine",
    )
    return {"clips": [clip["id"]]}


def _stems(ctx: JobContext, task: dict) -> dict:
    music = engine()
    clip = _clip(ctx, task, task["params"]["clip_id"])
    kind = "basic" if task["kind"] == "stems_basic" else "full"
    stems = music.stems(source_of(ctx.files, clip), kind)
    base = safe_name(clip["title"])
    file_ids = {
        name: ctx.files.add(
            task["api_key"], music.encode(audio, stems.sample_rate, "mp3"), f"{base}-{name}.mp3", "audio/mpeg"
        )
        for name, audio in stems.tracks.items()
    }
    return {"stems": file_ids, "approximate": bool(stems.approximate)}


def _wav(ctx: JobContext, task: dict) -> dict:
    return {"wav_file": _clip(ctx, task, task["params"]["clip_id"])["wav_file"]}


def _persona(ctx: JobContext, task: dict) -> dict:
    p = task["params"]
    profile = engine().learn_persona(_source(ctx, task, p["clip_id"]), p["persona_name"])
    persona_id = ctx.store.add_persona(task["api_key"], p["persona_name"], profile)
    return {"persona_id": persona_id, "persona_name": p["persona_name"]}


RUNNERS = {
    "stems_basic": _stems,
    "stems_full": _stems,
    "wav": _wav,
    "persona": _persona,
}


def run(ctx: JobContext, task: dict) -> dict:
    return RUNNERS.get(task["kind"], _music)(ctx, task)
