"""Sung words: the arrangement's vocal lines as a score for the singer, sung in a child process.

Each lyric line of the plan is matched with the notes the composer wrote for it (one note per spelled
syllable), so the singer knows which word sits on which notes. The lead vocal tracks become the sung
lead stem; chorus lines also get a quieter harmony a diatonic third below, on the backing-vocal stem.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from .composer import bars_per_line
from .harmony import degree_to_pitch, pitch_to_degree
from .lyrics import syllable_count
from .model import Arrangement, Note, Track
from .render import resample
from .singer.language import detect_language, language_name
from .tables.theory import BEATS_PER_BAR
from .units import beats_to_seconds, seconds_to_samples

SINGING_MODES = ("words", "wordless")
# The child imports the singer package alone, by its path (not the engine, not the engine's siblings).
SING_SCRIPT = (
    "import importlib.util, pathlib, sys; where = pathlib.Path(sys.argv[1]); "
    "spec = importlib.util.spec_from_file_location('singer', where / '__init__.py', "
    "submodule_search_locations=[str(where)]); "
    "sys.modules['singer'] = importlib.util.module_from_spec(spec); "
    "spec.loader.exec_module(sys.modules['singer']); "
    "from singer.worker import main; main()"
)
SINGER_DIR = Path(__file__).parent / "singer"
SING_TIMEOUT = 600  # seconds: far beyond a 10-minute song, short of hanging forever
LINE_GAP = 0.35  # beats of silence that end a sung line (lines end on a held note and a breath)
HARMONY_GAIN = 0.45
HARMONY_DELAY = 0.011  # seconds, on one side: the harmony sits wide of the centred lead
SINGER_STEMS = ("lead_vocals", "backing_vocals")
WORD_RE = re.compile(r"[^\W_]", re.UNICODE)


def sings_words(arrangement: Arrangement) -> bool:
    """True when the singer sings this arrangement's lead vocal (else the soundfont voice does)."""
    info = arrangement.info
    return (
        info.get("singing") == "words"
        and bool(info.get("language"))
        and _section_plan(arrangement) is not None
        and any(t.stem == "lead_vocals" and t.notes for t in arrangement.tracks)
    )


def singer_info(singing: str, sung_lines: list[str], lyric_lines: list[str]) -> dict:
    """What create() records: the mode, the language the words are sung in, and notes for the metadata."""
    notes = []
    sung = set(sung_lines)
    left_out = sum(1 for line in lyric_lines if line not in sung)
    if left_out:
        notes.append(
            f"{len(lyric_lines) - left_out} of {len(lyric_lines)} lyric lines fit in the song's length; "
            "the later lines were left out."
        )
    if singing != "words":
        return {"singing": "wordless", "language": None, "singer_notes": notes}
    language, script = detect_language("\n".join(sung_lines))
    if language is None:
        notes.append(
            f"The synthetic singer cannot read lyrics written in {script}, so the wordless voice sings the "
            "melody instead."
        )
        return {"singing": "words", "language": None, "singer_notes": notes}
    return {"singing": "words", "language": language, "singer_notes": notes}


def voice_sentence(info: dict, wordless_sentence: str) -> str:
    language = info.get("language")
    if info.get("singing") == "words" and language:
        return (
            f"The voice is a synthetic singer (eSpeak NG speech, re-pitched with Praat PSOLA) singing the "
            f"lyrics in {language_name(language)}, one syllable per note."
        )
    return wordless_sentence


def _section_plan(arrangement: Arrangement) -> list | None:
    """The plan entry ([kind, bars, lines]) of each section, or None when the plan cannot say.

    An extension's plan is cumulative (the parent's sections, then its own): its sections are the tail.
    """
    plan = arrangement.info.get("plan") or []
    count = len(arrangement.sections)
    if len(plan) < count:
        return None
    tail = plan[len(plan) - count :]
    fits = all(
        entry[0] == section.name and entry[1] == section.bars
        for entry, section in zip(tail, arrangement.sections, strict=True)
    )
    return tail if fits else None


def sung_words(text: str) -> list[str]:
    """The words of a line that are sung: tokens with a letter or digit (emoji and dashes are not)."""
    return [word for word in text.split() if WORD_RE.search(word)]


def score(arrangement: Arrangement) -> dict:
    """The singer's score: every sung line with its words, notes (seconds, MIDI) and parts.

    For an arrangement sings_words() accepts (its plan has the words of every section).
    """
    plan = _section_plan(arrangement) or []
    lines = []
    vocal_tracks = [t for t in arrangement.tracks if t.stem == "lead_vocals" and t.notes]
    for track in vocal_tracks:
        gender = _gender(track)
        lead = track is vocal_tracks[0]
        for section, (kind, _, texts) in zip(arrangement.sections, plan, strict=True):
            if not texts:
                continue
            end = section.start_beat + section.bars * BEATS_PER_BAR
            notes = sorted(
                (n for n in track.notes if section.start_beat <= n.start < end), key=lambda n: n.start
            )
            for text, line_notes in _lines_with_notes(arrangement, section.start_beat, texts, notes):
                sung = _sung_line(arrangement, text, line_notes, gender, track, lead and kind == "chorus")
                if sung:
                    lines.append(sung)
    return {"duration": arrangement.duration, "stems": list(SINGER_STEMS), "lines": lines}


def _gender(track: Track) -> str:
    pitches = sorted(n.pitch for n in track.notes)
    return "female" if pitches[len(pitches) // 2] >= 58 else "male"


def _lines_with_notes(arrangement: Arrangement, start_beat: float, texts: list[str], notes: list[Note]):
    """Pair each lyric line with its notes: lines are split at breaths; else by the composer's line length."""
    groups: list[list[Note]] = []
    for note in notes:
        if groups and note.start - groups[-1][-1].end < LINE_GAP:
            groups[-1].append(note)
        else:
            groups.append([note])
    if len(groups) == len(texts):
        return list(zip(texts, groups, strict=True))
    beats = bars_per_line(arrangement.tempo) * BEATS_PER_BAR
    paired = []
    for index, text in enumerate(texts):
        low = start_beat + index * beats
        inside = [n for n in notes if low <= n.start < low + beats]
        if inside:
            paired.append((text, inside))
    return paired


def _sung_line(
    arrangement: Arrangement, text: str, notes: list[Note], gender: str, track: Track, harmony: bool
):
    words = sung_words(text)
    counts = [syllable_count(w) for w in words]
    if not words or not notes:
        return None
    per_word, left = [], len(notes)
    for count in counts:
        take = min(count, left)
        per_word.append(take)
        left -= take
    if left > 0:
        per_word[-1] += left
    # A line with more syllables than its notes can hold: the words past the last note are not sung.
    words, per_word = words[: sum(1 for n in per_word if n)], [n for n in per_word if n]
    tempo = arrangement.tempo
    timed = [[beats_to_seconds(n.start, tempo), beats_to_seconds(n.duration, tempo), n.pitch] for n in notes]
    vibrato = 15.0 + 0.5 * track.vibrato
    parts = [
        {"stem": "lead_vocals", "pitches": [n.pitch for n in notes], "gain": 1.0, "vibrato_cents": vibrato}
    ]
    if harmony:
        below = [_third_below(n.pitch, arrangement.key, arrangement.mode) for n in notes]
        parts.append(
            {"stem": "backing_vocals", "pitches": below, "gain": HARMONY_GAIN, "vibrato_cents": vibrato}
        )
    return {
        "words": words,
        "notes_per_word": per_word,
        "notes": timed,
        "language": arrangement.info["language"],
        "gender": gender,
        "parts": parts,
    }


def _third_below(pitch: int, key: int, mode: str) -> int:
    return degree_to_pitch(pitch_to_degree(pitch, key, mode) - 2, key, mode)


def sing(arrangement: Arrangement, sample_rate: int) -> dict[str, np.ndarray]:
    """The sung stems, stereo at sample_rate and exactly as long as the song (a fresh process per song)."""
    data = json.dumps(score(arrangement)).encode()
    command = [sys.executable, "-I", "-c", SING_SCRIPT, str(SINGER_DIR)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False, timeout=SING_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"The singer took longer than {SING_TIMEOUT} s and was stopped.") from None
    if done.returncode != 0:
        raise RuntimeError(f"The singer failed: {done.stderr.decode(errors='replace')[-300:]}")
    header, _, body = done.stdout.partition(b"\n")
    meta = json.loads(header)
    audio = np.frombuffer(body, dtype="<f4").reshape(len(meta["stems"]), meta["samples"])
    length = seconds_to_samples(arrangement.duration, sample_rate)
    stems = {}
    for stem, mono in zip(meta["stems"], audio, strict=True):
        if not mono.any():  # no chorus, no harmony: no stem rather than a silent one
            continue
        mono = resample(np.ascontiguousarray(mono, dtype=np.float32), meta["sample_rate"], sample_rate)
        mono = np.pad(mono, (0, max(0, length - len(mono))))[:length]
        stereo = np.stack([mono, mono], axis=1)
        if stem == "backing_vocals":
            shift = int(HARMONY_DELAY * sample_rate)
            stereo[shift:, 1] = mono[: length - shift]
            stereo[:shift, 1] = 0.0
        stems[stem] = stereo
    return stems
