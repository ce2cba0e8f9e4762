"""The API's groups of endpoints, one small class each; `AIMusicClient` attaches them as attributes.

Each method checks its arguments, sends the reference's request body (optional fields left out when not
given) through the client's single `_request`, and parses the answer into a model.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from lib.arguments import (
    DOWNLOAD_FORMATS,
    MAX_LYRICS_VARIATIONS,
    SINGING,
    STEMS_KINDS,
    VOICE_GENDERS,
    body,
    check_choice,
    check_count,
    check_duration,
    check_flag,
    check_producer_fields,
    check_seconds,
    check_seed,
    check_url,
    optional_id,
    optional_text,
    require_id,
    require_ids,
    require_one_of,
    require_text,
)
from lib.models import DownloadLink, LyricsVariation, Midi, Task, Upload

if TYPE_CHECKING:
    from lib.client import AIMusicClient, UploadSource


class _Resource:
    model = ""

    def __init__(self, client: AIMusicClient) -> None:
        self._client = client

    def _start(
        self, endpoint: str, payload: dict[str, Any], webhook_url: str | None, seed: int | None
    ) -> Task:
        """POST a task-starting request; `webhook_url` and `seed` (the built-in server's extension: same
        request + seed = same song) are added when given."""
        payload.update(body(webhook_url=check_url("webhook_url", webhook_url), seed=check_seed(seed)))
        return Task.from_dict(self._client._request("POST", f"/v1/{self.model}/{endpoint}", json=payload))

    def get_music(self, task_id: str) -> Task:
        """The task's current state: pending, processing, completed (with results) or failed."""
        require_id("task_id", task_id)
        return Task.from_dict(
            self._client._request("GET", f"/v1/{self.model}/get-music", params={"task_id": task_id})
        )


class _AcceptsUploads(_Resource):
    """Suno and Producer take uploads (Nuro does not)."""

    def upload_music(self, file: UploadSource, filename: str | None = None) -> Upload:
        """Upload an audio file (path, bytes or binary file object) to use as a clip."""
        return Upload.from_dict(self._client._upload(f"/v1/{self.model}/upload-music", file, filename))


class Suno(_AcceptsUploads):
    model = "suno"

    def create_music(
        self,
        description: str,
        duration: int | None = None,
        voice_gender: str | None = None,
        auto_lyrics: bool | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        singing: str | None = None,
    ) -> Task:
        """`singing` is the built-in server's extension: "words" (sung lyrics) or "wordless"."""
        payload = body(
            description=require_text("description", description),
            duration=check_duration("duration", duration),
            voice_gender=check_choice("voice_gender", voice_gender, VOICE_GENDERS),
            auto_lyrics=check_flag("auto_lyrics", auto_lyrics),
            singing=check_choice("singing", singing, SINGING),
        )
        return self._start("create-music", payload, webhook_url, seed)

    def describe_music(
        self,
        description: str,
        duration: int | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
    ) -> Task:
        payload = body(
            description=require_text("description", description),
            duration=check_duration("duration", duration),
        )
        return self._start("describe-music", payload, webhook_url, seed)

    def create_music_with_lyrics(
        self,
        lyrics: str,
        style: str,
        title: str | None = None,
        voice_gender: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        duration: int | None = None,
        singing: str | None = None,
    ) -> Task:
        """`duration` and `singing` ("words" or "wordless") are the built-in server's extensions."""
        payload = body(
            lyrics=require_text("lyrics", lyrics),
            style=require_text("style", style),
            title=title,
            voice_gender=check_choice("voice_gender", voice_gender, VOICE_GENDERS),
            duration=check_duration("duration", duration),
            singing=check_choice("singing", singing, SINGING),
        )
        return self._start("create-music-with-lyrics", payload, webhook_url, seed)

    def extend_music(
        self,
        audio_id: str,
        duration: int | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        *,
        continue_at: float | None = None,
    ) -> Task:
        """Only the new music, continuing the clip from its end or (the built-in server's extension) from
        `continue_at` seconds; concat_music([audio_id, new clip]) is the whole song."""
        payload = body(
            audio_id=require_id("audio_id", audio_id),
            duration=check_duration("duration", duration),
            continue_at=check_seconds("continue_at", continue_at),
        )
        return self._start("extend-music", payload, webhook_url, seed)

    def concat_music(self, clip_ids: list[str], webhook_url: str | None = None) -> Task:
        payload = body(clip_ids=require_ids("clip_ids", clip_ids, minimum=2))
        return self._start("concat-music", payload, webhook_url, None)

    def cover_music(
        self,
        audio_url: str | None = None,
        style: str | None = None,
        voice_gender: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        *,
        audio_id: str | None = None,
    ) -> Task:
        """A cover of the song at `audio_url`, or (the built-in server's extension) of the clip `audio_id`."""
        payload = body(
            audio_url=check_url("audio_url", audio_url),
            audio_id=optional_id("audio_id", audio_id),
            style=require_text("style", style),
            voice_gender=check_choice("voice_gender", voice_gender, VOICE_GENDERS),
        )
        require_one_of(payload, "audio_url", "audio_id")
        return self._start("cover-music", payload, webhook_url, seed)

    def stems_basic(self, song_id: str, webhook_url: str | None = None) -> Task:
        """Two stems: vocals and instrumental."""
        return self._start("stems-basic", body(song_id=require_id("song_id", song_id)), webhook_url, None)

    def stems_full(self, song_id: str, webhook_url: str | None = None) -> Task:
        """Up to twelve stems, one per part the song has."""
        return self._start("stems-full", body(song_id=require_id("song_id", song_id)), webhook_url, None)

    def stems(self, song_id: str, kind: str = "basic", webhook_url: str | None = None) -> Task:
        """`stems_basic` or `stems_full`, chosen by `kind` ("basic" or "full")."""
        if check_choice("kind", kind, STEMS_KINDS) == "full":
            return self.stems_full(song_id, webhook_url)
        return self.stems_basic(song_id, webhook_url)

    def wav(self, song_id: str, webhook_url: str | None = None) -> Task:
        return self._start("wav", body(song_id=require_id("song_id", song_id)), webhook_url, None)

    def get_midi(self, clip_id: str) -> Midi:
        require_id("clip_id", clip_id)
        return Midi.from_dict(self._client._request("GET", "/v1/suno/get-midi", params={"clip_id": clip_id}))

    def create_persona(
        self,
        song_url: str | None = None,
        persona_name: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        *,
        song_id: str | None = None,
    ) -> Task:
        """A voice from the song at `song_url`, or (the built-in server's extension) from the clip `song_id`."""
        payload = body(
            song_url=check_url("song_url", song_url),
            song_id=optional_id("song_id", song_id),
            persona_name=require_text("persona_name", persona_name),
        )
        require_one_of(payload, "song_url", "song_id")
        return self._start("create-persona", payload, webhook_url, seed)

    def create_persona_music(
        self,
        persona_id: str,
        description: str | None = None,
        lyrics: str | None = None,
        duration: int | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        singing: str | None = None,
    ) -> Task:
        payload = body(
            persona_id=require_id("persona_id", persona_id),
            description=optional_text("description", description),
            lyrics=optional_text("lyrics", lyrics),
            duration=check_duration("duration", duration),
            singing=check_choice("singing", singing, SINGING),
        )
        require_one_of(payload, "description", "lyrics")
        return self._start("create-persona-music", payload, webhook_url, seed)


class Producer(_AcceptsUploads):
    model = "producer"

    def create_music(
        self,
        operation: str = "create",
        *,
        description: str | None = None,
        duration: int | None = None,
        audio_id: str | None = None,
        style: str | None = None,
        start_time: float | None = None,
        end_time: float | None = None,
        voice_description: str | None = None,
        instrumental_description: str | None = None,
        variation_type: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        singing: str | None = None,
    ) -> Task:
        """One of the seven operations: create, extend, cover, replace, swap_vocals, swap_instrumentals,
        variation; each needs the fields of its reference request."""
        payload = body(
            operation=operation,
            audio_id=audio_id,
            description=description,
            duration=duration,
            style=style,
            start_time=start_time,
            end_time=end_time,
            voice_description=voice_description,
            instrumental_description=instrumental_description,
            variation_type=variation_type,
            singing=check_choice("singing", singing, SINGING),
        )
        check_producer_fields(operation, payload)
        return self._start("create-music", payload, webhook_url, seed)

    def download(self, clip_id: str, format: str = "mp3") -> DownloadLink:
        """A link to the clip in mp3 or wav."""
        require_id("clip_id", clip_id)
        if check_choice("format", format, DOWNLOAD_FORMATS) is None:
            raise ValueError(f"format is empty: choose one of {', '.join(DOWNLOAD_FORMATS)}.")
        params = {"clip_id": clip_id, "format": format}
        return DownloadLink.from_dict(self._client._request("GET", "/v1/producer/download", params=params))


class Nuro(_Resource):
    model = "nuro"

    def create_vocal_music(
        self,
        prompt: str,
        duration: int | None = None,
        style: str | None = None,
        voice_gender: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
        singing: str | None = None,
    ) -> Task:
        payload = body(
            prompt=require_text("prompt", prompt),
            duration=check_duration("duration", duration),
            style=style,
            voice_gender=check_choice("voice_gender", voice_gender, VOICE_GENDERS),
            singing=check_choice("singing", singing, SINGING),
        )
        return self._start("create-vocal-music", payload, webhook_url, seed)

    def create_instrumental_music(
        self,
        prompt: str,
        duration: int | None = None,
        style: str | None = None,
        webhook_url: str | None = None,
        seed: int | None = None,
    ) -> Task:
        payload = body(
            prompt=require_text("prompt", prompt),
            duration=check_duration("duration", duration),
            style=style,
        )
        return self._start("create-instrumental-music", payload, webhook_url, seed)


class Lyrics:
    def __init__(self, client: AIMusicClient) -> None:
        self._client = client

    def generate(
        self, prompt: str, style: str | None = None, num_variations: int | None = None
    ) -> list[LyricsVariation]:
        payload = body(
            prompt=require_text("prompt", prompt),
            style=style,
            num_variations=check_count("num_variations", num_variations, MAX_LYRICS_VARIATIONS),
        )
        return LyricsVariation.list_from(self._client._request("POST", "/v1/lyrics/generate", json=payload))


class Webhooks:
    """The key's webhook signing secret (the built-in server's extension; see lib.webhooks)."""

    def __init__(self, client: AIMusicClient) -> None:
        self._client = client

    def secret(self) -> str:
        return str(self._client._request("GET", "/v1/webhook-secret").get("secret", ""))

    def rotate_secret(self) -> str:
        """A new secret; the old one stops signing deliveries at once."""
        return str(self._client._request("POST", "/v1/webhook-secret/rotate").get("secret", ""))


def _deprecated(old: str, replacement: str) -> None:
    warnings.warn(
        f"client.riffusion.{old} is deprecated (Riffusion is retired): use {replacement} instead.",
        DeprecationWarning,
        stacklevel=3,
    )


class Riffusion:
    """The nine legacy Riffusion calls, each forwarded to the call that replaces it."""

    def __init__(self, client: AIMusicClient) -> None:
        self._client = client

    def create_music_with_lyrics(self, lyrics: str, style: str, **optional: Any) -> Task:
        _deprecated("create_music_with_lyrics", "client.suno.create_music_with_lyrics")
        return self._client.suno.create_music_with_lyrics(lyrics, style, **optional)

    def create_music_with_description(self, description: str, **optional: Any) -> Task:
        _deprecated("create_music_with_description", 'client.producer.create_music(operation="create")')
        return self._client.producer.create_music("create", description=description, **optional)

    def cover_music(self, audio_id: str, style: str, **optional: Any) -> Task:
        _deprecated("cover_music", 'client.producer.create_music(operation="cover")')
        return self._client.producer.create_music("cover", audio_id=audio_id, style=style, **optional)

    def extend_music(self, audio_id: str, **optional: Any) -> Task:
        _deprecated("extend_music", "client.suno.extend_music")
        return self._client.suno.extend_music(audio_id, **optional)

    def replace_music_section(
        self, audio_id: str, start_time: float, end_time: float, description: str, **optional: Any
    ) -> Task:
        _deprecated("replace_music_section", 'client.producer.create_music(operation="replace")')
        return self._client.producer.create_music(
            "replace",
            audio_id=audio_id,
            start_time=start_time,
            end_time=end_time,
            description=description,
            **optional,
        )

    def swap_music_sound(self, audio_id: str, instrumental_description: str, **optional: Any) -> Task:
        _deprecated("swap_music_sound", 'client.producer.create_music(operation="swap_instrumentals")')
        return self._client.producer.create_music(
            "swap_instrumentals",
            audio_id=audio_id,
            instrumental_description=instrumental_description,
            **optional,
        )

    def swap_music_vocals(self, audio_id: str, voice_description: str, **optional: Any) -> Task:
        _deprecated("swap_music_vocals", 'client.producer.create_music(operation="swap_vocals")')
        return self._client.producer.create_music(
            "swap_vocals", audio_id=audio_id, voice_description=voice_description, **optional
        )

    def upload_music(self, file: UploadSource, filename: str | None = None) -> Upload:
        _deprecated("upload_music", "client.suno.upload_music")
        return self._client.suno.upload_music(file, filename)

    def get_music(self, task_id: str, model: str = "suno") -> Task:
        replacement = self._client.resource(model)
        _deprecated("get_music", f"client.{model}.get_music")
        return replacement.get_music(task_id)
