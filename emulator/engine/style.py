"""Read a free-text description into a Style: genre, mood, tempo, key, mode, palette, groove, voice."""

import random
import re
import unicodedata
import zlib
from dataclasses import asdict, dataclass

from .tables.genres import DEFAULT_GENRE, DEFAULT_MOOD, GENRES, MOODS, VOICE_PATCH
from .tables.limits import VOICE_GENDERS
from .tables.prompt_words import (
    DRUM_WORDS,
    INSTRUMENT_WORDS,
    INSTRUMENTAL_WORDS,
    NO_DRUM_WORDS,
    VOICE_DESCRIPTION_WORDS,
    VOICE_PATCH_WORDS,
)
from .units import note_name_to_pitch_class

MIN_TEMPO, MAX_TEMPO = 40.0, 220.0
GUITAR_KEYS = (4, 9, 2, 7, 0)  # E A D G C: open-string friendly
COMMON_KEYS = (0, 2, 4, 5, 7, 9, 10, 3)
LEAD_PROGRAMS = {65, 66, 56, 57, 73, 71, 68, 22, 40, 29, 30, 80, 81, 104}
ARP_PROGRAMS = {11, 12, 14, 9, 8, 46, 108, 114, 24}
PAD_PROGRAMS = {48, 49, 88, 89, 90, 91, 16, 21, 61, 60, 58, 42, 41, 52}

TEMPO_RE = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute)")
KEY_RE = re.compile(r"\b([a-g])\s?(#|♯|♭|b|-sharp| sharp|-flat| flat)?\s?-?(major|minor|maj|min)\b")
KEY_OF_RE = re.compile(r"\bkey of ([a-g])(#|b)?\b")


@dataclass(frozen=True)
class Part:
    role: str  # comp, pad, arp, lead, choir
    stem: str
    program: int


@dataclass(frozen=True)
class Style:
    genre: str
    mood: str
    tempo: float
    key: int
    mode: str
    energy: float  # 0..1, density and loudness of the parts
    parts: tuple[Part, ...]
    bass: Part
    bass_pattern: str
    groove: str | None
    kit: str
    comp: str
    swing: float
    voice_gender: str | None  # None: instrumental
    voice_program: int
    named_instruments: tuple[str, ...]  # stems the prompt asked for

    def __post_init__(self):
        if self.genre not in GENRES:
            raise ValueError(f"Unknown genre {self.genre!r}.")
        if not MIN_TEMPO <= self.tempo <= MAX_TEMPO:
            raise ValueError(f"Tempo {self.tempo} is outside {MIN_TEMPO:.0f}-{MAX_TEMPO:.0f} BPM.")
        if self.voice_gender is not None and self.voice_gender not in VOICE_GENDERS:
            raise ValueError(f"Unknown voice {self.voice_gender!r}.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Style":
        fields = dict(data)
        fields["parts"] = tuple(Part(**p) for p in fields["parts"])
        fields["bass"] = Part(**fields["bass"])
        fields["named_instruments"] = tuple(fields["named_instruments"])
        return cls(**fields)


def normalise_text(text: str) -> str:
    """Lower-case, Latin accents folded, whitespace collapsed; other scripts survive untouched."""
    folded = "".join(_fold_accent(c) for c in unicodedata.normalize("NFC", text or ""))
    return " " + re.sub(r"\s+", " ", folded.lower()).strip() + " "


def _fold_accent(char: str) -> str:
    """'é' -> 'e' for Latin letters only (other scripts keep their marks: 'ピ' stays 'ピ')."""
    base = unicodedata.normalize("NFKD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def text_seed(*parts) -> int:
    """A stable 32-bit seed from any values (Python's hash() is salted per process)."""
    return zlib.crc32("|".join(map(str, parts)).encode("utf-8", "replace"))


def _find_word(text: str, word: str) -> int:
    match = re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", text)
    return match.start() if match else -1


def detect_genre(text: str) -> str | None:
    hits = []
    for genre, spec in GENRES.items():
        positions = [p for p in (_find_word(text, w) for w in spec["words"]) if p >= 0]
        if positions:
            hits.append((min(positions), genre))
    return min(hits)[1] if hits else None


def detect_moods(text: str) -> list[str]:
    """Moods named in the text, strongest (most words) first."""
    counts = []
    for mood, spec in MOODS.items():
        count = sum(text.count(w) for w in spec["words"])
        if count:
            counts.append((-count, list(MOODS).index(mood), mood))
    return [m for _, _, m in sorted(counts)]


def detect_tempo(text: str) -> float | None:
    match = TEMPO_RE.search(text)
    if not match:
        return None
    return float(min(MAX_TEMPO, max(MIN_TEMPO, float(match.group(1)))))


def detect_key(text: str) -> tuple[int, str | None] | None:
    """(pitch class, mode or None) for 'in D minor', 'F# major', 'key of Bb'."""
    match = KEY_RE.search(text)
    if match:
        letter, accidental, mode = match.groups()
        return _pitch_class(letter, accidental), ("minor" if mode.startswith("min") else "major")
    match = KEY_OF_RE.search(text)
    if match:
        return _pitch_class(match.group(1), match.group(2)), None
    return None


def _pitch_class(letter: str, accidental: str | None) -> int:
    pitch_class = note_name_to_pitch_class(letter)
    accidental = (accidental or "").strip(" -")
    if accidental in ("#", "♯", "sharp"):
        pitch_class += 1
    elif accidental in ("b", "♭", "flat"):
        pitch_class -= 1
    return pitch_class % 12


def detect_instruments(text: str) -> list[tuple[str, str, int]]:
    """(word, stem, program) for every instrument named, longest names first, no overlaps."""
    found, taken = [], []
    for word in sorted(INSTRUMENT_WORDS, key=len, reverse=True):
        for match in re.finditer(r"(?<![a-z0-9])" + re.escape(word) + r"s?(?![a-z0-9])", text):
            span = range(match.start(), match.end())
            if any(set(span) & set(t) for t in taken):
                continue
            taken.append(span)
            found.append((match.start(), word, *INSTRUMENT_WORDS[word]))
    return [(w, s, p) for _, w, s, p in sorted(found)]


def detect_voice(text: str) -> str | None:
    hits = []
    for gender, words in VOICE_DESCRIPTION_WORDS.items():
        positions = [text.find(w) for w in words if text.find(w) >= 0]
        if positions:
            hits.append((min(positions), gender))
    return min(hits)[1] if hits else None


def detect_voice_program(text: str) -> int:
    for word, program in VOICE_PATCH_WORDS.items():
        if word in text:
            return program
    return VOICE_PATCH


def is_instrumental_text(text: str) -> bool:
    return any(w in text for w in INSTRUMENTAL_WORDS)


def _role_for(stem: str, program: int) -> str:
    if stem == "backing_vocals":
        return "choir"
    if program in LEAD_PROGRAMS and stem not in ("piano",):
        return "lead"
    if program in ARP_PROGRAMS:
        return "arp"
    if program in PAD_PROGRAMS:
        return "pad"
    return "comp"


def build_palette(genre: str, named: list[tuple[str, str, int]]) -> tuple[tuple[Part, ...], Part | None]:
    """The genre's palette with the named instruments put first; returns (parts, bass override)."""
    parts: list[Part] = []
    bass = None
    for word, stem, program in named:
        if stem == "bass":
            bass = Part("bass", stem, program)
            continue
        role = _role_for(stem, program)
        if "solo" in word:
            role = "lead"
        if any(p.role == role for p in parts) and role in ("comp", "lead"):
            role = "arp" if role == "comp" else "pad"
        if not any(p.stem == stem and p.program == program for p in parts):
            parts.append(Part(role, stem, program))
    for role, stem, program in GENRES[genre]["palette"]:
        if len(parts) >= 4:
            break
        if not any(p.role == role for p in parts):
            parts.append(Part(role, stem, program))
    return tuple(parts), bass


def parse_style(
    text: str,
    voice_gender: str | None = None,
    instrumental: bool = False,
    seed: int = 0,
    fallback_genre: str | None = None,
) -> Style:
    """Read the description. Never fails on odd text: unknown words fall back to defaults."""
    if voice_gender is not None and voice_gender not in VOICE_GENDERS:
        raise ValueError(f"Unknown voice_gender {voice_gender!r}; use one of {', '.join(VOICE_GENDERS)}.")
    clean = normalise_text(text)
    rng = random.Random(text_seed("style", clean, seed))
    genre = detect_genre(clean) or fallback_genre or DEFAULT_GENRE
    spec = GENRES[genre]
    moods = detect_moods(clean)
    mood = moods[0] if moods else DEFAULT_MOOD

    key_info = detect_key(clean)
    mode_votes = [MOODS[m]["mode"] for m in moods if MOODS[m]["mode"]]
    if key_info and key_info[1]:
        mode = key_info[1]
    elif mode_votes:
        mode = max(("minor", "major"), key=mode_votes.count) if len(set(mode_votes)) > 1 else mode_votes[0]
    else:
        mode = spec["mode"]
    if key_info:
        key = key_info[0]
    else:
        key = rng.choice(
            GUITAR_KEYS if genre in ("rock", "folk", "country", "metal", "blues") else COMMON_KEYS
        )

    energy = sum(MOODS[m]["energy"] for m in moods) / len(moods) if moods else 0.6
    ballad = "ballad" in clean
    low, high = (66, 80) if ballad and genre == DEFAULT_GENRE else spec["tempo"]
    tempo = detect_tempo(clean)
    if tempo is None:
        shift = sum(MOODS[m]["tempo"] for m in moods[:2])
        tempo = (low + high) / 2 + shift * 0.6 + rng.randint(-2, 2)
        tempo = float(round(min(high + 6, max(low - 6, tempo))))

    named = detect_instruments(clean)
    parts, bass_override = build_palette(genre, named)
    bass_stem, bass_program, bass_pattern = spec["bass"]
    bass = bass_override or Part("bass", bass_stem, bass_program)

    groove = spec["groove"]
    if ballad and groove in ("pop", "rnb", "rock", "country"):
        groove = "ballad"
    if any(w in clean for w in NO_DRUM_WORDS):
        groove = None
    elif groove is None and any(_find_word(clean, w) >= 0 for w in DRUM_WORDS):
        groove = "ballad"

    instrumental = instrumental or is_instrumental_text(clean)
    voice = None if instrumental else voice_gender or detect_voice(clean) or rng.choice(("female", "male"))

    named_stems = tuple(dict.fromkeys(s for _, s, _ in named))
    if groove and any(_find_word(clean, w) >= 0 for w in DRUM_WORDS) and "drums" not in named_stems:
        named_stems += ("drums",)
    return Style(
        genre=genre,
        mood=mood,
        tempo=tempo,
        key=key,
        mode=mode,
        energy=round(energy, 3),
        parts=parts,
        bass=bass,
        bass_pattern=bass_pattern,
        groove=groove,
        kit=spec["kit"],
        comp="lazy" if ballad and spec["comp"] == "pulse" else spec["comp"],
        swing=spec.get("swing", 0.0),
        voice_gender=voice,
        voice_program=detect_voice_program(clean),
        named_instruments=named_stems,
    )
