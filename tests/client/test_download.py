"""download: streams a file link, caps its size before reading it all, checks its type, maps 410."""

from __future__ import annotations

import io
import socket
import threading

import pytest

from lib.client import AIMusicClient
from lib.errors import AIMusicAPIError, APIConnectionError, FileTooLargeError, LinkExpiredError
from tests.client.conftest import API_KEY, BASE_URL

LINK = f"{BASE_URL}/files/clip_1.mp3?expires=1&token=abc"
AUDIO = b"ID3" + bytes(range(256)) * 40


def test_returns_the_bytes_without_sending_the_key(client, mocked):
    mocked.add("GET", LINK, body=AUDIO, content_type="audio/mpeg")
    assert client.download(LINK) == AUDIO
    assert "Authorization" not in mocked.calls[0].request.headers


def test_writes_dest_and_leaves_no_partial_files(client, mocked, tmp_path):
    mocked.add("GET", LINK, body=AUDIO, content_type="audio/mpeg")
    dest = tmp_path / "songs" / "clip_1.mp3"
    assert client.download(LINK, dest) == dest
    assert dest.read_bytes() == AUDIO
    assert [path.name for path in dest.parent.iterdir()] == ["clip_1.mp3"]


def test_a_server_path_is_joined_to_the_base_url(client, mocked):
    mocked.add("GET", f"{BASE_URL}/files/clip_2.wav", body=b"RIFF", content_type="audio/wav")
    assert client.download("/files/clip_2.wav") == b"RIFF"


def test_a_declared_size_over_the_cap_is_refused_before_reading(client, mocked, tmp_path):
    mocked.add("GET", LINK, body=AUDIO, content_type="audio/mpeg")
    dest = tmp_path / "big.mp3"
    with pytest.raises(FileTooLargeError) as caught:
        client.download(LINK, dest, max_bytes=1000)
    assert caught.value.max_bytes == 1000
    assert not dest.exists() and list(tmp_path.iterdir()) == []


class CountingStream(io.BytesIO):
    """A body that counts how much of it was read."""

    served = 0

    def readinto(self, buffer) -> int:
        count = super().readinto(buffer)
        self.served += count
        return count

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.served += len(data)
        return data


def test_an_undeclared_size_is_cut_off_while_streaming(client, mocked, tmp_path):
    stream = CountingStream(b"x" * 5_000_000)
    mocked.add(
        "GET",
        LINK,
        body=io.BufferedReader(stream),
        content_type="audio/mpeg",
        auto_calculate_content_length=False,
    )
    with pytest.raises(FileTooLargeError, match="not downloaded"):
        client.download(LINK, tmp_path / "big.mp3", max_bytes=100_000)
    assert 100_000 < stream.served < 1_000_000  # stopped long before the end
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content_type", ["text/html", "application/json"])
def test_a_page_instead_of_media_is_refused(client, mocked, content_type):
    mocked.add("GET", LINK, body=b"<html>login</html>", content_type=content_type)
    with pytest.raises(AIMusicAPIError, match=f"returned {content_type}") as caught:
        client.download(LINK)
    assert caught.value.code == "unexpected_content_type"


def test_an_expired_link_raises_link_expired(client, mocked):
    mocked.add("GET", LINK, status=410, json={"error": {"code": "link_expired", "message": "expired"}})
    with pytest.raises(LinkExpiredError, match="expired"):
        client.download(LINK)


@pytest.mark.parametrize("max_bytes", [0, -5])
def test_max_bytes_must_be_positive(client, mocked, max_bytes):
    with pytest.raises(ValueError, match="^max_bytes"):
        client.download(LINK, max_bytes=max_bytes)
    assert len(mocked.calls) == 0


def test_a_transfer_cut_off_midway_is_a_connection_error(tmp_path):
    """A real socket that promises more bytes than it sends, then closes."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_half() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 100000\r\n\r\n"
            connection.sendall(head + b"x" * 1000)

    thread = threading.Thread(target=answer_half, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    client = AIMusicClient(API_KEY, base_url=f"http://127.0.0.1:{port}", sleep=lambda _s: None)
    with pytest.raises(APIConnectionError, match="cut off"):
        client.download("/files/a.mp3", tmp_path / "a.mp3")
    assert list(tmp_path.iterdir()) == []
    thread.join(timeout=5)
    listener.close()
