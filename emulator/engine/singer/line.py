"""One sung line: speak the words, then move every syllable onto its notes and every vowel onto its pitch.

The words are spoken as one utterance (natural coarticulation) at a constant pitch near the line's
melody. A time map puts each vowel's start on its note's onset, keeps consonants at their spoken length
(shortened when notes are fast) and holds the vowel for the rest of the note; a pitch contour follows the
notes with short glides and light vibrato on long notes. Praat's PSOLA (overlap-add) applies both.
"""

from dataclasses import dataclass

import numpy as np
import parselmouth
from parselmouth.praat import call, run

from .espeak import Speech, espeak
from .language import voice_name
from .syllables import Unit, units_for_words

LEAD_TIME = 1.0  # seconds before a line's first note that its first consonants may take
ONSET_MAX = 0.055  # seconds of consonants before a vowel: sung onsets are quick, the vowel is on time
CODA_MAX = 0.12
VOWEL_SHARE = 0.4  # of a note's time, kept for the vowel when consonants must be squeezed
LEGATO_GAP = 0.12  # seconds between notes still sung as one breath
SKIP_FACTOR = 0.01  # pauses and unused sound are squeezed to a hundredth of their length
PITCH_STEP = 0.01  # seconds between pitch points
GLIDE = 0.04  # seconds either side of a note change
VIBRATO_RATE = 5.6  # Hz
VIBRATO_AFTER = 0.25  # seconds into a note before vibrato starts, then it fades in over as long
VIBRATO_MIN_NOTE = 0.45
FADE_IN, FADE_OUT = 0.01, 0.03
PREDICTABLE_RANDOM = "random_initializeWithSeedUnsafelyButPredictably (15)"
LEVEL = 0.05  # RMS of a line's sounding part before the part's gain: the voice sits just over the band


@dataclass(frozen=True)
class SungNote:
    onset: float  # seconds in the song
    duration: float
    pitch: float  # MIDI note number


@dataclass(frozen=True)
class Part:
    """Who sings a line: the stem, the pitch of each note (a harmony moves them), level and vibrato."""

    stem: str
    pitches: tuple[float, ...]
    gain: float
    vibrato_cents: float


@dataclass(frozen=True)
class SungLine:
    words: tuple[str, ...]
    notes_per_word: tuple[int, ...]
    notes: tuple[SungNote, ...]
    language: str
    gender: str
    parts: tuple[Part, ...]


@dataclass
class Take:
    stem: str
    start: float  # seconds in the song
    audio: np.ndarray  # float32 mono at the speech sample rate


def hz(pitch):
    return 440.0 * 2.0 ** ((np.asarray(pitch, dtype=float) - 69.0) / 12.0)


def sing_line(line: SungLine, cache: dict) -> list[Take]:
    """The line sung by each of its parts (empty when eSpeak says nothing for it).

    It is sung in time relative to its first note, so a chorus line sung again to the same tune is
    taken from `cache` (speech and takes are kept there for the song) instead of being sung anew.
    """
    origin = max(0.0, line.notes[0].onset - LEAD_TIME)
    notes = tuple(SungNote(round(n.onset - origin, 4), round(n.duration, 4), n.pitch) for n in line.notes)
    base = int(round(float(np.clip(np.median(hz([n.pitch for n in notes])), 80, 320))))
    spoken = ("speech", line.words, line.language, line.gender, base)
    if spoken not in cache:
        speech = espeak().speak(" ".join(line.words), voice_name(line.language, line.gender), base)
        cache[spoken] = (speech, _manipulation(speech, base) if len(speech.samples) else None)
    takes = []
    for part in line.parts:
        sung = ("take", spoken, notes, line.notes_per_word, part)
        if sung not in cache:
            cache[sung] = _sing_part(*cache[spoken], notes, line.notes_per_word, part, line.words)
        if cache[sung] is not None:
            start, audio = cache[sung]
            takes.append(Take(part.stem, origin + start, audio))
    return takes


def _sing_part(speech: Speech, manipulation, notes, notes_per_word, part: Part, words):
    """(start in the line's time, audio) of one part, or None when there is nothing to sing."""
    if manipulation is None:
        return None
    units = units_for_words(_phonemes_by_word(speech, words), list(notes_per_word))
    if not units:
        return None
    rate = speech.sample_rate
    src, out, sounding = _time_map(units, notes, rate)
    duration_tier = _duration_tier(src, out, len(speech.samples) / rate)
    contour_times = np.arange(out[0], out[-1], PITCH_STEP)
    contour = _contour(contour_times, notes, part)
    pitch_tier = _pitch_tier(np.interp(contour_times, out, src), contour, len(speech.samples) / rate)
    sung = _resynthesize(manipulation, pitch_tier, duration_tier)
    start = out[0] - SKIP_FACTOR * src[0]
    envelope = _envelope(len(sung), rate, start, sounding)
    audio = sung * envelope
    loud = envelope > 0.5
    rms = float(np.sqrt(np.mean(audio[loud] ** 2))) if loud.any() else 0.0
    if rms > 1e-6:
        audio *= LEVEL * part.gain / rms
    return start, audio.astype(np.float32)


def _manipulation(speech: Speech, base: int):
    sound = parselmouth.Sound(speech.samples.astype(np.float64), speech.sample_rate)
    return call(sound, "To Manipulation", 0.01, base * 0.75, base * 1.33)


def _phonemes_by_word(speech: Speech, words: tuple[str, ...]) -> list[list]:
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word) + 1
    grouped: list[list] = [[] for _ in words]
    for phoneme in speech.phonemes:
        index = max(0, int(np.searchsorted(starts, phoneme.char, side="right")) - 1)
        grouped[index].append(phoneme)
    return grouped


def _time_map(units: list[Unit], notes: tuple[SungNote, ...], rate: int):
    """Knots (source s, song s) of a piecewise-linear time map, and the sounding spans (song seconds)."""
    seconds = [((u.onset[1] - u.onset[0]) / rate, (u.coda[1] - u.coda[0]) / rate) for u in units]
    onset_len = [min(a, ONSET_MAX) for a, _ in seconds]
    coda_len = [min(b, CODA_MAX) for _, b in seconds]
    src: list[float] = []
    out: list[float] = []
    sounding = []
    for i, unit in enumerate(units):
        first, last = notes[unit.notes[0]], notes[unit.notes[-1]]
        note_end = last.onset + last.duration
        following = notes[units[i + 1].notes[0]].onset if i + 1 < len(units) else None
        legato = following is not None and following - note_end < LEGATO_GAP
        slot_end = following if legato else note_end
        onset_len[i] = min(onset_len[i], first.onset if not out else max(0.0, first.onset - out[-1]))
        next_onset = onset_len[i + 1] if legato else 0.0
        room = slot_end - first.onset
        need = coda_len[i] + next_onset
        keep = max(0.045, VOWEL_SHARE * room)
        if need > 0 and room - need < keep:
            scale = max(0.0, room - keep) / need
            coda_len[i] *= scale
            if legato:
                onset_len[i + 1] *= scale
                next_onset *= scale
        coda_end = slot_end - next_onset
        start = first.onset - onset_len[i]
        points = (
            (unit.onset[0] / rate, start),
            (unit.vowel[0] / rate, first.onset),
            (unit.coda[0] / rate, coda_end - coda_len[i]),
            (unit.coda[1] / rate, coda_end),
        )
        for s, o in points:
            if src and s <= src[-1]:
                s = src[-1] + 1.0 / rate
            if out and o < out[-1]:
                o = out[-1]
            src.append(s)
            out.append(o)
        sounding.append((start, coda_end))
    return np.array(src), np.array(out), sounding


def _duration_tier(src: np.ndarray, out: np.ndarray, length: float):
    tier = call("Create DurationTier", "timing", 0, length)
    lines = []
    if src[0] > 0.002:
        lines.append(f"Add point: {src[0] - 0.001:.6f}, {SKIP_FACTOR}")
    for k in range(len(src) - 1):
        span = src[k + 1] - src[k]
        factor = max(SKIP_FACTOR, (out[k + 1] - out[k]) / span)
        edge = min(0.0005, span / 4)
        lines.append(f"Add point: {src[k] + edge:.6f}, {factor:.6f}")
        lines.append(f"Add point: {src[k + 1] - edge:.6f}, {factor:.6f}")
    if length - src[-1] > 0.002:
        lines.append(f"Add point: {src[-1] + 0.001:.6f}, {SKIP_FACTOR}")
    run(tier, "\n".join(lines))
    return tier


def _contour(times: np.ndarray, notes: tuple[SungNote, ...], part: Part) -> np.ndarray:
    """The pitch (Hz) at each time: the notes, glides between close notes, vibrato on long notes."""
    onsets = np.array([n.onset for n in notes])
    ends = onsets + np.array([n.duration for n in notes])
    pitches = np.array(part.pitches, dtype=float)
    index = np.clip(np.searchsorted(onsets, times, side="right") - 1, 0, len(notes) - 1)
    midi = pitches[index].copy()
    for j in range(1, len(notes)):
        if onsets[j] - ends[j - 1] > LEGATO_GAP:
            continue
        near = np.abs(times - onsets[j]) < GLIDE
        blend = 0.5 - 0.5 * np.cos(np.pi * (times[near] - onsets[j] + GLIDE) / (2 * GLIDE))
        midi[near] = pitches[j - 1] + (pitches[j] - pitches[j - 1]) * blend
    lengths = (ends - onsets)[index]
    since = times - onsets[index] - VIBRATO_AFTER
    fade = np.clip(since / VIBRATO_AFTER, 0.0, 1.0) * (lengths >= VIBRATO_MIN_NOTE)
    midi += fade * part.vibrato_cents / 100.0 * np.sin(2 * np.pi * VIBRATO_RATE * np.maximum(since, 0.0))
    return hz(midi)


def _pitch_tier(source_times: np.ndarray, contour: np.ndarray, length: float):
    tier = call("Create PitchTier", "melody", 0, length)
    keep = np.concatenate([[True], np.diff(source_times) > 1e-5])
    run(
        tier,
        "\n".join(
            f"Add point: {t:.6f}, {f:.3f}" for t, f in zip(source_times[keep], contour[keep], strict=True)
        ),
    )
    return tier


def _resynthesize(manipulation, pitch_tier, duration_tier) -> np.ndarray:
    run(PREDICTABLE_RANDOM)  # PSOLA places unvoiced periods at random: the same seed, the same sound
    call([manipulation, pitch_tier], "Replace pitch tier")
    call([manipulation, duration_tier], "Replace duration tier")
    return call(manipulation, "Get resynthesis (overlap-add)").values[0]


def _envelope(length: int, rate: int, start: float, sounding: list[tuple[float, float]]) -> np.ndarray:
    """1 while syllables sound, 0 in the rests, with short fades (the rests' stretched sound is cut).

    Spans that touch (legato syllables) are one span: no dip between the syllables of a phrase.
    """
    merged: list[list[float]] = []
    for a, b in sounding:
        if merged and a <= merged[-1][1] + 0.002:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    knots, levels = [], []
    for a, b in merged:
        fade_in, fade_out = min(FADE_IN, (b - a) / 3), min(FADE_OUT, (b - a) / 3)
        knots += [a, a + fade_in, b - fade_out, b]
        levels += [0.0, 1.0, 1.0, 0.0]
    times = start + np.arange(length) / rate
    return np.interp(times, knots, levels, left=0.0, right=0.0)
