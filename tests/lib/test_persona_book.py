"""The persona book: personas per owner with their source; rename, forget, missing; songs made with one."""

import pytest
from appdata_helpers import clip_json, completed_json, new_task_id, pending_json, task

from lib.personas import MUSIC_CALL, PersonaBook, check_name

OWNER, OTHER = "a" * 64, "b" * 64


@pytest.fixture
def book(library, clock):
    return PersonaBook(library, clock=clock)


def test_a_persona_is_kept_once_with_its_source_and_time(book, library, clock):
    book.add(OWNER, "persona_1", "<b>Voice</b> **one**", source_clip_id="clip_1", task_id="task_1")
    clock.advance(5)
    book.add(OWNER, "persona_1", "again", source_clip_id="clip_9", task_id="task_2")  # a repeated completion
    book.add(OWNER, "persona_2", "Голос 🎤", source_clip_id=None, task_id="task_3")
    kept = PersonaBook(library).all(OWNER)  # a later visit
    assert [(p.persona_id, p.name) for p in kept] == [
        ("persona_2", "Голос 🎤"),
        ("persona_1", "<b>Voice</b> **one**"),
    ]
    assert kept[1].source_clip_id == "clip_1" and kept[1].created_at.timestamp() == clock.now - 5
    assert book.all(OTHER) == []


def test_rename_forget_and_missing_are_local_and_per_owner(book):
    book.add(OWNER, "persona_1", "Old", source_clip_id="clip_1", task_id="t")
    assert book.rename(OWNER, "persona_1", "  New name  ").name == "New name"
    with pytest.raises(ValueError, match="name"):
        book.rename(OWNER, "persona_1", "   ")
    book.mark_missing(OWNER, "persona_1")
    assert book.get(OWNER, "persona_1").missing
    assert not book.forget(OTHER, "persona_1")
    assert book.forget(OWNER, "persona_1") and book.get(OWNER, "persona_1") is None


def test_check_name_takes_what_the_server_takes():
    assert check_name(" Nova ") == "Nova"
    assert check_name("x" * 100) == "x" * 100
    with pytest.raises(ValueError, match="at most 100"):
        check_name("x" * 101)


def test_songs_made_with_a_persona_are_found_newest_first(book, library, clock):
    made = []
    for persona_id in ("persona_1", "persona_2", "persona_1"):
        task_id = new_task_id()
        params = {"persona_id": persona_id, "description": "pop"}
        library.record_submission(
            OWNER, task(pending_json(task_id)), model="suno", call=MUSIC_CALL, params=params
        )
        clip_id = f"clip_{len(made)}"
        library.record_update(OWNER, task(completed_json(task_id, [clip_json(clip_id)])))
        made.append(clip_id)
        clock.advance(10)
    assert book.songs(OWNER, "persona_1") == ["clip_2", "clip_0"]
    assert book.songs(OWNER, "persona_1", limit=1) == ["clip_2"]
    assert book.songs(OWNER, "persona_3") == []
