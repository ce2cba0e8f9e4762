"""The band: drums with fills, a bass line and the chord parts (comp, pad, arpeggio, choir) per genre."""

import random
from dataclasses import dataclass

from .harmony import chord_pitch_classes, chord_root, nearest_pitch, voice_chord
from .model import Section, Track
from .style import Part, Style, text_seed
from .tables.genres import ROLE_CENTER, ROLE_SECTIONS, ROLE_VOLUME, SECTION_ENERGY
from .tables.grooves import BASS_PATTERNS, COMP_PATTERNS, DRUM_KITS, DRUM_NOTES, GROOVES, SWING_GROOVES
from .tables.theory import BEATS_PER_BAR


@dataclass
class Frame:
    """Everything a part needs: the style, the sections and the seed."""

    style: Style
    sections: list[Section]
    seed: int

    def section_at(self, beat: float) -> Section:
        bar = int(beat // BEATS_PER_BAR)
        for section in self.sections:
            if section.start_bar <= bar < section.end_bar:
                return section
        return self.sections[-1]

    def chord_at(self, beat: float) -> str:
        section = self.section_at(beat)
        bar = min(max(int(beat // BEATS_PER_BAR) - section.start_bar, 0), section.bars - 1)
        return section.chords[bar]

    @property
    def last_bar(self) -> int:
        """The song's final bar: its chord rings on to the end of the audio."""
        return self.sections[-1].end_bar - 1

    def rng(self, *salt) -> random.Random:
        return random.Random(text_seed(self.seed, *salt))

    def swing(self, beat: float) -> float:
        """Late off-beat eighths for swung genres (triplet feel at swing 1)."""
        if self.style.swing and abs((beat % 1) - 0.5) < 1e-6:
            return beat + self.style.swing / 6
        return beat


def _velocity(level: float, energy: float, rng: random.Random) -> int:
    return int(max(20, min(127, level * (0.78 + 0.22 * energy) + rng.uniform(-5, 5))))


def drums_track(frame: Frame, start_bar: int = 0) -> Track | None:
    style = frame.style
    if not style.groove:
        return None
    groove = GROOVES[style.groove]
    track = Track("drums", "drums", DRUM_KITS.get(style.kit, 0), is_drum=True, volume=100, reverb=30)
    rng = frame.rng("drums")
    for index, section in enumerate(frame.sections):
        if section.end_bar <= start_bar:
            continue
        energy = SECTION_ENERGY.get(section.name, 0.7) * (0.6 + 0.4 * style.energy)
        last_section = index == len(frame.sections) - 1
        for bar in range(max(section.start_bar, start_bar), section.end_bar):
            bar_beat = bar * BEATS_PER_BAR
            in_section = bar - section.start_bar
            if section.name == "outro" and in_section >= 1:
                if bar == section.end_bar - 1 or in_section == 1:
                    track.add(bar_beat, 2.0, DRUM_NOTES["crash"], 90)
                    track.add(bar_beat, 1.0, DRUM_NOTES["kick"], 100)
                continue
            voices = dict(groove)
            if section.name in ("intro", "bridge") or (section.name == "outro"):
                voices = {
                    k: v
                    for k, v in voices.items()
                    if k in ("kick", "hat", "ride", "shaker", "pedal_hat", "rim")
                }
            if (
                section.name == "chorus"
                and "open_hat" not in voices
                and style.groove in ("pop", "rock", "rnb")
            ):
                voices["open_hat"] = "0000000000000060"
            fill = (
                bar == section.end_bar - 1
                and section.bars >= 2
                and not (last_section and section.name == "outro")
            )
            for voice, steps in voices.items():
                for step, digit in enumerate(steps):
                    if digit == "0" or (fill and step >= 12 and voice != "kick"):
                        continue
                    beat = (
                        frame.swing(bar_beat + step / 4)
                        if style.groove in SWING_GROOVES
                        else bar_beat + step / 4
                    )
                    level = 28 + int(digit) * 11
                    track.add(
                        beat + rng.uniform(0, 0.01), 0.25, DRUM_NOTES[voice], _velocity(level, energy, rng)
                    )
            if in_section == 0 and section.name in ("chorus", "solo", "verse") and section.start_bar > 0:
                track.add(bar_beat, 2.0, DRUM_NOTES["crash"], _velocity(100, energy, rng))
            if fill:
                _add_fill(track, bar_beat, energy, rng, style.groove)
            if bar == frame.last_bar and section.name != "outro":
                track.add((bar + 1) * BEATS_PER_BAR, 2.0, DRUM_NOTES["crash"], _velocity(100, energy, rng))
                track.add((bar + 1) * BEATS_PER_BAR, 1.0, DRUM_NOTES["kick"], _velocity(100, energy, rng))
            if style.groove == "trap" and bar % 2 == 1:
                for i in range(6):
                    track.add(
                        bar_beat + 3 + i / 6, 0.15, DRUM_NOTES["hat"], _velocity(60 + i * 6, energy, rng)
                    )
    return track


def _add_fill(track: Track, bar_beat: float, energy: float, rng: random.Random, groove: str) -> None:
    if groove in ("swing", "ballad", "folk", "reggae", "cinematic"):
        notes = [(3.0, "snare"), (3.5, "snare"), (3.75, "tom_mid")]
    elif energy > 0.6:
        notes = [(3 + i / 4, ("snare", "snare", "tom_high", "tom_low")[i]) for i in range(4)]
        notes = [(2.5, "tom_high"), (2.75, "tom_mid"), *notes]
    else:
        notes = [(3.0, "snare"), (3.5, "snare"), (3.75, "snare")]
    for i, (beat, voice) in enumerate(notes):
        track.add(bar_beat + beat, 0.25, DRUM_NOTES[voice], _velocity(80 + i * 7, energy, rng))


def bass_track(frame: Frame, start_bar: int = 0) -> Track:
    style = frame.style
    pattern = BASS_PATTERNS[style.bass_pattern]
    if style.bass.program != 38 and style.bass_pattern == "808":
        pattern = BASS_PATTERNS["pop"]
    center = 36 if style.bass_pattern == "808" else 40
    track = Track("bass", style.bass.stem, style.bass.program, volume=98, reverb=10)
    rng = frame.rng("bass")
    for section in frame.sections:
        energy = SECTION_ENERGY.get(section.name, 0.7)
        for bar in range(max(section.start_bar, start_bar), section.end_bar):
            bar_beat = bar * BEATS_PER_BAR
            chord = frame.chord_at(bar_beat)
            next_chord = frame.chord_at(bar_beat + BEATS_PER_BAR)
            root = nearest_pitch(chord_root(chord, style.key), center)
            classes = chord_pitch_classes(chord, style.key)
            third = root + (classes[1] - classes[0]) % 12
            next_root = nearest_pitch(chord_root(next_chord, style.key), root)
            last_bar = bar == frame.last_bar
            steps = (
                BASS_PATTERNS["long"]
                if section.name in ("intro", "outro") and energy < 0.6 or last_bar
                else pattern
            )
            if section.name == "bridge" and steps is not BASS_PATTERNS["long"]:
                steps = steps[: max(1, len(steps) // 2)]
            for start, length, interval in steps:
                pitch = {
                    "r": root,
                    "5": root + 7,
                    "8": root + 12,
                    "3": third,
                    "n": next_root,
                    "a": next_root + rng.choice((-1, 1, -2)),
                }[interval]
                while pitch > center + 14:
                    pitch -= 12
                beat = frame.swing(bar_beat + start)
                track.add(beat, length * (2.0 if last_bar else 1.0), pitch, _velocity(100, energy, rng))
    return track


def part_track(frame: Frame, part: Part, index: int, named: bool, start_bar: int = 0) -> Track:
    """A chord part in its role; named instruments play in every section."""
    style = frame.style
    track = Track(
        f"{part.role}_{index}",
        part.stem,
        part.program,
        volume=ROLE_VOLUME.get(part.role, 88),
        pan=(40, 88, 52, 76)[index % 4],
        reverb=55 if part.role in ("pad", "choir") else 40,
    )
    rng = frame.rng("part", index, part.program)
    center = ROLE_CENTER.get(part.role, 64) - (5 if part.stem == "guitar" else 0)
    previous = None
    comp = COMP_PATTERNS["power" if part.program in (29, 30) else style.comp]
    if part.stem == "guitar" and style.comp in ("pulse", "lazy", "held"):
        comp = COMP_PATTERNS["strum"]
    for section in frame.sections:
        if not named and section.name not in ROLE_SECTIONS.get(part.role, ROLE_SECTIONS["comp"]):
            continue
        energy = SECTION_ENERGY.get(section.name, 0.7) * (0.6 + 0.4 * style.energy)
        for bar in range(max(section.start_bar, start_bar), section.end_bar):
            bar_beat = bar * BEATS_PER_BAR
            chord = frame.chord_at(bar_beat)
            voicing = voice_chord(chord, style.key, center, previous, size=4 if part.role == "comp" else 3)
            if part.program in (29, 30):
                root = nearest_pitch(chord_root(chord, style.key), 45)
                voicing = [root, root + 7, root + 12]
            previous = voicing
            final = bar == frame.last_bar
            if final or part.role in ("pad", "choir") or (part.role == "comp" and section.name == "outro"):
                length = 8.0 if final else 4.0
                for pitch in voicing:
                    track.add(bar_beat, length - 0.05, pitch, _velocity(72 + 20 * energy, energy, rng))
            elif part.role == "arp":
                _arpeggio(track, frame, bar_beat, voicing, energy, rng)
            else:
                _comp(track, frame, bar_beat, voicing, comp, energy, rng, strum=part.stem == "guitar")
    return track


def _comp(track, frame, bar_beat, voicing, pattern, energy, rng, strum):
    for number, (start, length, accent) in enumerate(pattern):
        beat = frame.swing(bar_beat + start)
        up = strum and number % 2 == 1 and start % 1 != 0
        order = list(reversed(voicing)) if up else voicing
        for i, pitch in enumerate(order):
            offset = i * (0.03 if strum else 0.0)
            track.add(beat + offset, max(0.1, length - offset), pitch, _velocity(95 * accent, energy, rng))


def _arpeggio(track, frame, bar_beat, voicing, energy, rng):
    tones = voicing + [p + 12 for p in voicing[:2]]
    step = 0.25 if energy > 0.85 and frame.style.tempo < 110 else 0.5
    count = int(BEATS_PER_BAR / step)
    for i in range(count):
        pitch = tones[i % len(tones)] if (i // len(tones)) % 2 == 0 else tones[-1 - i % len(tones)]
        beat = frame.swing(bar_beat + i * step)
        track.add(beat, step * 1.1, pitch, _velocity(84 if i % 2 == 0 else 70, energy, rng))
