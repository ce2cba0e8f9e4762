"""The library keeps its SQLite connections between transactions: reused, never stale, never left broken."""

import sqlite3
import threading

import pytest
from appdata_helpers import clip_json, completed_json, new_task_id, pending_json, task

from lib.store import Library


def song(library, owner, title):
    task_id = new_task_id()
    library.record_submission(owner, task(pending_json(task_id)), model="suno", call="suno.create_music", params={})
    library.record_update(owner, task(completed_json(task_id, [clip_json(f"clip_{task_id[5:]}", title)])))
    return f"clip_{task_id[5:]}"


def test_a_transaction_reuses_the_connection_the_last_one_left(library):
    with library.connect() as db:
        first = db
    with library.connect() as db:
        assert db is first


def test_threads_at_the_same_time_get_their_own_connections(library, owner):
    song(library, owner, "Shared")
    inside, release = threading.Barrier(3), threading.Event()
    seen = []

    def read():
        with library.connect() as db:
            seen.append(db)
            inside.wait(timeout=10)
            release.wait(timeout=10)
            assert db.execute("SELECT COUNT(*) FROM clips").fetchone()[0] == 1

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait(timeout=10)
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len({id(db) for db in seen}) == 2


def test_a_connection_that_saw_an_error_is_closed_and_not_handed_out_again(library):
    with pytest.raises(sqlite3.OperationalError), library.connect() as db:
        broken = db
        db.execute("SELECT * FROM no_such_table")
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        broken.execute("SELECT 1")
    with library.connect() as db:
        assert db is not broken


def test_rows_have_names_again_after_a_transaction_asked_for_plain_tuples(library, owner):
    clip_id = song(library, owner, "Named")
    with library.connect() as db:
        db.row_factory = None
    assert library.clip(owner, clip_id).title == "Named"


def test_a_replaced_library_file_is_read_afresh_not_through_a_kept_connection(tmp_path, owner):
    library = Library(tmp_path / "library.db", tmp_path / "audio")
    kept_clip = song(library, owner, "Before the restore")
    with sqlite3.connect(library.db_path) as source, sqlite3.connect(tmp_path / "backup.db") as backup:
        source.backup(backup)
    new_clip = song(library, owner, "Made after the backup")
    assert library.clip(owner, new_clip) is not None  # a connection is now kept

    (tmp_path / "library.db-wal").unlink(missing_ok=True)
    (tmp_path / "library.db-shm").unlink(missing_ok=True)
    (tmp_path / "backup.db").replace(library.db_path)  # the file restored from the backup: a new inode
    assert library.clip(owner, new_clip) is None
    assert library.clip(owner, kept_clip).title == "Before the restore"
