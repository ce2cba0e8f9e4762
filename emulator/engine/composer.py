"""Compose an arrangement: sections sized to the duration, chords, band, melody and the sung line."""

import math
import random
from dataclasses import dataclass

from .accompaniment import Frame, bass_track, drums_track, part_track
from .harmony import nearest_pitch
from .lyrics import syllables, word_ends
from .melody import line_pitches, line_rhythm, motif_seed, rhythm_seed
from .model import Arrangement, Section, Track
from .style import Part, Style, text_seed
from .tables.genres import BACKING_PATCH, GENRES, LEAD_CENTER, LINE_START_DEGREE, VOICE_REGISTERS
from .tables.theory import BEATS_PER_BAR
from .units import seconds_to_beats

DEFAULT_VOICE = {"vibrato": 40}


@dataclass(frozen=True)
class PlannedSection:
    name: str
    bars: int
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Voice:
    """How the singer sounds: patch, register and vibrato (what a persona stores)."""

    gender: str
    program: int
    low: int
    high: int
    vibrato: int

    def __post_init__(self):
        if not 0 <= self.low < self.high <= 127:
            raise ValueError("A voice needs a register with low < high inside 0-127.")

    def to_dict(self) -> dict:
        return {
            "gender": self.gender,
            "program": self.program,
            "low": self.low,
            "high": self.high,
            "vibrato": self.vibrato,
        }


def voice_for(gender: str, program: int, persona: dict | None = None) -> Voice:
    if persona:
        return Voice(
            gender=persona.get("voice_gender", gender) or gender,
            program=int(persona.get("program", program)),
            low=int(persona.get("low", VOICE_REGISTERS.get(gender, (60, 79))[0])),
            high=int(persona.get("high", VOICE_REGISTERS.get(gender, (60, 79))[1])),
            vibrato=int(persona.get("vibrato", DEFAULT_VOICE["vibrato"])),
        )
    low, high = VOICE_REGISTERS.get(gender, VOICE_REGISTERS["female"])  # a duet keeps both registers
    return Voice(gender, program, low, high, DEFAULT_VOICE["vibrato"])


def bars_per_line(tempo: float) -> int:
    return 2 if tempo >= 96 else 1


def section_bars(lines: int, per_line: int) -> int:
    return max(4, int(math.ceil(lines * per_line / 4.0)) * 4)


def plan_sections(
    total_bars: int, lyric_sections: list[tuple[str, list[str]]], per_line: int, intro: bool = True
):
    """Intro, the lyric sections in order (cut to fit, the first chorus kept), solos and choruses to fill, outro."""
    intro_bars = 0 if not intro or total_bars < 4 else 1 if total_bars < 8 else 2 if total_bars < 24 else 4
    outro_bars = 0 if total_bars < 10 else 2 if total_bars < 32 else 4
    body = total_bars - intro_bars - outro_bars
    wanted = [(kind, lines, section_bars(len(lines), per_line)) for kind, lines in lyric_sections]
    if not wanted:
        wanted = [
            ("verse", [], 8),
            ("chorus", [], 8),
            ("verse", [], 8),
            ("chorus", [], 8),
            ("bridge", [], 8),
            ("chorus", [], 8),
        ]
    plan: list[PlannedSection] = []
    first_chorus = next((i for i, w in enumerate(wanted) if w[0] == "chorus"), None)
    if first_chorus is not None and sum(w[2] for w in wanted[: first_chorus + 1]) > body and body >= 1:
        chorus = wanted[first_chorus]
        chorus_bars = body if body < 4 else min(chorus[2], body - body // 3)
        before = body - chorus_bars
        if before >= 1:
            verse = wanted[0] if first_chorus > 0 else ("verse", [], before)
            plan.append(_fit(verse[0], verse[1], before, per_line))
        plan.append(_fit("chorus", chorus[1], chorus_bars, per_line))
        body = 0
    for kind, lines, bars in wanted:
        if body <= 0:
            break
        take = min(bars, body)
        plan.append(_fit(kind, lines, take, per_line))
        body -= take
    choruses = [p for p in plan if p.name == "chorus"] or [PlannedSection("chorus", 8)]
    if len(plan) > 2 and plan[-1].name != "chorus" and choruses[0] in plan:
        plan[-1] = _fit("chorus", list(choruses[0].lines), plan[-1].bars, per_line)  # end on the hook
    filler = [PlannedSection("solo", 8), choruses[-1]]
    turn = 0
    while body >= 4:
        nxt = filler[turn % 2]
        take = min(nxt.bars, body)
        plan.append(_fit(nxt.name, list(nxt.lines), take, per_line))
        body -= take
        turn += 1
    outro_bars += body
    if intro_bars:
        plan.insert(0, PlannedSection("intro", intro_bars))
    if outro_bars:
        plan.append(PlannedSection("outro", outro_bars))
    return plan


def _fit(kind: str, lines: list[str], bars: int, per_line: int) -> PlannedSection:
    capacity = bars // per_line
    return PlannedSection(kind, bars, tuple(lines[:capacity]))


def progression(style: Style, kind: str) -> list[str]:
    table = GENRES[style.genre]["progressions"][style.mode]
    return table.get(
        {"intro": "verse", "solo": "verse", "outro": "chorus"}.get(kind, kind), table["verse"]
    ).split()


def sections_from_plan(style: Style, plan: list[PlannedSection], start_bar: int = 0) -> list[Section]:
    tonic = "I" if style.mode == "major" else "i"
    sections, bar = [], start_bar
    for item in plan:
        chords = progression(style, item.name)
        bars = [chords[i % len(chords)] for i in range(item.bars)]
        if item.name == "outro":
            bars[-1] = tonic
        sections.append(Section(item.name, bar, item.bars, tuple(bars)))
        bar += item.bars
    return sections


class LineWriter:
    """Writes melody lines into tracks: sung lines (one note per syllable) and instrumental lines."""

    def __init__(self, frame: Frame, per_line: int):
        self.frame = frame
        self.per_line = per_line
        self.style = frame.style

    def line(self, track, kind, index, count, line_beat, low, high, last, velocity=100, variant=0, ends=None):
        style = self.style
        beats = self.per_line * BEATS_PER_BAR
        max_notes = int((beats - 0.5) / 0.25)
        count = min(count, max_notes)
        rhythm = line_rhythm(count, beats, rhythm_seed(self.frame.seed, kind, index, count, variant), ends)
        tonic_pitch = nearest_pitch(style.key, (low + high) / 2 - 4)
        cadence = (0 if kind == "chorus" else 4) if last else None
        pitches = line_pitches(
            rhythm,
            line_beat,
            self.frame.chord_at,
            style.key,
            style.mode,
            tonic_pitch,
            low,
            high,
            motif_seed(self.frame.seed, kind, index, variant),
            LINE_START_DEGREE.get(kind, 2),
            cadence,
        )
        notes = []
        for n, ((start, length), pitch) in enumerate(zip(rhythm, pitches, strict=True)):
            accent = 1.0 if n == 0 or start % 1 == 0 else 0.88
            beat = line_beat + start
            track.add(beat, max(0.2, length - 0.06), pitch, int(velocity * accent))
            notes.append(beat)
        return notes


def vocal_tracks(
    frame: Frame,
    sections: list[Section],
    plan: list[PlannedSection],
    voice: Voice,
    start_bar: int = 0,
    variant: int = 0,
):
    """Lead vocal track(s) and lyric events: (beat, syllable) for every sung note."""
    per_line = bars_per_line(frame.style.tempo)
    writer = LineWriter(frame, per_line)
    genders = ("female", "male") if voice.gender == "mixed" else (voice.gender,)
    tracks = {}
    for gender in genders:
        low, high = (voice.low, voice.high) if voice.gender != "mixed" else VOICE_REGISTERS[gender]
        tracks[gender] = (
            Track(
                f"vocal_{gender}",
                "lead_vocals",
                voice.program,
                volume=122,
                pan=64,
                reverb=60,
                vibrato=voice.vibrato,
            ),
            low,
            high,
        )
    events: list[tuple[float, str]] = []
    verse_count = 0
    for section, item in zip(sections, plan, strict=True):
        if section.start_bar < start_bar or not item.lines:
            continue
        if item.name == "verse":
            verse_count += 1
        singers = genders if item.name == "chorus" else (genders[(verse_count + 1) % len(genders)],)
        for index, text in enumerate(item.lines):
            syls = syllables(text) or ["la"]
            beat = section.start_beat + index * per_line * BEATS_PER_BAR
            last = index == len(item.lines) - 1
            for number, gender in enumerate(singers):
                track, low, high = tracks[gender]
                onsets = writer.line(
                    track,
                    item.name,
                    index,
                    len(syls),
                    beat,
                    low,
                    high,
                    last,
                    velocity=110 if number == 0 else 96,
                    variant=variant,
                    ends=word_ends(text),
                )
                if number == 0:
                    if len(syls) > len(onsets):
                        syls = syls[: len(onsets) - 1] + ["".join(syls[len(onsets) - 1 :])]
                    events.extend(zip(onsets, syls, strict=True))
    return [t for t, _, _ in tracks.values() if t.notes], events


def lead_track(
    frame: Frame, sections, part: Part, instrumental: bool, named: bool, start_bar: int = 0
) -> Track:
    """The melody instrument: the tune in instrumental songs, intros and solos, chorus doubling if named."""
    per_line = bars_per_line(frame.style.tempo)
    writer = LineWriter(frame, per_line)
    center = LEAD_CENTER.get(part.stem, 72)
    low, high = center - 9, center + 10
    track = Track("lead", part.stem, part.program, volume=96, pan=70, reverb=50)
    for section in sections:
        if section.start_bar < start_bar:
            continue
        plays = (
            instrumental
            or section.name in ("intro", "solo")
            or (named and section.name in ("chorus", "bridge"))
        )
        if not plays or section.name == "outro":
            continue
        lines = max(1, section.bars // per_line)
        for index in range(lines):
            kind = "chorus" if section.name == "intro" else section.name
            rng = random.Random(text_seed(frame.seed, "count", kind, index % 2))
            count = rng.randint(9, 14) if section.name == "solo" else rng.randint(5, 8)
            beat = section.start_beat + index * per_line * BEATS_PER_BAR
            velocity = 96 if instrumental or section.name == "solo" else 72
            writer.line(track, kind, index, count, beat, low, high, index == lines - 1, velocity, variant=1)
    return track


def compose(
    style: Style,
    duration: float,
    lyric_sections,
    seed: int,
    voice: Voice | None,
    info: dict,
    intro: bool = True,
) -> Arrangement:
    """The whole song: content fills whole bars up to the duration; the last chord rings to the end."""
    beats = seconds_to_beats(duration, style.tempo)
    total_bars = max(1, int(beats // BEATS_PER_BAR))
    per_line = bars_per_line(style.tempo)
    plan = plan_sections(total_bars, lyric_sections if voice else [], per_line, intro)
    sections = sections_from_plan(style, plan)
    tracks = band_tracks(style, sections, seed, voice is not None)
    events: list[tuple[float, str]] = []
    if voice:
        vocals, events = vocal_tracks(Frame(style, sections, seed), sections, plan, voice)
        tracks = vocals + tracks
    info = {**info, "plan": [[p.name, p.bars, list(p.lines)] for p in plan]}
    return Arrangement(style.tempo, style.key, style.mode, duration, sections, tracks, info, events)


def band_tracks(
    style: Style,
    sections: list[Section],
    seed: int,
    has_voice: bool,
    start_bar: int = 0,
    with_lead: bool = True,
) -> list[Track]:
    """Drums, bass and the chord parts (and the lead instrument unless the melody is kept elsewhere)."""
    frame = Frame(style, sections, seed)
    tracks = []
    drums = drums_track(frame, start_bar)
    if drums:
        tracks.append(drums)
    tracks.append(bass_track(frame, start_bar))
    parts = list(style.parts)
    if has_voice and not any(p.role == "choir" for p in parts):
        parts.append(Part("choir", "backing_vocals", BACKING_PATCH))
    for index, part in enumerate(parts):
        named = part.stem in style.named_instruments
        if part.role == "lead" and not with_lead:
            continue
        if part.role == "lead":
            track = lead_track(frame, sections, part, not has_voice, named, start_bar)
        else:
            track = part_track(frame, part, index, named, start_bar)
        if track.notes:
            tracks.append(track)
    return tracks
