"""Players read an audio file once per version of it, and keep a bounded amount."""

import os

from lib.ui import players


def test_a_file_is_read_once_per_version(tmp_path):
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3" + b"a" * 100)
    first = players.audio_bytes(song)
    assert players.audio_bytes(song) is first, "read again though unchanged"
    song.write_bytes(b"ID3" + b"b" * 100)
    os.utime(song, ns=(song.stat().st_atime_ns, song.stat().st_mtime_ns + 1_000_000))
    assert players.audio_bytes(song) == b"ID3" + b"b" * 100, "a changed file is read anew"


def test_the_files_played_least_recently_are_let_go_first(tmp_path, monkeypatch):
    monkeypatch.setattr(players, "MAX_BYTES", 250)
    files = [tmp_path / f"{name}.mp3" for name in "abc"]
    for path in files:
        path.write_bytes(path.stem.encode() * 100)
    kept_a = players.audio_bytes(files[0])
    players.audio_bytes(files[1])
    assert players.audio_bytes(files[0]) is kept_a  # a played again: b is now the oldest
    players.audio_bytes(files[2])
    assert players.audio_bytes(files[0]) is kept_a
    assert players.kept_bytes() == sum(len(v) for v in players._kept.values()) <= 250
    assert not any(key[0] == str(files[1]) for key in players._kept)
