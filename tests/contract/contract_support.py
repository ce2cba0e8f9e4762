"""Helpers of the contract tests: small audio files, a webhook receiver, a client that never sleeps."""

from __future__ import annotations

import http.server
import io
import math
import struct
import subprocess
import tempfile
import threading
import wave

import imageio_ffmpeg

from lib.client import AIMusicClient, RetryConfig

SONG_SECONDS = 10


def encoded(data: bytes, fmt: str) -> bytes:
    """WAV bytes re-encoded by the bundled ffmpeg as flac, ogg (vorbis) or m4a (aac)."""
    container = {"flac": "flac", "ogg": "ogg", "m4a": "ipod"}[fmt]
    codec = {"flac": "flac", "ogg": "libvorbis", "m4a": "aac"}[fmt]
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "wav", "-i", "pipe:0", "-c:a", codec]
    with tempfile.TemporaryDirectory() as tmp:
        out = f"{tmp}/out.{fmt}"  # mp4-family muxers need a seekable file
        subprocess.run([*command, "-f", container, out], input=data, check=True, capture_output=True)
        with open(out, "rb") as f:
            return f.read()


def wav_bytes(seconds: float = 3.0, rate: int = 22050, freq: float = 330.0, amplitude: int = 12000) -> bytes:
    """A small mono 16-bit WAV with a tone (silence at amplitude 0), made with the standard library."""
    frames = b"".join(
        struct.pack("<h", int(amplitude * math.sin(2 * math.pi * freq * n / rate)))
        for n in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()


def quick_client(server, key: str, **options) -> AIMusicClient:
    """A client that does not wait between retries (tests never sleep through backoff)."""
    options.setdefault(
        "retry", RetryConfig(max_retries=1, initial_delay=0, max_delay=0, jitter=0, max_wait=0)
    )
    return AIMusicClient(api_key=key, base_url=server.base_url, sleep=lambda _s: None, **options)


class WebhookReceiver:
    """A tiny HTTP server on loopback that records every POST; it can answer 500 to the first few."""

    def __init__(self, fail_first: int = 0, port: int = 0):
        self.calls: list[tuple[bytes, dict[str, str]]] = []
        self.fail_first = fail_first
        self.received = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append((body, dict(self.headers)))
                ok = len(receiver.calls) > receiver.fail_first
                self.send_response(200 if ok else 500)
                self.end_headers()
                if ok:
                    receiver.received.set()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()
