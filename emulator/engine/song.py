"""The facade's value objects and create(): request -> style -> lyrics -> arrangement -> mastered audio."""

import math
from dataclasses import dataclass

import numpy as np

from .composer import Voice, bars_per_line, compose, section_bars, voice_for
from .lyrics import feeling_of, parse_lyrics, theme_of, write_lyrics
from .model import Arrangement
from .persona import styled_by
from .production import render_song
from .style import Style, parse_style
from .tables.limits import (
    INSTRUMENT_STEMS,
    MAX_DURATION,
    MAX_LYRIC_SECTIONS,
    MAX_LYRICS_CHARS,
    MAX_TEXT_CHARS,
    MIN_DURATION,
    SAMPLE_RATE,
    VOICE_GENDERS,
    VOICE_SENTENCE,
)
from .tables.theory import BEATS_PER_BAR
from .units import pitch_class_to_note_name, seconds_to_beats
from .vocals import SINGING_MODES, singer_info, sings_words, voice_sentence


def check_duration(duration, what: str = "duration") -> float:
    if isinstance(duration, bool) or not isinstance(duration, int | float) or not math.isfinite(duration):
        raise ValueError(f"The {what} must be a number of seconds.")
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise ValueError(
            f"The {what} must be between {MIN_DURATION:g} and {MAX_DURATION:g} seconds, got {duration:g}."
        )
    return float(duration)


def check_text(text, what: str, limit: int = MAX_TEXT_CHARS, required: bool = False) -> str:
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ValueError(f"The {what} must be text.")
    if len(text) > limit:
        raise ValueError(f"The {what} is {len(text)} characters long; keep it to at most {limit}.")
    if required and not text.strip():
        raise ValueError(f"The {what} is empty; describe the music you want.")
    return text


def check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("The seed must be a whole number.")
    return seed


def check_voice_gender(voice_gender) -> str | None:
    if voice_gender is not None and voice_gender not in VOICE_GENDERS:
        raise ValueError(f"Unknown voice {voice_gender!r}; choose female, male or mixed (or leave it empty).")
    return voice_gender


def check_singing(singing) -> str | None:
    if singing is not None and singing not in SINGING_MODES:
        raise ValueError(f"Unknown singing {singing!r}; choose 'words' (sung lyrics) or 'wordless'.")
    return singing


@dataclass(frozen=True)
class SongRequest:
    text: str = ""
    duration: float = 30.0
    voice_gender: str | None = None
    instrumental: bool = False
    lyrics: str | None = None
    auto_lyrics: bool = True
    title: str | None = None
    seed: int = 0
    persona: dict | None = None
    singing: str | None = None  # "words" (the default when there are lyrics) or "wordless"

    def __post_init__(self):
        check_text(self.text, "description")
        check_text(self.lyrics, "lyrics", MAX_LYRICS_CHARS)
        check_text(self.title, "title", 200)
        if not self.text.strip() and not (self.lyrics or "").strip():
            raise ValueError(
                "The description is empty; describe the music you want (for example 'sad piano ballad')."
            )
        check_duration(self.duration)
        check_voice_gender(self.voice_gender)
        check_seed(self.seed)
        check_singing(self.singing)
        if self.persona is not None and not isinstance(self.persona, dict):
            raise ValueError("The persona must be a voice profile made by learn_persona().")


@dataclass
class Source:
    arrangement: dict | None = None
    audio: np.ndarray | None = None
    sample_rate: int = SAMPLE_RATE

    def __post_init__(self):
        if self.arrangement is None and self.audio is None:
            raise ValueError("The source clip has neither an arrangement nor audio.")
        if self.arrangement is not None and not isinstance(self.arrangement, dict):
            raise ValueError("The source arrangement must be the plain-data arrangement the engine returned.")
        if self.audio is not None:
            if isinstance(self.sample_rate, bool) or not isinstance(self.sample_rate, int):
                raise ValueError("The source sample rate must be a whole number of Hz.")
            if not 8000 <= self.sample_rate <= 192000:
                raise ValueError(f"The source sample rate {self.sample_rate} Hz is outside 8000-192000 Hz.")
            audio = np.asarray(self.audio, dtype=np.float32)
            if audio.ndim == 1:
                audio = np.stack([audio, audio], axis=1)
            if audio.ndim != 2 or audio.shape[1] != 2 or len(audio) < self.sample_rate * 0.5:
                raise ValueError("The source audio must be stereo float samples at least half a second long.")
            self.audio = audio


@dataclass
class Result:
    audio: np.ndarray
    sample_rate: int
    arrangement: dict | None
    title: str
    lyrics: str | None
    metadata: dict

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate


@dataclass
class Stems:
    tracks: dict[str, np.ndarray]
    sample_rate: int
    approximate: bool


def song_metadata(arrangement: Arrangement, approximate: bool = False) -> dict:
    info = arrangement.info
    stems = [s for s in INSTRUMENT_STEMS if any(t.stem == s and t.notes for t in arrangement.tracks)]
    voice = info.get("voice")
    return {
        "genre": info.get("genre"),
        "mood": info.get("mood"),
        "tempo": arrangement.tempo,
        "key": pitch_class_to_note_name(arrangement.key),
        "mode": arrangement.mode,
        "instruments": stems,
        "voice_gender": voice["gender"] if voice else None,
        "voice": voice_sentence(info, VOICE_SENTENCE) if voice else "Instrumental: no voice.",
        "singing": info.get("singing", "wordless") if voice else None,
        "sung_language": info.get("language") if voice and sings_words(arrangement) else None,
        "notes": list(info.get("singer_notes", [])),
        "approximate": approximate,
        "style": info.get("text", ""),
        "structure": "-".join(s.name for s in arrangement.sections),
        "seed": info.get("seed"),
    }


def result_from_arrangement(arrangement: Arrangement, sample_rate: int = SAMPLE_RATE) -> Result:
    # Rendered as stored (note times rounded): later renders of the stored clip (stems) then match it.
    arrangement = Arrangement.from_dict(arrangement.to_dict())
    audio = render_song(arrangement, sample_rate)
    info = arrangement.info
    return Result(
        audio,
        sample_rate,
        arrangement.to_dict(),
        info.get("title") or "Untitled",
        info.get("lyrics"),
        song_metadata(arrangement),
    )


def song_info(
    style: Style, text: str, title: str, lyrics: str | None, voice: Voice | None, seed: int
) -> dict:
    return {
        "genre": style.genre,
        "mood": style.mood,
        "style": style.to_dict(),
        "text": text,
        "title": title,
        "lyrics": lyrics,
        "voice": voice.to_dict() if voice else None,
        "seed": seed,
    }


def lyric_plan(
    text: str, lyrics: str | None, auto_lyrics: bool, seed: int, sections_wanted: int = 0
) -> tuple[list, str | None]:
    """(sections of sung lines, lyrics text to report); without words the voice sings 'ooh'."""
    if lyrics and lyrics.strip():
        sections = parse_lyrics(lyrics)
        if sections:
            return sections, lyrics
    written = write_lyrics(text, "", seed, sections_wanted)
    sections = parse_lyrics(written["lyrics"])
    if auto_lyrics:
        return sections, written["lyrics"]
    return [(kind, [" ".join(["ooh"] * 6) for _ in lines]) for kind, lines in sections], None


def make_title(text: str, lyrics: str | None) -> str:
    theme = theme_of(text, feeling_of(text)) if text.strip() else ""
    if not theme and lyrics:
        sung = [line for _, lines in parse_lyrics(lyrics) for line in lines]
        theme = " ".join(sung[0].split()[:4]) if sung else ""
    return (theme or "Untitled").strip()[:60].title()


def build_song(
    style: Style,
    text: str,
    duration: float,
    seed: int,
    lyrics: str | None = None,
    auto_lyrics: bool = True,
    title: str | None = None,
    persona: dict | None = None,
    intro: bool = True,
    singing: str | None = None,
) -> Arrangement:
    """Lyrics, voice and arrangement for a parsed style; sung words by default when there are lyrics."""
    voice = voice_for(style.voice_gender, style.voice_program, persona) if style.voice_gender else None
    per_line = bars_per_line(style.tempo)
    bars = seconds_to_beats(duration, style.tempo) / BEATS_PER_BAR
    wanted = min(MAX_LYRIC_SECTIONS, int((bars - 6) // section_bars(4, per_line)))
    sections, lyrics = lyric_plan(text, lyrics, auto_lyrics, seed, wanted) if voice else ([], None)
    title = title or make_title(text, lyrics)
    info = song_info(style, text, title, lyrics, voice, seed)
    arrangement = compose(style, duration, sections, seed, voice, info, intro=intro)
    if voice:
        mode = singing or ("words" if lyrics else "wordless")
        sung = [line for _, _, lines in arrangement.info["plan"] for line in lines]
        arrangement.info.update(singer_info(mode, sung, [line for _, lines in sections for line in lines]))
    return arrangement


def create(req: SongRequest) -> Result:
    """A new song from a request."""
    if not isinstance(req, SongRequest):
        raise ValueError("create() takes a SongRequest.")
    persona = req.persona or {}
    gender = req.voice_gender or persona.get("voice_gender")
    style = parse_style(req.text, check_voice_gender(gender), req.instrumental, req.seed)
    style = styled_by(style, persona, req.seed)  # a persona keeps its source's tempo, key and band
    arrangement = build_song(
        style,
        req.text,
        req.duration,
        req.seed,
        req.lyrics,
        req.auto_lyrics,
        req.title,
        req.persona,
        singing=req.singing,
    )
    return result_from_arrangement(arrangement)


def analyze(src: Source) -> dict:
    """Tempo, key and mode: read from the arrangement, or estimated from uploaded audio."""
    if not isinstance(src, Source):
        raise ValueError("analyze() takes a Source.")
    if src.arrangement is not None:
        arrangement = Arrangement.from_dict(src.arrangement)
        return {
            "tempo": arrangement.tempo,
            "key": pitch_class_to_note_name(arrangement.key),
            "mode": arrangement.mode,
        }
    from .analysis import estimate_key, estimate_tempo

    key, mode = estimate_key(src.audio, src.sample_rate)
    return {
        "tempo": estimate_tempo(src.audio, src.sample_rate),
        "key": pitch_class_to_note_name(key),
        "mode": mode,
    }
