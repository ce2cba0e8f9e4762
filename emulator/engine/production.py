"""From arrangement to finished audio: render (on worker processes), master, and split into stems."""

import atexit
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

import midirenderer
import numpy as np

from .constants import INSTRUMENT_STEMS
from .mastering import default_fade_out, mastering_gain
from .midi import arrangement_to_midi
from .model import Arrangement
from .render import fit_length, resample, soundfont_bytes, wav_bytes_to_array
from .units import seconds_to_samples

WORKERS = 2
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _render_in_worker(midi: bytes) -> bytes:
    return midirenderer.render_wave_from(soundfont_bytes(), midi)


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"))
        return _pool


def _reset_executor() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


atexit.register(_reset_executor)


def synthesize(midis: list[bytes]) -> list[bytes]:
    """Render MIDI files to WAV bytes on worker processes (midirenderer holds the GIL while it runs).

    Renders run in parallel on both cores, and the caller's process stays responsive meanwhile.
    """
    for attempt in range(2):
        try:
            return list(_executor().map(_render_in_worker, midis))
        except BrokenProcessPool:
            _reset_executor()
            if attempt:
                break
    return [_render_in_worker(m) for m in midis]


def _to_audio(wav: bytes, sample_rate: int, seconds: float) -> np.ndarray:
    audio, rate = wav_bytes_to_array(wav)
    return fit_length(resample(audio, rate, sample_rate), seconds_to_samples(seconds, sample_rate))


def render_raw(arrangement: Arrangement, sample_rate: int) -> np.ndarray:
    midi = arrangement_to_midi(arrangement, end_seconds=arrangement.duration + 0.05)
    return _to_audio(synthesize([midi])[0], sample_rate, arrangement.duration)


def render_song(arrangement: Arrangement, sample_rate: int, fade_out: bool = True) -> np.ndarray:
    """The finished mix: one render of every track, mastered."""
    raw = render_raw(arrangement, sample_rate)
    gain = mastering_gain(raw, sample_rate, default_fade_out(arrangement.duration) if fade_out else 0.0)
    return (raw * gain[:, None]).astype(np.float32)


def render_stems(arrangement: Arrangement, sample_rate: int, fade_out: bool = True) -> dict[str, np.ndarray]:
    """One render per stem (its tracks alone), all under the gain curve of their sum: they add up to the mix."""
    groups = {stem: [t for t in arrangement.tracks if t.stem == stem] for stem in INSTRUMENT_STEMS}
    groups = {stem: tracks for stem, tracks in groups.items() if any(t.notes for t in tracks)}
    end = arrangement.duration + 0.05
    wavs = synthesize(
        [arrangement_to_midi(arrangement, tracks, end_seconds=end) for tracks in groups.values()]
    )
    raw = {
        stem: _to_audio(wav, sample_rate, arrangement.duration)
        for stem, wav in zip(groups, wavs, strict=True)
    }
    mix = np.sum(list(raw.values()), axis=0)
    gain = mastering_gain(mix, sample_rate, default_fade_out(arrangement.duration) if fade_out else 0.0)
    stems = {stem: (audio * gain[:, None]).astype(np.float32) for stem, audio in raw.items()}
    stems["mix"] = (mix * gain[:, None]).astype(np.float32)
    stems["background"] = (stems["mix"] - stems.get("lead_vocals", 0.0)).astype(np.float32)
    return stems
