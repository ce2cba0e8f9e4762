"""Stems kept by the library (lib.stems): real SQLite and files in a tmp dir, tasks as the server answers."""

import io
import os
import wave
import zipfile

import numpy as np
import pytest
from appdata_helpers import clip_json, completed_json, new_task_id, pending_json, task

from lib import mixing
from lib import stems as stems_lib
from lib.audio import decode
from lib.errors import LinkExpiredError
from lib.mixing import Channel
from lib.stems import StemShelf
from lib.store import Library

FULL = {"lead_vocals", "drums", "bass", "mix", "background"}


@pytest.fixture(scope="module")
def mp3(tmp_path_factory) -> bytes:
    """One second of real mp3 (a quiet tone), so decoding and zips are checked on real audio."""
    path = tmp_path_factory.mktemp("tone") / "tone.wav"
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.rint(tone * 32767).astype("<i2").tobytes())
    return mixing.mp3_of(path)


class Server:
    """Links of one stems task; a link stops working once expired, and renewing gives fresh ones."""

    def __init__(self, data: bytes, names=FULL, approximate=False):
        self.data, self.names, self.approximate = data, names, approximate
        self.generation, self.fetched, self.renewed = 0, [], 0

    def answer(self, task_id: str):
        links = {f"{n}_url": f"http://127.0.0.1:9/files/{n}.mp3?g={self.generation}" for n in self.names}
        return task(
            {"task_id": task_id, "status": "completed", "stems": links, "approximate": self.approximate}
        )

    def fetch(self, url: str) -> bytes:
        if not url.endswith(f"g={self.generation}"):
            raise LinkExpiredError(410, "link_expired", "This file link has expired.")
        self.fetched.append(url.split("/")[-1].split(".")[0])
        return self.data

    def renew(self, task_id: str):
        self.renewed += 1
        return self.answer(task_id)


@pytest.fixture
def song(library, owner):
    task_id = new_task_id()
    library.record_submission(owner, task(pending_json(task_id)), model="suno", call="suno.create_music",
                              params={"description": "folk song"})  # fmt: skip
    [clip] = library.record_update(
        owner, task(completed_json(task_id, [clip_json(f"clip_{task_id[5:]}", "Folk")]))
    )
    return clip


def kept(library, owner, song, server, kind="full"):
    shelf = StemShelf(library)
    stem_set = shelf.keep(owner, song.clip_id, kind, server.answer("task_split1"))
    return shelf, shelf.download(owner, stem_set, server.fetch, server.renew)


def test_a_split_is_kept_in_order_on_disk_and_survives_a_restart(library, owner, song, mp3, tmp_path):
    server = Server(mp3)
    shelf, stem_set = kept(library, owner, song, server)
    assert [s.name for s in stem_set.stems] == ["lead_vocals", "drums", "bass", "background", "mix"]
    assert [s.name for s in stem_set.parts] == ["lead_vocals", "drums", "bass"]
    assert stem_set.ready and not stem_set.approximate
    assert all(s.path.read_bytes() == mp3 for s in stem_set.stems)
    assert stem_set.stems[0].path.parent == tmp_path / "audio" / owner / "stems" / song.clip_id / "full"

    reopened = StemShelf(Library(tmp_path / "library.db", tmp_path / "audio"))
    again = reopened.get(owner, song.clip_id, "full")
    assert again == stem_set and again.ready
    assert reopened.download(owner, again, server.fetch, server.renew) == stem_set
    assert len(server.fetched) == len(FULL), "a kept stem was fetched again"
    assert reopened.get(owner, song.clip_id, "basic") is None
    assert reopened.kinds(owner, song.clip_id) == ["full"]


def test_basic_stems_come_from_their_two_fields_and_approximate_is_kept(library, owner, song, mp3):
    answer = task({"task_id": "task_b", "status": "completed", "vocals_url": "http://127.0.0.1:9/v.mp3",
                   "instrumental_url": "http://127.0.0.1:9/i.mp3", "approximate": True})  # fmt: skip
    stem_set = StemShelf(library).keep(owner, song.clip_id, "basic", answer)
    assert [s.name for s in stem_set.stems] == ["vocals", "instrumental"]
    assert stem_set.approximate and not stem_set.ready


def test_a_damaged_stem_is_fetched_again_and_an_expired_link_renewed(library, owner, song, mp3):
    server = Server(mp3)
    shelf, stem_set = kept(library, owner, song, server)
    drums = stem_set.stem("drums")
    drums.path.write_bytes(b"<html>not audio</html>")
    stem_set.stem("bass").path.write_bytes(mp3[: len(mp3) // 2])  # cut short
    assert not drums.healthy and not shelf.get(owner, song.clip_id, "full").ready
    server.generation += 1  # every link the library holds has expired

    repaired = shelf.download(owner, shelf.get(owner, song.clip_id, "full"), server.fetch, server.renew)
    assert repaired.ready and repaired.stem("drums").path.read_bytes() == mp3
    assert server.renewed == 1
    assert sorted(server.fetched[len(FULL) :]) == ["bass", "drums"]
    assert all(s.url.endswith("g=1") for s in repaired.stems)


def test_a_stem_overwritten_in_place_with_the_same_size_is_checked_again(library, owner, song, mp3):
    shelf, stem_set = kept(library, owner, song, Server(mp3))
    drums = stem_set.stem("drums")
    assert drums.healthy  # its first bytes are now known for this version of the file
    before = drums.path.stat()
    with open(drums.path, "r+b") as f:
        f.write(b"<html>")  # same inode, same size, no longer audio
    os.utime(drums.path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert not drums.healthy


def test_stems_that_do_not_decode_are_discarded_so_they_are_fetched_again(library, owner, song, mp3):
    server = Server(mp3)
    shelf, stem_set = kept(library, owner, song, server)
    stem_set.stem("drums").path.write_bytes(b"ID3" + b"\x00" * (len(mp3) - 3))  # looks fine, does not decode
    with pytest.raises(ValueError, match="damaged"):
        shelf.decoded(owner, stem_set.parts)
    assert not stem_set.stem("drums").path.exists()
    assert shelf.download(owner, stem_set, server.fetch, server.renew).ready


def test_stems_are_deleted_with_their_song(library, owner, song, mp3, tmp_path):
    shelf, stem_set = kept(library, owner, song, Server(mp3))
    shelf.decoded(owner, stem_set.parts)
    assert library.delete_clip(owner, song.clip_id)
    assert shelf.get(owner, song.clip_id, "full") is None
    assert not (tmp_path / "audio" / owner / "stems" / song.clip_id).exists()


@pytest.mark.parametrize("fmt", ["mp3", "wav"])
def test_the_zip_holds_one_decodable_file_per_stem_named_after_song_and_part(library, owner, song, mp3, fmt):
    shelf, stem_set = kept(library, owner, song, Server(mp3))
    archive = zipfile.ZipFile(io.BytesIO(shelf.zip(owner, stem_set, "Folk Song", fmt)))
    assert sorted(archive.namelist()) == sorted(f"Folk_Song - {n}.{fmt}" for n in FULL)
    for name in archive.namelist():
        assert decode(archive.read(name), fmt).duration_seconds == pytest.approx(1.0, abs=0.1)


def test_a_kept_mix_is_a_library_song_that_remembers_its_source_and_settings(
    library, owner, song, mp3, tmp_path
):
    shelf, stem_set = kept(library, owner, song, Server(mp3))
    settings = {"lead_vocals": Channel(mute=True), "drums": Channel(gain_db=3.0), "bass": Channel()}
    rendered = mixing.render(shelf.decoded(owner, stem_set.parts), settings, tmp_path / "mix.wav")
    mix = shelf.keep_mix(owner, song, stem_set, settings, rendered.path, mixing.mp3_of(rendered.path))

    assert (mix.model, mix.title, mix.cached) == ("mix", "Folk (my mix)", True)
    assert mix.prompt == "Mix: lead vocals muted, drums +3 dB"
    assert mix.duration == pytest.approx(1.0, abs=0.05)
    assert library.export_path(owner, mix.clip_id, "wav").read_bytes() == rendered.path.read_bytes()
    recorded = library.task(owner, mix.task_id)
    assert (recorded.call, recorded.status, recorded.params["song_id"]) == ("mix", "completed", song.clip_id)
    assert mixing.settings_from_json(recorded.params["settings"]) == settings
    assert library.clips_frame(owner, models=("mix",))["title"].tolist() == ["Folk (my mix)"]


def test_a_split_without_stems_or_of_an_unknown_kind_is_refused(library, owner, song):
    shelf = StemShelf(library)
    with pytest.raises(ValueError, match="gave no stems"):
        shelf.keep(owner, song.clip_id, "full", task({"task_id": "t", "status": "completed"}))
    with pytest.raises(ValueError, match="kind of stems"):
        shelf.keep(owner, song.clip_id, "twelve", task({"task_id": "t", "status": "completed"}))
    assert stems_lib.kind_of("suno.stems_full") == "full" and stems_lib.kind_of("suno.wav") is None
