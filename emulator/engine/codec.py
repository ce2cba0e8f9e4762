"""Audio files at the edge: encode float arrays to mp3/wav (pydub + bundled ffmpeg), decode uploads."""

import io
import subprocess
import tempfile
import warnings

import imageio_ffmpeg
import numpy as np

from .render import wav_bytes_to_array

with warnings.catch_warnings():  # pydub warns at import that ffmpeg is not on PATH; we point it at ours
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

ENCODE_FORMATS = ("mp3", "wav")
DECODE_FORMATS = ("mp3", "wav", "ogg", "flac", "m4a")
MP3_BITRATE = "192k"
MP3_SPEED = "7"  # LAME -q 7: twice as fast as the default -q 3; at 192 kbit/s the difference is not audible
DECODE_RATE = 44100
AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()


def float_to_int16(audio: np.ndarray) -> np.ndarray:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")


def check_audio(audio, sample_rate) -> np.ndarray:
    array = np.asarray(audio, dtype=np.float32)
    if array.ndim == 1:
        array = np.stack([array, array], axis=1)
    if array.ndim != 2 or array.shape[1] != 2 or not len(array):
        raise ValueError("Audio must be a non-empty float array of shape (samples, 2).")
    if not isinstance(sample_rate, int) or not 8000 <= sample_rate <= 192000:
        raise ValueError(f"Sample rate {sample_rate!r} is not a whole number of Hz between 8000 and 192000.")
    return array


def encode(audio: np.ndarray, sample_rate: int, fmt: str) -> bytes:
    """float (n, 2) -> mp3 (192 kbit/s) or 16-bit wav bytes."""
    if fmt not in ENCODE_FORMATS:
        raise ValueError(f"Cannot encode to {fmt!r}; choose one of {', '.join(ENCODE_FORMATS)}.")
    array = check_audio(audio, sample_rate)
    segment = AudioSegment(
        float_to_int16(array).tobytes(), frame_rate=sample_rate, sample_width=2, channels=2
    )
    buffer = io.BytesIO()
    if fmt == "mp3":
        segment.export(
            buffer,
            format="mp3",
            bitrate=MP3_BITRATE,
            parameters=["-map_metadata", "-1", "-fflags", "+bitexact", "-compression_level", MP3_SPEED],
        )
    else:
        segment.export(buffer, format="wav")
    return buffer.getvalue()


def decode(data: bytes, fmt: str) -> tuple[np.ndarray, int]:
    """Audio file bytes -> float32 (n, 2) and sample rate; a clear ValueError for anything unreadable."""
    if fmt not in DECODE_FORMATS:
        raise ValueError(f"{fmt!r} is not a supported audio format; use one of {', '.join(DECODE_FORMATS)}.")
    if not isinstance(data, bytes | bytearray) or len(data) < 32:
        raise ValueError(f"This {fmt} data is not a readable audio file (it is empty or too short).")
    if fmt == "wav":
        try:
            audio, rate = wav_bytes_to_array(bytes(data))
        except Exception:  # scipy raises several kinds for damaged headers
            audio, rate = _ffmpeg_decode(bytes(data), fmt), DECODE_RATE
    else:
        audio, rate = _ffmpeg_decode(bytes(data), fmt), DECODE_RATE
    if not len(audio):
        raise ValueError(f"This {fmt} file is not a readable audio file: it holds no audio.")
    return audio, rate


def _ffmpeg_decode(data: bytes, fmt: str) -> np.ndarray:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin"]
    output = ["-vn", "-f", "f32le", "-ac", "2", "-ar", str(DECODE_RATE), "pipe:1"]
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as source:
        source.write(data)
        source.flush()
        result = subprocess.run([*command, "-i", source.name, *output], capture_output=True, timeout=120)
    if result.returncode != 0 or not result.stdout:
        raise ValueError(f"This {fmt} data is not a readable audio file (ffmpeg could not decode it).")
    return np.frombuffer(result.stdout, dtype="<f4").reshape(-1, 2).copy()
