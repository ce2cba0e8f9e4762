"""The studio in AppTest against the real built-in server: pages, submitting, polling, errors, limits."""

import shutil
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from emulator import start_in_background
from lib.ui import MAX_PROMPT, navigation
from lib.workspace import DemoLimits
from tests.app.conftest import APP
from tests.app.helpers import DESCRIPTION, describe, has_songs, labels, library_of, messages, run_until

PAGES = [info.path for info in navigation.PAGES]  # every built page is smoke-tested
DEMO = DemoLimits().credits  # a new built-in workspace's credits


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(open_app, make_key, page):
    at = open_app(make_key())
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error


def test_without_a_key_the_built_in_engine_makes_a_song_that_a_reload_finds_again(open_app, data_dir):
    at = open_app()
    assert at.sidebar.toggle(key="sidebar.account").value is False
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == [str(DEMO)]
    workspace = at.query_params["ws"]
    workspace = workspace[0] if isinstance(workspace, list) else workspace

    run_until(describe(at), has_songs)
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == [str(DEMO - 10)]

    # A new browser session opened on the bookmarked link sees the same library and balance.
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["ws"] = workspace
    again.run()
    assert has_songs(again)
    assert [m.value for m in again.sidebar.metric if m.label == "Credits"] == [str(DEMO - 10)]
    library, owner = library_of(data_dir, workspace)
    assert library.clips_frame(owner)["prompt"].tolist() == [DESCRIPTION]


def test_a_submitted_song_joins_the_tray_then_appears_with_its_audio_cached(open_app, make_key, data_dir):
    key = make_key()
    at = describe(open_app(key))
    assert not at.exception
    assert any("Started" in t.value for t in at.toast)

    run_until(at, has_songs)
    library, owner = library_of(data_dir, key)
    frame = library.clips_frame(owner)
    assert frame["status"].tolist() == ["completed"]
    assert frame["duration"].tolist() == [10.0]
    assert frame["cached"].tolist() == [True]
    assert at.get("audio"), "the clip card has no player"
    assert [b.label for b in at.download_button] == ["Download MP3"]
    assert any(DESCRIPTION in c.value for c in at.caption)


def test_a_rejected_key_is_said_at_once_and_nothing_breaks(open_app):
    at = open_app("sk_this_key_does_not_exist")
    assert not at.exception
    assert any("rejected" in e.value for e in at.sidebar.error)
    assert any("Connect in the sidebar" in i.value for i in at.info)
    at.switch_page("app_pages/library.py").run()
    assert not at.exception


def test_not_enough_credits_is_a_sentence_and_no_task_is_recorded(open_app, make_key, data_dir):
    key = make_key(credits=0)
    at = describe(open_app(key))
    assert not at.exception
    assert any("needs 10 credits and you have 0" in e.value for e in at.error), messages(at)
    library, owner = library_of(data_dir, key)
    assert library.clips_frame(owner).empty


def test_a_spent_request_budget_is_a_sentence(open_app, make_key, client_for):
    key = make_key(tier="free")
    at = open_app(key)
    client = client_for(key)
    while client.rate_limit is None or client.rate_limit.remaining:
        client.get_credits()
    describe(at)
    assert not at.exception
    assert any("Too many requests" in e.value for e in at.error), messages(at)


@pytest.mark.parametrize(
    "mode, fill, expected",
    [
        ("Describe a song", {"create.description": ""}, "add a description"),
        ("My lyrics and style", {"create.lyrics": "La la la", "create.style": ""}, "add a style"),
        (
            "Describe a song",
            {"create.description": DESCRIPTION, "create.webhook_url": "ftp://hooks.invalid/hook"},
            "starting with https://",
        ),
    ],
)
def test_incomplete_or_invalid_inputs_are_refused_before_sending(
    open_app, make_key, client_for, mode, fill, expected
):
    key = make_key()
    at = open_app(key)
    at.radio(key="create.mode").set_value(mode).run()
    for widget_key, value in fill.items():
        at.get_by_key(widget_key).set_value(value)
    at.button(key="create.submit").click().run()
    assert any(expected in w.value for w in at.warning), messages(at)
    assert client_for(key).get_credits().used == 0


def test_text_longer_than_the_api_takes_is_cut_at_the_limit(open_app, make_key, data_dir):
    key = make_key()
    at = describe(open_app(key), text="la " * 400)
    assert not at.exception
    library, owner = library_of(data_dir, key)
    (task_id,) = library.clips_frame(owner)["task_id"].unique()
    assert len(library.task(owner, task_id).params["description"]) == MAX_PROMPT


def test_the_library_plays_remakes_and_deletes_a_selected_song(open_app, make_key, data_dir):
    key = make_key()
    at = run_until(describe(open_app(key)), has_songs)
    library, owner = library_of(data_dir, key)
    (clip_id,) = library.clips_frame(owner)["clip_id"]

    at.session_state["library.focus"] = [clip_id]
    at.switch_page("app_pages/library.py").run()
    assert not at.exception
    assert any("1 song in your library" in c.value for c in at.caption)
    assert {b.label for b in at.download_button} >= {"Download 1 song as a zip", "Download MP3"}
    assert at.get("audio")

    at.button(key=f"library.rerun.{clip_id}").click().run()
    assert not at.exception
    tasks = library.clips_frame(owner)["task_id"].unique()
    assert len(tasks) == 2
    assert {library.task(owner, t).params["description"] for t in tasks} == {DESCRIPTION}

    at.button(key=f"library.delete.{clip_id}").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    assert library.clip(owner, clip_id) is not None, "deleted before it was confirmed"
    at.button(key=f"library.confirm.{clip_id}").click().run()
    assert not at.exception
    assert library.clip(owner, clip_id) is None


def test_prompts_beyond_the_concurrency_cap_wait_in_the_queue_then_run(make_key, open_app, data_dir):
    key = make_key(tier="free", credits=100)  # free tier: 2 tasks at a time, 10 requests a minute
    at = open_app(key)
    for n in range(3):
        describe(at, text=f"{DESCRIPTION} {n}")
        assert not at.exception
    assert any("is queued" in i.value for i in at.info), messages(at)
    assert any("Waiting for a free slot" in c.value for c in at.sidebar.caption)

    library, owner = library_of(data_dir, key)
    run_until(at, lambda _: library.clips_frame(owner, statuses=("completed",)).shape[0] == 3)
    assert not at.error


def test_a_failed_task_is_said_plainly_and_refunded(slow_emulator, open_app, data_dir):
    key = slow_emulator.create_key(tier="pro", credits=100)
    at = describe(open_app(key, base_url=slow_emulator.base_url))
    library, owner = library_of(data_dir, key)
    (task,) = library.pending_tasks(owner)
    failure = {"code": "generation_failed", "message": "The engine could not make this song", "details": {}}
    slow_emulator.runtime.store.fail_task(task.task_id, failure)

    run_until(at, lambda a: any("failed" in e.value for e in a.error))
    assert any("The engine could not make this song" in e.value for e in at.error)
    assert library.task(owner, task.task_id).status == "failed"
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["100"]


@pytest.mark.parametrize(
    "mode, fill, call",
    [
        ("Describe a song", {"create.description": DESCRIPTION}, "suno.create_music"),
        ("Quick idea", {"create.idea": "a sad piano ballad"}, "suno.describe_music"),
        (
            "My lyrics and style",
            {
                "create.title": "Sunday",
                "create.lyrics": "Verse 1: slow morning light",
                "create.style": "indie folk",
            },
            "suno.create_music_with_lyrics",
        ),
        ("Long song (up to 4 min)", {"create.nuro_prompt": "ambient synth pads"}, "nuro.create_vocal_music"),
        (
            "Long song (up to 4 min)",
            {"create.nuro_kind": "Instrumental", "create.nuro_prompt": "ambient synth pads"},
            "nuro.create_instrumental_music",
        ),
        ("Producer", {"create.producer_description": "energetic EDM with drops"}, "producer.create_music"),
    ],
)
def test_every_kind_of_song_is_sent_to_its_endpoint_and_arrives(
    open_app, make_key, data_dir, mode, fill, call
):
    key = make_key()
    at = open_app(key)
    at.radio(key="create.mode").set_value(mode).run()
    for widget_key, value in fill.items():
        at.get_by_key(widget_key).set_value(value)
        at.run()
    at.button(key="create.submit").click().run()
    assert not at.exception
    assert not at.error, messages(at)
    library, owner = library_of(data_dir, key)
    (task_id,) = library.clips_frame(owner)["task_id"].unique()
    assert library.task(owner, task_id).call == call
    run_until(at, has_songs)


def test_a_webhook_address_given_under_advanced_is_sent_with_the_song(open_app, make_key, data_dir):
    """The address is a name under .invalid: the server takes it, and its delivery fails without a lookup."""
    key = make_key()
    at = open_app(key)
    at.text_input(key="create.webhook_url").set_value("https://studio-hooks.invalid/hook")
    describe(at)
    library, owner = library_of(data_dir, key)
    (task_id,) = library.clips_frame(owner)["task_id"].unique()
    assert library.task(owner, task_id).params["webhook_url"] == "https://studio-hooks.invalid/hook"


def test_a_key_typed_into_the_sidebar_connects_to_the_operators_server(emulator, make_key, monkeypatch):
    monkeypatch.setenv("AIMUSIC_ALLOW_CUSTOM_BASE_URL", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.sidebar.toggle(key="sidebar.account").set_value(True).run()
    assert any("Paste your API key" in i.value for i in at.sidebar.info)
    assert not at.error
    at.sidebar.text_input(key="sidebar.base_url").set_value(emulator.base_url)
    at.sidebar.text_input(key="sidebar.api_key").set_value(make_key(credits=70)).run()
    assert not at.exception
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["70"]


def test_the_base_url_field_appears_only_when_the_operator_allows_it(open_app, make_key):
    at = open_app()
    at.sidebar.toggle(key="sidebar.account").set_value(True).run()
    assert "sidebar.api_key" in [w.key for w in at.sidebar.text_input]
    assert "sidebar.base_url" not in [w.key for w in at.sidebar.text_input]


def test_midi_and_wav_exports_are_paid_once_then_downloadable(open_app, make_key, client_for):
    key = make_key(credits=100)
    at = run_until(describe(open_app(key)), has_songs)
    (card_key,) = {b.key.rsplit(".", 1)[0] for b in at.button if b.key and b.key.endswith(".make_mid")}

    at.button(key=f"{card_key}.make_mid").click().run()
    assert not at.exception and not at.error, messages(at)
    run_until(at.button(key=f"{card_key}.make_wav").click().run(), lambda a: "Download WAV" in labels(a))
    assert {"Download MIDI", "Download WAV"} <= labels(at)
    assert client_for(key).get_credits().available == 100 - 10 - 5 - 10


def test_a_reload_while_a_song_is_being_made_picks_it_up_again(slow_emulator, open_app, data_dir):
    key = slow_emulator.create_key(tier="pro", credits=100)
    describe(open_app(key, base_url=slow_emulator.base_url))  # then the tab is reloaded: a new session
    reloaded = open_app(key, base_url=slow_emulator.base_url)
    assert any("about to start" in p.proto.text for p in reloaded.sidebar.get("progress")), (
        "the tray lost the task"
    )
    run_until(reloaded, has_songs)


def test_the_library_filters_by_text_model_and_status(open_app, make_key):
    at = run_until(describe(open_app(make_key())), has_songs)
    at.switch_page("app_pages/library.py").run()
    assert not at.multiselect, "the Filters panel is shut: its fields are not drawn"
    at.text_input(key="library.search").set_value("lofi").run()
    assert any("1 song matches “lofi”" in c.value for c in at.caption)
    open_filters(at)
    at.multiselect(key="library.models").set_value(["nuro"]).run()
    assert any("No songs match “lofi” · nuro" in i.value for i in at.info)
    at.multiselect(key="library.models").set_value(["suno"])
    at.multiselect(key="library.statuses").set_value(["failed"]).run()
    assert any("No songs match “lofi” · suno · failed" in i.value for i in at.info)
    at.multiselect(key="library.statuses").set_value(["completed"]).run()
    assert any("1 song matches “lofi” · suno · completed" in c.value for c in at.caption)
    assert not at.exception


def test_library_filters_stay_while_their_panel_is_shut_and_after_a_visit_elsewhere(open_app, make_key):
    at = run_until(describe(open_app(make_key())), has_songs)
    at.switch_page("app_pages/library.py").run()
    open_filters(at)
    at.multiselect(key="library.statuses").set_value(["failed"]).run()
    at.session_state["library.filters_open"] = False  # the panel is shut: its fields go, the filter stays
    at.run()
    assert not at.multiselect
    assert any("No songs match failed" in i.value for i in at.info)

    at.switch_page("app_pages/create.py").run()
    at.switch_page("app_pages/library.py").run()
    assert any("No songs match failed" in i.value for i in at.info)
    open_filters(at)
    assert at.multiselect(key="library.statuses").value == ["failed"], "the field starts from the kept filter"

    at.date_input(key="library.since").set_value(date.today()).run()
    at.multiselect(key="library.statuses").set_value([]).run()
    assert any("1 song matches made since" in c.value for c in at.caption)
    at.text_input(key="library.search").set_value("trombone").run()
    at.button(key="library.clear_filters").click().run()
    assert (
        at.date_input(key="library.since").value is None
        and at.multiselect(key="library.statuses").value == []
    )
    (shown,) = [i.value for i in at.info if "No songs match" in i.value]
    assert "“trombone”" in shown and "·" not in shown, "clearing the filters keeps the words, and only them"
    at.text_input(key="library.search").set_value("").run()
    assert any("1 song in your library" in c.value for c in at.caption)
    assert not at.exception


def open_filters(at: AppTest) -> None:
    """What a click on the Library's Filters button does: the popover is open on the next run."""
    at.session_state["library.filters_open"] = True
    at.run()
    assert at.multiselect(key="library.models") is not None


def test_a_reset_built_in_engine_gives_the_workspace_a_new_key_and_keeps_its_library(open_app, data_dir):
    at = run_until(describe(open_app()), has_songs)
    workspace = at.query_params["ws"]
    workspace = workspace[0] if isinstance(workspace, list) else workspace
    st.cache_resource.clear()  # stops the engine, as a server restart would
    shutil.rmtree(data_dir / "engine")  # ... and forget every key it made

    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["ws"] = workspace
    again.run()
    assert not again.exception and not again.error, messages(again)
    assert [m.value for m in again.sidebar.metric if m.label == "Credits"] == [str(DEMO)]
    assert has_songs(again)


def test_the_key_is_never_shown_or_put_in_the_address(open_app, make_key):
    key = make_key()
    at = describe(open_app(key))
    shown = [
        str(e.value)
        for kind in ("markdown", "caption", "info", "success", "error")
        for e in getattr(at, kind)
    ]
    assert shown and not [text for text in shown if key in text]
    assert key not in str(at.query_params)
    assert any(key[-4:] in text for text in shown), "the sidebar should name the key by its last characters"


def test_an_unreachable_server_is_a_sentence_with_a_way_to_try_again(open_app, tmp_path):
    server = start_in_background(tmp_path / "server")
    key, port = server.create_key(tier="pro", credits=300), server.base_url.rsplit(":", 1)[1]
    server.stop()  # the server goes down
    at = open_app(key, base_url=server.base_url)
    assert not at.exception
    assert any("Could not reach the music service" in e.value for e in at.sidebar.error), messages(at)

    server = start_in_background(tmp_path / "server", port=int(port))  # ... and comes back
    try:
        at.sidebar.button(key="sidebar.retry").click().run()
        assert not at.exception and not at.sidebar.error
        assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["300"]
    finally:
        server.stop()
