"""eSpeak NG in-process through ctypes: the library and its voice data come from the espeakng-loader wheel.

Speech is made at a constant pitch (so re-pitching is a small, clean shift) and comes back with the
sample position of every phoneme. eSpeak keeps state between utterances (the glottal phase), so the same
sequence of calls gives the same samples only in a fresh process: the singer runs in one per song.
"""

import ctypes
import threading
from dataclasses import dataclass
from pathlib import Path

import espeakng_loader
import numpy as np

SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: samples handed to the callback, no sound device
PHONEME_EVENTS = 0x0001
DONT_EXIT = 0x8000
EVENT_LIST_END, EVENT_PHONEME, EVENT_END = 0, 7, 5
CHARS_UTF8, POS_CHARACTER = 1, 1
RATE = 1  # espeakRATE: words per minute
RANDOM_SEED = 7


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class Phoneme:
    name: str  # eSpeak's mnemonic: "'aI", "t", "_:" (a pause) ...
    start: int  # first sample
    end: int  # one past the last sample
    char: int  # 0-based character position in the text of the word it belongs to


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # float32 mono
    sample_rate: int
    phonemes: list[Phoneme]


def library_paths() -> tuple[Path, Path]:
    """The shared library and the voice data, both inside the installed wheel (no system package)."""
    return Path(espeakng_loader.get_library_path()), Path(espeakng_loader.get_data_path())


class Espeak:
    """One initialised eSpeak NG (it is a process-wide singleton in C, hence the lock)."""

    _lock = threading.Lock()

    def __init__(self):
        library, data = library_paths()
        self._lib = ctypes.CDLL(str(library))
        self._lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        self._lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        self.sample_rate = self._lib.espeak_Initialize(
            SYNCHRONOUS, 0, str(data).encode(), PHONEME_EVENTS | DONT_EXIT
        )
        if self.sample_rate <= 0:
            raise RuntimeError(f"eSpeak NG could not start with the voice data in {data}.")
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, str]] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds only the pointer
        self._lib.espeak_SetSynthCallback(self._callback)
        self._voice = None

    def _collect(self, wav, count, events) -> int:
        if wav and count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events[index].type != EVENT_LIST_END:
            event = events[index]
            if event.type in (EVENT_PHONEME, EVENT_END):
                name = (
                    event.id.split(b"\0")[0].decode("utf-8", "replace") if event.type == EVENT_PHONEME else ""
                )
                self._events.append((event.type, event.sample, event.text_position, name))
            index += 1
        return 0

    def speak(self, text: str, voice: str, pitch_hz: int, words_per_minute: int = 150) -> Speech:
        """`text` spoken by `voice` ("en-us+f2") at a constant pitch, with its phonemes' positions."""
        with self._lock:
            if self._voice != voice:
                if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                    raise ValueError(f"eSpeak NG has no voice {voice!r}.")
                self._voice = voice
            self._lib.espeak_SetParameter(RATE, words_per_minute, 0)
            self._lib.espeak_ng_SetConstF0(int(pitch_hz))
            self._lib.espeak_ng_SetRandSeed(RANDOM_SEED)
            self._chunks, self._events = [], []
            data = text.encode("utf-8")
            self._lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
            chunks, events = self._chunks, self._events
        samples = np.concatenate(chunks).astype(np.float32) / 32768 if chunks else np.zeros(0, np.float32)
        return Speech(samples, self.sample_rate, _phonemes(events, len(samples)))


def _phonemes(events: list[tuple[int, int, int, str]], length: int) -> list[Phoneme]:
    """Phoneme events -> spans: each phoneme lasts until the next event (or the end of the audio)."""
    out = []
    for index, (kind, sample, position, name) in enumerate(events):
        if kind != EVENT_PHONEME:
            continue
        end = events[index + 1][1] if index + 1 < len(events) else length
        end = min(max(end, sample), length)
        if end > sample and name:
            out.append(Phoneme(name, sample, end, max(0, position - 1)))
    return out


_shared: Espeak | None = None


def espeak() -> Espeak:
    global _shared
    if _shared is None:
        _shared = Espeak()
    return _shared
