"""The mixer: stems summed with gains in dB, mute and solo, on this machine (numpy on decoded PCM).

Each stem is decoded once to a 16-bit WAV beside its mp3 (`decoded`), all of them side by side. A mix reads
those WAVs through memory maps a few seconds at a time (`render`), so a 12-stem, 4-minute mix needs no decoder
and never holds the whole song in memory. A person's settings are plain data (`Channel` per stem) that a kept
mix remembers as JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import tempfile
import threading
import wave
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from lib.audio import AudioSegment  # imported for its side effect too: pydub pointed at the bundled ffmpeg

SILENT = float("-inf")
MAX_GAIN_DB = 6.0
# The gain slider's stops: silent, then coarse steps down low, 1 dB steps where ears tell them apart.
GAIN_STEPS: tuple[float, ...] = (SILENT, -48.0, -36.0, -30.0, -24.0, -20.0, -18.0, -15.0) + tuple(
    float(db) for db in range(-12, 7)
)
CHUNK_FRAMES = 1 << 18  # about 6 s of 44.1 kHz audio per step of a render
FULL_SCALE = 32768.0
MP3_BITRATE = "192k"
DECODERS = os.cpu_count() or 1  # a decode (see `decoded`) keeps one core busy: one process per core
DECODED_FRAMES = 1 << 16  # samples per frame handed from ffmpeg's decoding thread to its writing one
VOCAL_WORD = "vocal"


@dataclass(frozen=True)
class Channel:
    """One stem's place in the mix."""

    gain_db: float = 0.0
    mute: bool = False
    solo: bool = False


Settings = Mapping[str, Channel]


@dataclass(frozen=True)
class Rendered:
    path: Path
    seconds: float
    peak: float  # of the mix before clipping, 1.0 = full scale

    @property
    def clipped(self) -> bool:
        return self.peak > 1.0


def db_to_gain(db: float) -> float:
    """A level change in dB as a factor; -inf dB is silence. Refuses more than +6 dB."""
    if math.isnan(db) or db > MAX_GAIN_DB:
        raise ValueError(f"A stem's gain must be at most +{MAX_GAIN_DB:g} dB; got {db!r}.")
    return 0.0 if db == SILENT else 10.0 ** (db / 20.0)


def gains(settings: Settings) -> dict[str, float]:
    """Each stem's factor in the mix: 0 when muted, or when others are soloed and it is not."""
    soloing = any(channel.solo for channel in settings.values())
    return {
        name: 0.0 if channel.mute or (soloing and not channel.solo) else db_to_gain(channel.gain_db)
        for name, channel in settings.items()
    }


def mix(sources: Mapping[str, np.ndarray], settings: Settings) -> np.ndarray:
    """The mix of float arrays (frames, channels) of one sample rate, not clipped; shorter ones end early."""
    factors = gains({name: settings.get(name, Channel()) for name in sources})
    frames = max(len(audio) for audio in sources.values())
    width = {audio.shape[1] for audio in sources.values()}
    if len(width) != 1:
        raise ValueError("Stems with different channel counts cannot be mixed.")
    out = np.zeros((frames, width.pop()), dtype=np.float32)
    for name, audio in sources.items():
        if factors[name]:
            out[: len(audio)] += np.asarray(audio, dtype=np.float32) * np.float32(factors[name])
    return out


def presets(names: list[str]) -> dict[str, dict[str, Channel]]:
    """The presets that make sense for these stems (a song without drums has no "Drums and bass")."""
    vocals = [n for n in names if VOCAL_WORD in n]
    rhythm = [n for n in names if n in ("drums", "bass")]
    found = {}
    if vocals and len(vocals) < len(names):
        found["Instrumental only"] = {n: Channel(mute=n in vocals) for n in names}
        found["A cappella"] = {n: Channel(solo=n in vocals) for n in names}
    if rhythm and len(rhythm) < len(names):
        found["Drums and bass"] = {n: Channel(solo=n in rhythm) for n in names}
    return found


def settings_to_json(settings: Settings) -> dict[str, dict]:
    """Settings as JSON-safe data (-inf dB written as null), to remember how a kept mix was made."""
    return {
        name: {**asdict(c), "gain_db": None if c.gain_db == SILENT else c.gain_db}
        for name, c in settings.items()
    }


def settings_from_json(data: Mapping[str, Mapping]) -> dict[str, Channel]:
    return {
        name: Channel(
            gain_db=SILENT if fields.get("gain_db") is None else float(fields["gain_db"]),
            mute=bool(fields.get("mute")),
            solo=bool(fields.get("solo")),
        )
        for name, fields in data.items()
    }


def settings_key(settings: Settings) -> str:
    """A short name for these settings: the same settings render to the same file once."""
    text = json.dumps(settings_to_json(settings), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Decoded PCM on disk


@dataclass(frozen=True)
class WavLayout:
    rate: int
    channels: int
    offset: int  # of the first sample in the file
    frames: int


def wav_layout(path: Path) -> WavLayout:
    """Where the 16-bit PCM samples of a WAV file are; ValueError for anything else or a cut file."""
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError(f"{path.name} is not a WAV file.")
        rate = channels = bits = None
        while chunk := f.read(8):
            if len(chunk) < 8:
                break
            kind, size = chunk[:4], int.from_bytes(chunk[4:], "little")
            if kind == b"fmt ":
                fmt = f.read(size)
                codec, channels = int.from_bytes(fmt[0:2], "little"), int.from_bytes(fmt[2:4], "little")
                rate, bits = int.from_bytes(fmt[4:8], "little"), int.from_bytes(fmt[14:16], "little")
                if codec not in (1, 0xFFFE) or bits != 16 or not channels:
                    raise ValueError(f"{path.name} is not 16-bit PCM.")
            elif kind == b"data":
                offset, frames = f.tell(), size // (2 * (channels or 1))
                if rate is None or offset + frames * 2 * channels > path.stat().st_size:
                    raise ValueError(f"{path.name} is cut short.")
                return WavLayout(rate, channels, offset, frames)
            else:
                f.seek(size + (size & 1), os.SEEK_CUR)
    raise ValueError(f"{path.name} holds no audio.")


def decoded_path(source: Path) -> Path:
    """Where `decoded` keeps the PCM of an audio file: beside it."""
    return source.with_suffix(".pcm.wav")


def decoded(source: Path, *, rate: int | None = None, channels: int | None = None) -> Path:
    """The 16-bit WAV of an audio file, beside it, decoded once (at `rate`/`channels` when given).

    A WAV older than its source, unreadable, or in another format is made again; a file being decoded by
    another thread (the background decode of a split) is waited for, not decoded twice. ValueError with a
    sentence when the source itself does not decode (it is damaged: fetch it again).
    """
    out = decoded_path(source)
    with _lock_for(out):
        try:
            if out.stat().st_mtime >= source.stat().st_mtime:
                layout = wav_layout(out)
                if (rate or layout.rate) == layout.rate and (channels or layout.channels) == layout.channels:
                    return out
        except (OSError, ValueError):
            pass
        _decode(source, out, rate, channels)
    return out


def _decode(source: Path, out: Path, rate: int | None, channels: int | None) -> None:
    """ffmpeg reads and decodes the file inside a filter (`amovie`) and hands on frames of many samples: as
    an ordinary input it passes each 26 ms mp3 frame between four threads, and those hand-overs cost more
    than the decoding itself (the same samples, bit for bit, for less than half the processor time)."""
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    graph = f"amovie=filename={_filter_value(str(source))},asetnsamples=n={DECODED_FRAMES}:p=0"
    command = [AudioSegment.converter, "-v", "error", "-y", "-f", "lavfi", "-i", graph]
    command += ["-fflags", "+bitexact", "-acodec", "pcm_s16le"]
    command += ["-ar", str(rate)] if rate else []
    command += ["-ac", str(channels)] if channels else []
    try:
        subprocess.run([*command, "-f", "wav", tmp], capture_output=True, check=True)
        wav_layout(Path(tmp))
        os.replace(tmp, out)
    except (subprocess.CalledProcessError, ValueError) as exc:
        raise ValueError(f"The stem {source.stem!r} could not be read; the file may be damaged.") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)


def _filter_value(text: str) -> str:
    """Text as one value in an ffmpeg filter graph: escaped for the filter's options, then for the graph."""
    return re.sub(r"([\\'\[\],;])", r"\\\1", re.sub(r"([\\':])", r"\\\1", text))


_LOCKS: weakref.WeakValueDictionary[Path, threading.Lock] = weakref.WeakValueDictionary()  # while in use
_LOCKS_LOCK = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_LOCK:
        lock = _LOCKS.get(path)
        if lock is None:
            lock = _LOCKS[path] = threading.Lock()
        return lock


def decode_all(
    sources: Mapping[str, Path], on_damaged: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Every source `decoded` (one ffmpeg per core), all at the rate and channels of the first: one of
    another layout (stems of one split never are) is decoded again to match. `on_damaged(name)` hears of
    each source that does not decode; then the first such ValueError is raised."""
    names = list(sources)
    if not names:
        return {}

    def decode(name: str, rate: int | None = None, channels: int | None = None) -> Path:
        try:
            return decoded(sources[name], rate=rate, channels=channels)
        except ValueError:
            if on_damaged is not None:
                on_damaged(name)
            raise

    with ThreadPoolExecutor(max_workers=DECODERS) as pool:
        wavs = dict(zip(names, pool.map(decode, names), strict=True))
        layouts = {name: wav_layout(path) for name, path in wavs.items()}
        first = layouts[names[0]]
        odd = [n for n, lay in layouts.items() if (lay.rate, lay.channels) != (first.rate, first.channels)]
        wavs.update(zip(odd, pool.map(lambda n: decode(n, first.rate, first.channels), odd), strict=True))
    return wavs


def _samples(path: Path, layout: WavLayout) -> np.ndarray:
    return np.memmap(
        path, dtype="<i2", mode="r", offset=layout.offset, shape=(layout.frames, layout.channels)
    )


def render(wavs: Mapping[str, Path], settings: Settings, out: Path) -> Rendered:
    """Mix decoded stems (see `decoded`) into a 16-bit WAV at `out`, a chunk at a time, clipped at full
    scale."""
    if not wavs:
        raise ValueError("There are no stems to mix.")
    factors = gains({name: settings.get(name, Channel()) for name in wavs})
    layouts = {name: wav_layout(path) for name, path in wavs.items()}
    if len({(layout.rate, layout.channels) for layout in layouts.values()}) != 1:
        raise ValueError("These stems differ in sample rate or channels; split the song again.")
    first = next(iter(layouts.values()))
    frames = max(layout.frames for layout in layouts.values())
    playing = {name: _samples(wavs[name], layouts[name]) for name in wavs if factors[name]}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    peak = 0.0
    try:
        with wave.open(tmp, "wb") as writer:
            writer.setnchannels(first.channels)
            writer.setsampwidth(2)
            writer.setframerate(first.rate)
            for start in range(0, frames, CHUNK_FRAMES):
                stop = min(start + CHUNK_FRAMES, frames)
                total = np.zeros((stop - start, first.channels), dtype=np.float32)
                for name, samples in playing.items():
                    part = samples[start:stop]
                    total[: len(part)] += part * np.float32(factors[name] / FULL_SCALE)
                if len(total):
                    peak = max(peak, float(np.abs(total).max()))
                np.clip(total * FULL_SCALE, -FULL_SCALE, FULL_SCALE - 1, out=total)
                writer.writeframes(np.rint(total).astype("<i2").tobytes())
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return Rendered(out, frames / first.rate, peak)


def mp3_of(path: Path) -> bytes:
    """A WAV file encoded as mp3 (made when someone downloads or keeps it, not for every render).

    Written to a file, not a pipe: only a seekable output gets the LAME header that tells players to skip
    the encoder's padding, so the mp3 lasts exactly as long as the WAV.
    """
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "mix.mp3"
        command = [AudioSegment.converter, "-v", "error", "-i", str(path), "-map_metadata", "-1"]
        command += ["-codec:a", "libmp3lame", "-b:a", MP3_BITRATE, str(out)]
        try:
            subprocess.run(command, capture_output=True, check=True)
        except subprocess.CalledProcessError as exc:
            raise ValueError("The mix could not be encoded as mp3; play it again to make it anew.") from exc
        return out.read_bytes()
