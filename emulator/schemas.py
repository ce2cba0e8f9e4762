"""Request bodies with the reference's fields and our validation limits (they show in /docs)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .netguard import AddressRefused, parse_url

DURATION_HELP = "Length of the song in seconds, 10 to 240."
Duration = Annotated[float, Field(ge=10, le=240, description=DURATION_HELP)]
VoiceGender = Literal["female", "male", "mixed"]
Text = Annotated[str, Field(min_length=1, max_length=1000)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Lyrics = Annotated[str, Field(min_length=1, max_length=5000, description="Up to 5000 characters.")]
Id = Annotated[str, Field(min_length=1, max_length=100)]
Seed = Annotated[
    int | None,
    Field(
        ge=0,
        le=2**31 - 1,
        description="Our extension: the same request and seed give the same song. "
        "Without it the server picks one (kept with the task).",
    ),
]
Singing = Annotated[
    Literal["words", "wordless"] | None,
    Field(
        description="Our extension: how the built-in engine's voice sings. `words`: a synthetic voice "
        "(eSpeak NG speech re-pitched to the melody) sings the lyrics, one syllable per note; the "
        "default when the song has lyrics. `wordless`: a soundfont voice sings the melody without "
        "words (the default without lyrics). Lyrics in a script the singer cannot read fall back to "
        "`wordless`, with a note in the clip's metadata.",
    ),
]
Operation = Literal["create", "extend", "cover", "replace", "swap_vocals", "swap_instrumentals", "variation"]

# Friendlier sentences for range errors than "Input should be greater than or equal to 10".
RANGE_HINTS = {
    "duration": "duration must be between 10 and 240 seconds.",
    "num_variations": "num_variations must be between 1 and 5.",
}


class Body(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class WithWebhook(Body):
    webhook_url: str | None = Field(
        None,
        max_length=2000,
        description="When the task finishes, its get-music JSON (plus `timestamp` and `signature`) is POSTed "
        "here, signed with the key's webhook secret (GET /v1/webhook-secret; see the API description). "
        "http(s) only, with a valid host and port; loopback, link-local, private and other non-public "
        "addresses are refused (400) unless the operator allows them. Failed deliveries are retried with "
        "backoff; the task's `webhook_status` says waiting, sending, delivered or failed.",
    )
    seed: Seed = None

    @field_validator("webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value:
            try:
                parse_url(value)
            except AddressRefused as error:
                raise ValueError(str(error).rstrip(".")) from None
        return value or None


class CreateMusic(WithWebhook):
    description: Text
    duration: Duration = 30
    voice_gender: VoiceGender | None = None
    auto_lyrics: bool = True
    singing: Singing = None


class DescribeMusic(WithWebhook):
    description: Text
    duration: Duration = 30


class CreateMusicWithLyrics(WithWebhook):
    lyrics: Lyrics
    style: ShortText = "pop"
    title: Annotated[str, Field(max_length=100)] | None = None
    voice_gender: VoiceGender | None = None
    duration: Duration = Field(
        30, description="Our extension (the reference sets no length). " + DURATION_HELP
    )
    singing: Singing = None


class ExtendMusic(WithWebhook):
    audio_id: Id
    duration: Duration = Field(30, description="Seconds of new music added after the clip. " + DURATION_HELP)
    continue_at: float | None = Field(
        None,
        gt=0,
        description="Our extension: the second of the clip where the new music starts (default: its end). "
        "The clip's music after that second is left out of the whole song.",
    )


class ConcatMusic(WithWebhook):
    clip_ids: list[Id] = Field(min_length=2, max_length=10, description="2 to 10 clip ids, in play order.")


class CoverMusic(WithWebhook):
    audio_url: str | None = Field(
        None,
        description="A file link from this server (get-music results). Other addresses are refused: "
        "the built-in server fetches nothing from outside; upload the file instead.",
    )
    audio_id: Id | None = Field(None, description="Our extension: a clip id instead of audio_url.")
    style: ShortText
    voice_gender: VoiceGender | None = None


class SongId(WithWebhook):
    song_id: Id = Field(description="A clip id, or an upload's audio_id.")


class CreatePersona(WithWebhook):
    song_url: str | None = Field(
        None, description="A file link from this server; other addresses are refused."
    )
    song_id: Id | None = Field(None, description="Our extension: a clip id instead of song_url.")
    persona_name: Annotated[str, Field(min_length=1, max_length=100)]


class CreatePersonaMusic(WithWebhook):
    persona_id: Id
    description: Text | None = None
    lyrics: Lyrics | None = None
    duration: Duration = 30
    singing: Singing = None


PRODUCER_REQUIRED = {
    "create": ("description",),
    "extend": ("audio_id",),
    "cover": ("audio_id", "style"),
    "replace": ("audio_id", "start_time", "end_time", "description"),
    "swap_vocals": ("audio_id", "voice_description"),
    "swap_instrumentals": ("audio_id", "instrumental_description"),
    "variation": ("audio_id", "variation_type"),
}


class ProducerCreate(WithWebhook):
    operation: Operation
    description: Text | None = None
    duration: Duration | None = None
    audio_id: Id | None = None
    style: ShortText | None = None
    start_time: float | None = Field(None, ge=0, description="replace: start of the section, seconds.")
    end_time: float | None = Field(None, gt=0, description="replace: end of the section, seconds.")
    voice_description: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    instrumental_description: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    variation_type: Literal["style", "melody", "arrangement"] | None = None
    singing: Singing = None

    def missing_field(self) -> str | None:
        return next((f for f in PRODUCER_REQUIRED[self.operation] if getattr(self, f) is None), None)


class NuroMusic(WithWebhook):
    prompt: Text
    duration: Duration = 30
    style: ShortText | None = None


class NuroVocalMusic(NuroMusic):
    voice_gender: VoiceGender | None = None
    singing: Singing = None


class GenerateLyrics(Body):
    prompt: Text
    style: Annotated[str, Field(max_length=200)] = ""
    num_variations: int = Field(1, ge=1, le=5, description="1 to 5 variations.")
