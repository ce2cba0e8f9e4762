"""From arrangement to finished audio: render (on worker processes), master, and split into stems."""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .constants import INSTRUMENT_STEMS
from .mastering import default_fade_out, mastering_gain
from .midi import arrangement_to_midi
from .model import Arrangement
from .render import SOUNDFONT_PATH, fit_length, resample, wav_bytes_to_array
from .units import seconds_to_samples

WORKERS = 2  # renders at once in this process: one per core
RENDER_SCRIPT = (
    "import pathlib, sys, midirenderer; "
    "sys.stdout.buffer.write(midirenderer.render_wave_from(pathlib.Path(sys.argv[1]).read_bytes(), sys.stdin.buffer.read()))"
)
_slots = threading.BoundedSemaphore(WORKERS)


def _render_in_subprocess(midi: bytes) -> bytes:
    with _slots:
        done = subprocess.run(
            [sys.executable, "-I", "-c", RENDER_SCRIPT, str(SOUNDFONT_PATH)],
            input=midi,
            capture_output=True,
            check=False,
        )
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        raise RuntimeError(f"The soundfont renderer failed: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout


def synthesize(midis: list[bytes]) -> list[bytes]:
    """Render MIDI files to WAV bytes, each in its own short-lived Python process.

    midirenderer holds the GIL while it runs; in a child process it neither freezes the caller (a server
    stays responsive) nor serialises parallel renders, so stems render on both cores at once.
    """
    if len(midis) == 1:
        return [_render_in_subprocess(midis[0])]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(_render_in_subprocess, midis))


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
