"""The singer's process: a score (JSON on stdin) in, the sung stems (raw float32 on stdout) out.

It runs in a fresh process per song: eSpeak's state then starts the same way every time, so the same
score gives the same samples (determinism), and the caller's process keeps its GIL. This package imports
nothing from the rest of the engine, so the process starts without loading it.
"""

import json
import sys

import numpy as np

from .espeak import espeak
from .line import Part, SungLine, SungNote, Take, sing_line

ROOM_SECONDS = 0.7
ROOM_WET = 0.16
BREATH_SECONDS = 0.22
BREATH_LEVEL = 0.008
BREATH_BEFORE = 0.04  # seconds between the end of the breath and the first consonant
MIN_REST_FOR_BREATH = 0.35


def parse_score(score: dict) -> list[SungLine]:
    return [
        SungLine(
            words=tuple(line["words"]),
            notes_per_word=tuple(line["notes_per_word"]),
            notes=tuple(SungNote(*note) for note in line["notes"]),
            language=line["language"],
            gender=line["gender"],
            parts=tuple(
                Part(p["stem"], tuple(p["pitches"]), p["gain"], p["vibrato_cents"]) for p in line["parts"]
            ),
        )
        for line in score["lines"]
    ]


def sing_score(score: dict) -> tuple[int, dict[str, np.ndarray]]:
    """(sample rate, stem -> mono audio as long as the song) for every part of every line."""
    lines = parse_score(score)
    cache: dict = {}
    takes: list[Take] = []
    for line in lines:
        takes.extend(sing_line(line, cache))
    rate = espeak().sample_rate
    length = int(round(score["duration"] * rate))
    stems = {stem: np.zeros(length, np.float32) for stem in score["stems"]}
    room, room_spectra, rooms = _room(rate), {}, {}
    last_end: dict[str, float] = {}
    for number, take in enumerate(takes):
        audio = take.audio
        if take.stem == "lead_vocals" and take.start - last_end.get(take.stem, -1.0) >= MIN_REST_FOR_BREATH:
            _add(stems[take.stem], _breath(rate, number), take.start - BREATH_BEFORE - BREATH_SECONDS, rate)
        last_end[take.stem] = take.start + len(audio) / rate
        if id(audio) not in rooms:  # a chorus line sung again is the same take: its room too
            rooms[id(audio)] = _convolve(audio, room, room_spectra)
            rooms[id(audio)][: len(audio)] += audio
        _add(stems[take.stem], rooms[id(audio)], take.start, rate)
    return rate, stems


def _add(target: np.ndarray, audio: np.ndarray, start: float, rate: int) -> None:
    first = int(round(start * rate))
    skip = max(0, -first)
    first = max(0, first)
    count = min(len(audio) - skip, len(target) - first)
    if count > 0:
        target[first : first + count] += audio[skip : skip + count]


def _room(rate: int) -> np.ndarray:
    """A small room: decaying, darkening noise (fixed seed: the same room every time)."""
    rng = np.random.default_rng(0)
    n = int(ROOM_SECONDS * rate)
    t = np.arange(n) / rate
    noise = rng.standard_normal(n) * np.exp(-6.9 * t / ROOM_SECONDS)
    noise = np.convolve(noise, np.ones(4) / 4, mode="same")  # a gentle low-pass
    noise[: int(0.012 * rate)] = 0.0  # pre-delay
    return (ROOM_WET * noise / np.sqrt(np.sum(noise**2))).astype(np.float32)


def _convolve(audio: np.ndarray, response: np.ndarray, spectra: dict) -> np.ndarray:
    size = len(audio) + len(response) - 1
    fft = 1 << (size - 1).bit_length()
    if fft not in spectra:
        spectra[fft] = np.fft.rfft(response, fft)
    wet = np.fft.irfft(np.fft.rfft(audio, fft) * spectra[fft], fft)[:size]
    return wet.astype(np.float32)


def _breath(rate: int, seed: int) -> np.ndarray:
    """An inhale: soft, airy noise swelling and fading."""
    rng = np.random.default_rng(seed)
    n = int(BREATH_SECONDS * rate)
    noise = rng.standard_normal(n)
    airy = noise - np.convolve(noise, np.ones(6) / 6, mode="same")  # keep the hiss, drop the rumble
    shape = np.sin(np.pi * np.arange(n) / n) ** 2
    return (BREATH_LEVEL * airy * shape).astype(np.float32)


def main() -> None:
    score = json.loads(sys.stdin.buffer.read())
    rate, stems = sing_score(score)
    header = {"sample_rate": rate, "stems": list(stems), "samples": len(next(iter(stems.values())))}
    out = sys.stdout.buffer
    out.write(json.dumps(header).encode() + b"\n")
    for audio in stems.values():
        out.write(np.ascontiguousarray(audio, dtype="<f4").tobytes())
    out.flush()
