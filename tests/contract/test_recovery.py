"""Paid audio is never lost, against the real server: an expired stored link is replaced by a fresh one from
get-music; audio the server removed for good marks the clip expired; a zip names what it could not get."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from contract_support import SONG_SECONDS, quick_client

from lib.recovery import EXPIRED, AudioUnavailable, cache_clip_audio, retry_uncached
from lib.store import Library
from lib.workspace import owner_id

DAY = 86400


@pytest.fixture
def made(dedicated, tmp_path):
    """A server whose links expire at once, a key, its library, and one finished song recorded there."""
    server = dedicated(link_ttl_seconds=-1)
    key = server.create_key("pro")
    client = quick_client(server, key)
    library, owner = Library(tmp_path / "lib.db", tmp_path / "audio"), owner_id(key)
    task = client.suno.create_music(description="a harbour song", duration=SONG_SECONDS)
    library.record_submission(
        owner, task, model="suno", call="suno.create_music", params={"description": "x"}
    )
    done = client.wait_for_task(task.task_id, "suno", timeout=120)
    (clip,) = library.record_update(owner, done)
    return server, key, client, library, owner, clip


def test_an_expired_link_is_replaced_by_a_fresh_one_and_the_audio_cached(made):
    server, _, client, library, owner, clip = made
    with pytest.raises(AudioUnavailable, match="tried again with a fresh link"):
        cache_clip_audio(library, client, owner, clip.clip_id)  # even fresh links are born expired here
    stale_link = library.clip(owner, clip.clip_id).audio_url
    server.configure(link_ttl_seconds=3600)
    path = cache_clip_audio(library, client, owner, clip.clip_id)
    assert path.read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3") or path.stat().st_size > 1000
    assert library.clip(owner, clip.clip_id).audio_url != stale_link  # the library kept the fresh link
    assert not library.clip(owner, clip.clip_id).expired


def test_the_tray_retry_caches_what_is_missing(made):
    server, _, client, library, owner, clip = made
    assert retry_uncached(library, client, owner) == 0
    server.configure(link_ttl_seconds=3600)
    assert retry_uncached(library, client, owner) == 1
    assert library.clip(owner, clip.clip_id).cached and library.uncached_clips(owner) == []


def test_audio_removed_for_good_marks_the_clip_expired_and_a_zip_says_so(made):
    server, key, client, library, owner, clip = made
    server.configure(link_ttl_seconds=3600, max_files_mb=0)
    server.runtime.store.touch_key({"key": key}, time.time() - 30 * DAY)
    server.configure(max_files_mb=1)
    # a demo-sized disk cap: anything over 1 MB goes, starting with this key unused for 30 days
    (server.data_dir / "files" / "ballast.bin").write_bytes(b"\0" * (2 * 2**20))
    assert key in server.runtime.sweep_disk()
    with pytest.raises(AudioUnavailable) as err:
        cache_clip_audio(library, client, owner, clip.clip_id)
    assert str(err.value) == EXPIRED
    assert library.clip(owner, clip.clip_id).expired
    assert library.clips_frame(owner)["status"].tolist() == ["expired"]
    archive = zipfile.ZipFile(
        io.BytesIO(
            library.zip_clips(
                owner, [clip.clip_id], cache_clip=lambda c: cache_clip_audio(library, client, owner, c)
            )
        )
    )
    assert archive.namelist() == ["MISSING.txt"] and "no longer has" in archive.read("MISSING.txt").decode()
