"""Audio helpers on pydub with the ffmpeg that imageio-ffmpeg bundles (there is no ffprobe, so every decode
names its format): durations, waveform peaks, zips, and checks of uploaded files by their first bytes.
"""

import io
import re
import subprocess
import warnings
import zipfile
from collections.abc import Iterable

import imageio_ffmpeg
import numpy as np

with warnings.catch_warnings():  # pydub warns at import that ffmpeg is not on PATH; we point it at ours
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.audio_segment import fix_wav_headers

AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()

DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# ffmpeg demuxer names where they differ from the format names sniff_audio returns.
_DEMUXERS = {"mp4": "mov", "webm": "matroska"}
FORMAT_NAMES = "MP3, WAV, FLAC, OGG, M4A, AAC, AIFF or WebM"


def sniff_audio(data: bytes, filename: str = "the file", *, max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES) -> str:
    """The audio format of `data` judged by its magic bytes (not its name), for pydub's `format=`.

    Raises ValueError with a sentence for the person uploading when the file is empty, too big or not audio.
    """
    if not data:
        raise ValueError(f"{filename} is empty; choose an audio file ({FORMAT_NAMES}).")
    if len(data) > max_bytes:
        raise ValueError(
            f"{filename} is {format_size(len(data))}, over the {format_size(max_bytes)} upload limit; "
            "trim it or export it at a lower bitrate and try again."
        )
    fmt = _format_of(data[:16])
    if fmt is None:
        raise ValueError(f"{filename} does not look like audio; upload an {FORMAT_NAMES} file.")
    return fmt


def _format_of(head: bytes) -> str | None:
    if head.startswith(b"ID3"):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        # An MPEG frame sync: layer bits 00 mean an AAC (ADTS) stream, anything else an MP3 frame.
        return "aac" if head[1] & 0x06 == 0 else "mp3"
    return None


def decode(data: bytes, fmt: str) -> AudioSegment:
    """Decode audio bytes of a known format; ValueError with a sentence when they do not decode.

    Non-WAV input goes through ffmpeg by hand: pydub would ask ffprobe, which imageio-ffmpeg does not ship.
    """
    try:
        if fmt == "wav":
            return AudioSegment.from_wav(io.BytesIO(data))
        command = [AudioSegment.converter, "-v", "error", "-f", _DEMUXERS.get(fmt, fmt), "-i", "cache:pipe:0"]
        command += ["-vn", "-acodec", "pcm_s16le", "-f", "wav", "-"]
        done = subprocess.run(command, input=data, capture_output=True, check=True)
        wav = bytearray(done.stdout)
        fix_wav_headers(wav)  # a piped WAV header has no sizes yet
        return AudioSegment.from_wav(io.BytesIO(bytes(wav)))
    except Exception as exc:  # ffmpeg's exit status, pydub's CouldntDecodeError, a truncated header, ...
        raise ValueError(f"This audio could not be read as {fmt.upper()}; the file may be damaged.") from exc


def duration_seconds(data: bytes, fmt: str) -> float:
    return len(decode(data, fmt)) / 1000.0


def peaks(data: bytes, fmt: str, n: int = 200) -> list[float]:
    """`n` peak levels (0..1, relative to full scale) across the audio, for drawing a waveform."""
    if n < 1:
        raise ValueError("A waveform needs at least one bar.")
    segment = decode(data, fmt).set_channels(1)
    samples = np.abs(np.asarray(segment.get_array_of_samples(), dtype=np.float64))
    if samples.size == 0:
        return [0.0] * n
    full_scale = float(1 << (8 * segment.sample_width - 1))
    return [float(chunk.max()) / full_scale if chunk.size else 0.0 for chunk in np.array_split(samples, n)]


def zip_files(named_files: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes) pairs; names are made safe and unique. Stored, not deflated: audio is compressed."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in named_files:
            archive.writestr(_unique(_safe_name(name), used), data)
    return buffer.getvalue()


def _safe_name(name: str) -> str:
    """A file name without folders or characters that file systems refuse."""
    base = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return base or "audio"


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, counter = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({counter}){dot}{ext}"
        counter += 1
    used.add(candidate.lower())
    return candidate


def format_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
