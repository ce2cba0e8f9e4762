"""The ledger agrees with the server: a mixed session's spend equals the growth of the server's `used` credits.

The session goes the way the app goes (lib/ui/tray.py and cards.py): a paid call the server accepts is
recorded with its task, each polled task is settled, answers given at once (MIDI, lyrics) are recorded when
they arrive, and a call the server refused records nothing.
"""

from __future__ import annotations

import shutil
import time

import pytest
from contract_support import SONG_SECONDS, quick_client, wav_bytes

from lib import calls, ledger
from lib.errors import ServerError
from lib.ledger import Ledger
from lib.models import Task
from lib.store import Library
from lib.workspace import owner_id


class AppSession:
    """The app's paths to the ledger, with the real client, minus Streamlit."""

    def __init__(self, client, book: Ledger, owner: str):
        self.client, self.book, self.owner = client, book, owner

    def start(self, call: str, params: dict, model: str = "suno") -> Task:
        task = calls.bind(self.client, call, params)()  # raises when the server refuses: nothing recorded
        self.book.record_charge(self.owner, call, params, task_id=task.task_id, model=model)
        return task

    def finish(self, task: Task, model: str = "suno", limit: float = 180.0) -> Task:
        deadline = time.monotonic() + limit
        while not (task := self.client.resource(model).get_music(task.task_id)).is_done:
            assert time.monotonic() < deadline, f"task {task.task_id} did not finish"
            time.sleep(0.2)
        self.book.settle(self.owner, task)
        return task

    def answered(self, call: str, params: dict) -> None:
        self.book.record_charge(self.owner, call, params, model=call.partition(".")[0])


@pytest.fixture
def session(dedicated, tmp_path):
    server = dedicated(workers=2)
    key = server.create_key("pro", credits=1000)
    client = quick_client(server, key, timeout=30)
    book = Ledger(Library(tmp_path / "library.db", tmp_path / "audio"))
    yield server, AppSession(client, book, owner_id(key))
    client.close()


def test_a_mixed_sessions_ledger_spend_is_exactly_what_the_server_charged(session):
    server, app = session
    used_before = app.client.get_credits().used

    songs = [app.start("suno.create_music", {"description": d, "duration": SONG_SECONDS})
             for d in ("a sunny ukulele tune", "a rainy piano ballad")]  # fmt: skip
    upload = app.client.suno.upload_music(wav_bytes(2), "tone.wav")  # free: nothing to record
    assert app.book.record_charge(app.owner, "suno.upload_music", {}) == 0
    clip = app.finish(songs[0]).clips[0]
    app.finish(songs[1])

    app.finish(app.start("suno.wav", {"song_id": clip.id}))  # the export
    assert app.client.suno.get_midi(clip.id).midi_bytes()
    app.answered("suno.get_midi", {"clip_id": clip.id})
    assert app.client.lyrics.generate(prompt="the sea at night")
    app.answered("lyrics.generate", {"prompt": "the sea at night"})

    server.configure(fault_rate=1.0, fault_kinds=("500",))  # refused before anything is done or charged
    with pytest.raises(ServerError):
        app.start("suno.create_music", {"description": "never made", "duration": SONG_SECONDS})
    server.configure(fault_rate=0.0)

    shutil.rmtree(server.data_dir / "files")  # the uploaded audio is lost: its stems task fails
    (server.data_dir / "files").mkdir()
    failed = app.finish(app.start("suno.stems_basic", {"song_id": upload.audio_id}))
    assert failed.status == "failed"

    frame = app.book.frame(app.owner)
    sums = ledger.totals(frame)
    assert sums == {"charged": 10 + 10 + 10 + 5 + 5 + 20, "refunded": 20, "spent": 40}
    assert app.client.get_credits().used - used_before == sums["spent"]
    assert frame.loc[frame["refunded"], "what"].tolist() == ["Stems (2 tracks)"]
    assert sorted(frame["outcome"]) == ["done"] * 5 + ["failed"]


def test_a_rebuilt_ledger_agrees_with_the_server_too(session, tmp_path):
    """Songs made before the ledger existed: their library tasks become ledger rows once, priced the same."""
    server, app = session
    library = app.book.library
    for description in ("an old folk song", "an old blues"):
        task = app.client.suno.create_music(description=description, duration=SONG_SECONDS)
        library.record_submission(app.owner, task, model="suno", call="suno.create_music",
                                  params={"description": description, "duration": SONG_SECONDS})  # fmt: skip
        done = app.client.wait_for_task(task.task_id, "suno", timeout=180)
        library.record_update(app.owner, done)
    assert app.book.frame(app.owner).empty

    assert app.book.rebuild(app.owner) == 2
    assert app.book.rebuild(app.owner) == 0
    assert ledger.totals(app.book.frame(app.owner))["spent"] == app.client.get_credits().used == 20
