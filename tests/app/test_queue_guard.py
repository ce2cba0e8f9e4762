"""A submission waiting in the tray's queue is known by its call and parameters, so pages do not offer it again."""

from lib.tasks import TaskTracker, tier_limits
from lib.ui.session import Studio
from lib.ui.tray import is_queued


def test_a_queued_split_is_found_by_its_call_and_song_and_only_that_one():
    conn = Studio(mode="Built-in engine", client=None, owner="o", tracker=TaskTracker(*tier_limits("free")))
    assert not is_queued(conn, "suno.stems_full", song_id="c1")
    conn.tracker.enqueue(
        "Stems of c1", lambda: None, model="suno", call="suno.stems_full", params={"song_id": "c1"}
    )
    assert is_queued(conn, "suno.stems_full", song_id="c1")
    assert not is_queued(conn, "suno.stems_full", song_id="c2")
    assert not is_queued(conn, "suno.stems_basic", song_id="c1")
    conn.tracker.cancel(conn.tracker.queued[0].id)
    assert not is_queued(conn, "suno.stems_full", song_id="c1")
