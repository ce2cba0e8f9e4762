"""The library's revision moves with every committed change of tasks, clips and the ledger, and only then."""

from appdata_helpers import clip_json, completed_json, new_task_id, pending_json, task

from lib import revisions
from lib.ledger import Ledger
from lib.store import Library


def test_the_revision_moves_with_every_change_of_watched_tables_and_not_on_reads(library, owner):
    seen = [revisions.current(library)]

    def moved() -> bool:
        seen.append(revisions.current(library))
        return seen[-1] != seen[-2]

    task_id = new_task_id()
    library.record_submission(owner, task(pending_json(task_id)), model="suno", call="suno.create_music",
                              params={"description": "sea"})  # fmt: skip
    assert moved()
    library.clips_frame(owner)
    library.task(owner, task_id)
    assert not moved()
    library.record_update(owner, task(completed_json(task_id, [clip_json("clip_one")])))
    assert moved()
    book = Ledger(library)
    book.record_charge(owner, "suno.create_music", {"description": "sea"}, task_id=task_id)
    assert moved()
    book.settle(owner, task(completed_json(task_id, [clip_json("clip_one")])))
    assert moved()
    library.delete_clip(owner, "clip_one")
    assert moved()


def test_a_recreated_library_file_never_repeats_an_old_revision(tmp_path):
    first = revisions.current(Library(tmp_path / "a" / "library.db", tmp_path / "audio"))
    (tmp_path / "a" / "library.db").unlink()
    again = revisions.current(Library(tmp_path / "a" / "library.db", tmp_path / "audio"))
    assert first[1] == again[1] == 0
    assert first[0] != again[0]


def test_views_compute_once_per_key_and_keep_only_the_newest():
    views, computed = revisions.Views(size=2), []

    def make(name):
        return lambda: computed.append(name) or name.upper()

    assert [views.get(k, make(k)) for k in ("a", "a", "b", "a", "c", "b", "a")] == list("AABACBA")
    # "c" pushed out "b" (older in use than "a"), then "b" pushed out "a": both were made again.
    assert computed == ["a", "b", "c", "b", "a"]
