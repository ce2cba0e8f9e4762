"""video_url: an mp4 of a still cover (a colour picked from the clip id) and the clip's audio."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import imageio_ffmpeg


def cover_colour(clip_id: str) -> str:
    digest = hashlib.sha256(clip_id.encode()).hexdigest()
    # Keep the colour dark enough for the waveform-less still to look like a cover, not a test card.
    return "0x" + "".join(f"{int(digest[i : i + 2], 16) // 2:02x}" for i in (0, 2, 4))


def make_mp4(audio_path: Path, out_path: Path, clip_id: str) -> None:
    """Write out_path atomically (a temp file renamed), so a half-made video is never served."""
    tmp = out_path.with_suffix(".part.mp4")
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c={cover_colour(clip_id)}:s=640x360:r=1",
        "-i",
        str(audio_path),
        "-c:v",
        "libx264",
        "-tune",
        "stillimage",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-shortest",
        "-movflags",
        "+faststart",
        str(tmp),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    tmp.replace(out_path)
