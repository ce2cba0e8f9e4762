"""Operations on uploaded audio (no arrangement): the engine listens for tempo and key, makes new
material to match and splices it in with equal-power crossfades. Results say they are approximate."""

import dataclasses

import numpy as np

from .analysis import estimate_key, estimate_tempo, melody_pitches
from .mastering import loudness_lufs, mastering_gain
from .model import Arrangement
from .production import render_song
from .render import resample
from .separation import separate
from .song import Result, Stems, build_song, result_from_arrangement, song_metadata
from .style import detect_voice, normalise_text, parse_style
from .tables.genres import VOICE_PATCH
from .tables.limits import MAX_DURATION, MIN_DURATION, SAMPLE_RATE
from .units import db_to_gain, pitch_class_to_note_name, seconds_to_samples

VOICE_WORDS = ("vocal", "voice", "sing", "singer", "lyrics", "female", "male", "duet")
LOUDNESS_MATCH_DB = (-9.0, 6.0)
MALE_FEMALE_SPLIT = 64  # MIDI note (E4): median sung pitch below it reads as a male register


def _at_engine_rate(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    return resample(np.asarray(audio, dtype=np.float32), sample_rate, SAMPLE_RATE)


def _listened_style(audio: np.ndarray, text: str, gender: str | None, seed: int, vocals: bool):
    tempo = estimate_tempo(audio, SAMPLE_RATE)
    key, mode = estimate_key(audio, SAMPLE_RATE)
    style = parse_style(text, gender, not vocals, seed)
    return dataclasses.replace(style, tempo=float(round(tempo)), key=key, mode=mode)


def _wants_voice(text: str, gender: str | None) -> bool:
    return gender is not None or any(w in normalise_text(text) for w in VOICE_WORDS)


def crossfade(first: np.ndarray, second: np.ndarray, overlap: int) -> np.ndarray:
    """first then second, overlapping by `overlap` samples with equal-power curves."""
    overlap = max(0, min(overlap, len(first), len(second)))
    if not overlap:
        return np.concatenate([first, second])
    angle = np.linspace(0.0, np.pi / 2, overlap, dtype=np.float32)[:, None]
    middle = first[len(first) - overlap :] * np.cos(angle) + second[:overlap] * np.sin(angle)
    return np.concatenate([first[: len(first) - overlap], middle, second[overlap:]]).astype(np.float32)


def _match_loudness(new: np.ndarray, reference: np.ndarray) -> np.ndarray:
    difference = loudness_lufs(reference, SAMPLE_RATE) - loudness_lufs(new, SAMPLE_RATE)
    return new * np.float32(db_to_gain(float(np.clip(difference, *LOUDNESS_MATCH_DB))))


def _finish(audio: np.ndarray) -> np.ndarray:
    """Loudness-normalise the edited whole like every engine result (no fades added)."""
    return (audio * mastering_gain(audio, SAMPLE_RATE, 0.0)[:, None]).astype(np.float32)


def musical_end(audio: np.ndarray) -> int:
    """Where the music ends before a trailing fade-out or silence (a join there leaves no dip)."""
    size = seconds_to_samples(0.05, SAMPLE_RATE)
    tail = audio[-seconds_to_samples(10.0, SAMPLE_RATE) :].mean(axis=1)
    frames = tail[len(tail) % size :].reshape(-1, size)
    levels = np.sqrt((frames**2).mean(axis=1))
    if not len(levels) or levels.max() <= 0:
        return len(audio)
    loud = np.nonzero(levels >= 0.5 * np.percentile(levels, 75))[0]
    return len(audio) - (len(levels) - 1 - int(loud[-1])) * size


def _listened_metadata(style, approximate_note: str) -> dict:
    return {
        "genre": style.genre,
        "mood": style.mood,
        "tempo": style.tempo,
        "key": pitch_class_to_note_name(style.key),
        "mode": style.mode,
        "instruments": [],
        "voice_gender": style.voice_gender,
        "voice": "Uploaded audio; any new voice is the engine's synthetic singer.",
        "approximate": True,
        "note": approximate_note,
    }


def _new_material(
    style, text: str, seconds: float, seed: int, fade_out: bool
) -> tuple[np.ndarray, Arrangement]:
    seconds = min(MAX_DURATION, max(MIN_DURATION, seconds))
    arrangement = build_song(style, text or style.genre, seconds, seed, intro=False)
    return render_song(arrangement, SAMPLE_RATE, fade_out=fade_out), arrangement


def extend_audio(
    audio: np.ndarray, sample_rate: int, at: float, seconds: float, text: str, seed: int, parent_print: str
) -> Result:
    """New music continuing an upload from `at` seconds (before a trailing fade-out): only the new part.

    It is an engine arrangement in the tempo and key heard before the cut, so it can be extended further;
    concat trims the upload at the cut and crossfades the two.
    """
    original = _at_engine_rate(audio, sample_rate)[: seconds_to_samples(at, SAMPLE_RATE)]
    cut = musical_end(original)
    reference = original[max(0, cut - seconds_to_samples(30.0, SAMPLE_RATE)) : cut]
    style = _listened_style(
        reference, text, detect_voice(normalise_text(text)), seed, _wants_voice(text, None)
    )
    arrangement = build_song(
        style, text or style.genre, seconds, seed, title="Extension of upload", intro=False
    )
    arrangement.info["continues"] = {"parent": parent_print, "at_seconds": round(cut / SAMPLE_RATE, 3)}
    result = result_from_arrangement(arrangement)
    result.metadata = {
        **song_metadata(arrangement, approximate=True),
        "note": "Continued in the tempo and key estimated from the upload.",
        "continue_at": round(cut / SAMPLE_RATE, 3),
    }
    return result


def cover_audio(audio: np.ndarray, sample_rate: int, text: str, gender: str | None, seed: int) -> Result:
    original = _at_engine_rate(audio, sample_rate)
    style = _listened_style(original, text, gender, seed, True)
    duration = min(MAX_DURATION, max(MIN_DURATION, len(original) / SAMPLE_RATE))
    arrangement = build_song(style, text, duration, seed, title="Cover of upload")
    result = result_from_arrangement(arrangement)
    result.metadata = {
        **song_metadata(arrangement, approximate=True),
        "note": "A new song in the tempo and key estimated from the upload.",
    }
    return result


def replace_audio(
    audio: np.ndarray, sample_rate: int, start: float, end: float, text: str, seed: int
) -> Result:
    original = _at_engine_rate(audio, sample_rate)
    style = _listened_style(original, text, None, seed, False)
    overlap = seconds_to_samples(0.25, SAMPLE_RATE)
    first, last = (
        seconds_to_samples(start, SAMPLE_RATE),
        min(len(original), seconds_to_samples(end, SAMPLE_RATE)),
    )
    head_overlap, tail_overlap = min(overlap, first), min(overlap, len(original) - last)
    span = last - first + head_overlap + tail_overlap
    new, _ = _new_material(style, text, span / SAMPLE_RATE, seed, fade_out=False)
    new = _match_loudness(new[:span], original[max(0, first - overlap) : last + overlap])
    spliced = crossfade(original[:first], new, head_overlap)
    spliced = crossfade(spliced, original[last:], tail_overlap)
    note = f"Seconds {start:g}-{end:g} replaced with new material in the estimated tempo and key."
    return Result(_finish(spliced), SAMPLE_RATE, None, "Edited upload", None, _listened_metadata(style, note))


def persona_from_audio(audio: np.ndarray, sample_rate: int, name: str) -> dict:
    vocals = separate(_at_engine_rate(audio, sample_rate), SAMPLE_RATE, "basic")["vocals"]
    pitches = melody_pitches(vocals, SAMPLE_RATE)
    if len(pitches) < 20:
        raise ValueError(
            "No clear singing voice could be heard in this recording; choose one with a prominent voice."
        )
    median = float(np.median(pitches))
    low, high = int(np.percentile(pitches, 10)), int(np.percentile(pitches, 90))
    center = int(round(median))
    low, high = min(low, center - 8), max(high, center + 9)
    gender = "male" if median < MALE_FEMALE_SPLIT else "female"
    return {
        "name": name,
        "voice_gender": gender,
        "program": VOICE_PATCH,
        "low": max(36, low),
        "high": min(96, high),
        "vibrato": 40,
        "median_pitch": median,
        "source": "audio analysis",
        "description": f"A {gender} register estimated from the pitch of the upload (median MIDI note {median:.0f}).",
    }


def stems_of_audio(audio: np.ndarray, sample_rate: int, kind: str) -> Stems:
    return Stems(
        separate(_at_engine_rate(audio, sample_rate), SAMPLE_RATE, kind), SAMPLE_RATE, approximate=True
    )


def join(sources, arrangements) -> Result:
    """Crossfade the clips; engine clips are cut on a beat and overlap by one beat."""
    pieces = []
    for index, (source, arrangement) in enumerate(zip(sources, arrangements, strict=True)):
        last = index == len(sources) - 1
        if arrangement is not None:
            pieces.append((render_song(arrangement, SAMPLE_RATE, fade_out=last), 60.0 / arrangement.tempo))
        else:
            upload = _at_engine_rate(source.audio, source.sample_rate)
            pieces.append(
                ((upload * mastering_gain(upload, SAMPLE_RATE, 0.0)[:, None]).astype(np.float32), None)
            )
    joined, origin, beat = pieces[0][0], 0, pieces[0][1]
    for audio, next_beat in pieces[1:]:
        if beat:
            beat_samples = beat * SAMPLE_RATE
            whole_beats = int((len(joined) - origin) // beat_samples)
            joined = joined[: origin + int(round(whole_beats * beat_samples))]
            overlap = int(round(beat_samples))
        else:
            overlap = seconds_to_samples(0.5, SAMPLE_RATE)
        origin = len(joined) - min(overlap, len(joined), len(audio))
        joined = crossfade(joined, audio, overlap)
        beat = next_beat
    engine_made = [a for a in arrangements if a is not None]
    metadata = song_metadata(engine_made[0]) if engine_made else {"tempo": None, "key": None, "mode": None}
    metadata = {
        **metadata,
        "approximate": len(engine_made) < len(arrangements),
        "structure": f"{len(sources)} clips joined",
    }
    titles = [a.info.get("title", "Untitled") for a in engine_made]
    lyrics = "\n\n".join(a.info["lyrics"] for a in engine_made if a.info.get("lyrics")) or None
    title = f"{titles[0]} (medley)" if titles else "Joined uploads"
    return Result(_finish(joined), SAMPLE_RATE, None, title, lyrics, metadata)
