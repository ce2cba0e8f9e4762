"""Paid audio is never lost, in the app: while links fail, the card says so honestly; once they work again,
the next run fetches fresh ones and the song plays."""

from emulator import start_in_background
from tests.app.helpers import describe, has_songs, messages, run_until


def test_a_song_whose_links_fail_is_fetched_again_with_fresh_links(open_app, tmp_path):
    server = start_in_background(tmp_path / "server", link_ttl_seconds=-1)  # every link born expired
    try:
        at = run_until(describe(open_app(server.create_key("pro", 100), server.base_url)), has_songs)
        assert not at.get("audio")
        warnings = [w.value.replace("\\", "") for w in at.warning]
        assert any("tried again with a fresh link" in w and "nothing you paid for is lost" in w for w in warnings)

        server.configure(link_ttl_seconds=3600)
        at.run()
        assert not at.exception, messages(at)
        assert at.get("audio") and not [w for w in at.warning if "fresh link" in w.value.replace("\\", "")]
    finally:
        server.stop()
