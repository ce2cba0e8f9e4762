"""The arrangement as small validating value objects, and their plain-data (JSON-able) form."""

from dataclasses import dataclass, field

from .tables.limits import INSTRUMENT_STEMS
from .tables.theory import BEATS_PER_BAR

ARRANGEMENT_VERSION = 1


@dataclass(frozen=True)
class Note:
    start: float  # beats from the song start
    duration: float  # beats
    pitch: int  # MIDI note number
    velocity: int = 90

    def __post_init__(self):
        if self.start < 0 or self.duration <= 0:
            raise ValueError(
                f"A note needs a start >= 0 and a positive duration, got {self.start}, {self.duration}."
            )
        if not 0 <= self.pitch <= 127 or not 1 <= self.velocity <= 127:
            raise ValueError(
                f"A note needs pitch 0-127 and velocity 1-127, got {self.pitch}, {self.velocity}."
            )

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass
class Track:
    name: str
    stem: str
    program: int
    is_drum: bool = False
    volume: int = 100  # MIDI CC7
    pan: int = 64  # MIDI CC10
    reverb: int = 40  # MIDI CC91
    vibrato: int = 0  # MIDI CC1 (modulation wheel)
    notes: list[Note] = field(default_factory=list)

    def __post_init__(self):
        if self.stem not in INSTRUMENT_STEMS:
            raise ValueError(f"Unknown stem {self.stem!r} for track {self.name!r}.")
        if not 0 <= self.program <= 127:
            raise ValueError(
                f"Track {self.name!r} has program {self.program}; General MIDI programs are 0-127."
            )

    def add(self, start: float, duration: float, pitch: int, velocity: int = 90) -> None:
        self.notes.append(Note(start, duration, int(pitch), int(max(1, min(127, velocity)))))


@dataclass(frozen=True)
class Section:
    name: str  # intro, verse, chorus, bridge, solo, outro
    start_bar: int
    bars: int
    chords: tuple[str, ...]  # one Roman numeral per bar

    def __post_init__(self):
        if self.start_bar < 0 or self.bars < 1 or len(self.chords) != self.bars:
            raise ValueError(
                f"Section {self.name!r} needs a start >= 0, at least one bar and one chord per bar."
            )

    @property
    def start_beat(self) -> float:
        return float(self.start_bar * BEATS_PER_BAR)

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars


@dataclass
class Arrangement:
    tempo: float
    key: int  # pitch class of the tonic
    mode: str
    duration: float  # seconds of audio the arrangement is rendered to
    sections: list[Section]
    tracks: list[Track]
    info: dict = field(default_factory=dict)  # genre, mood, style, lyrics, voice, title, seed ...
    lyric_events: list[tuple[float, str]] = field(default_factory=list)  # (beat, syllable)

    def __post_init__(self):
        if not 20 <= self.tempo <= 300:
            raise ValueError(f"Tempo {self.tempo} BPM is outside 20-300.")
        if self.mode not in ("major", "minor"):
            raise ValueError(f"Mode must be major or minor, got {self.mode!r}.")
        if self.duration <= 0:
            raise ValueError("An arrangement needs a positive duration.")

    def track(self, name: str) -> Track | None:
        return next((t for t in self.tracks if t.name == name), None)

    def to_dict(self) -> dict:
        return {
            "version": ARRANGEMENT_VERSION,
            "tempo": self.tempo,
            "key": self.key,
            "mode": self.mode,
            "duration": self.duration,
            "sections": [
                {"name": s.name, "start_bar": s.start_bar, "bars": s.bars, "chords": list(s.chords)}
                for s in self.sections
            ],
            "tracks": [
                {
                    "name": t.name,
                    "stem": t.stem,
                    "program": t.program,
                    "is_drum": t.is_drum,
                    "volume": t.volume,
                    "pan": t.pan,
                    "reverb": t.reverb,
                    "vibrato": t.vibrato,
                    "notes": [
                        [round(n.start, 4), round(n.duration, 4), n.pitch, n.velocity] for n in t.notes
                    ],
                }
                for t in self.tracks
            ],
            "info": self.info,
            "lyric_events": [[round(b, 4), s] for b, s in self.lyric_events],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Arrangement":
        if not isinstance(data, dict) or data.get("version") != ARRANGEMENT_VERSION:
            raise ValueError("This arrangement was not made by this engine version and cannot be used.")
        try:
            return cls(
                tempo=float(data["tempo"]),
                key=int(data["key"]) % 12,
                mode=data["mode"],
                duration=float(data["duration"]),
                sections=[
                    Section(s["name"], s["start_bar"], s["bars"], tuple(s["chords"]))
                    for s in data["sections"]
                ],
                tracks=[
                    Track(
                        name=t["name"],
                        stem=t["stem"],
                        program=t["program"],
                        is_drum=t["is_drum"],
                        volume=t["volume"],
                        pan=t["pan"],
                        reverb=t.get("reverb", 40),
                        vibrato=t.get("vibrato", 0),
                        notes=[Note(float(a), float(b), int(c), int(d)) for a, b, c, d in t["notes"]],
                    )
                    for t in data["tracks"]
                ],
                info=dict(data.get("info", {})),
                lyric_events=[(float(b), str(s)) for b, s in data.get("lyric_events", [])],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"The arrangement is incomplete or malformed ({exc}).") from None
