"""The Extend page in AppTest against the real built-in server: extend (with continue_at), the whole song,
joining clips, the clip card's Extend action, and bad input."""

from tests.app.edit_helpers import done, newest_task, sent, shown, song_in_app
from tests.app.helpers import describe, library_of, messages, run_until


def first_clip_id(library, owner) -> str:
    return library.clips_frame(owner, statuses=("completed",))["clip_id"].dropna().iloc[-1]


def test_the_card_action_opens_extend_on_the_clip_and_extend_sends_continue_at(
    open_app, make_key, data_dir, emulator
):
    key = make_key(credits=1000)
    at = song_in_app(open_app(key))
    library, owner = library_of(data_dir, key)
    clip_id = first_clip_id(library, owner)
    at.switch_page("app_pages/extend.py").run()
    at.radio(key="extend.source.from").set_value("Upload a file").run()  # left on the upload choice
    at.switch_page("app_pages/create.py").run()

    at.button(key=f"create.latest.{clip_id}.open.extend").click().run()
    assert at.radio(key="extend.source.from").value == "A song from my library"
    assert at.selectbox(key="extend.source.clip").value == clip_id
    assert at.query_params["clip"] in (clip_id, [clip_id])
    at.switch_page("app_pages/extend.py")  # AppTest reruns the page it was last pointed at: point it here
    at.slider(key="extend.duration").set_value(10)
    at.toggle(key="extend.choose_start").set_value(True).run()
    at.slider(key="extend.continue_at").set_value(5.0).run()
    assert not at.exception
    at.button(key="extend.submit").click().run()

    task = newest_task(library, owner, "suno.extend_music")
    assert sent(emulator, task)["clip_id"] == clip_id
    assert (sent(emulator, task)["duration"], sent(emulator, task)["continue_at"]) == (10, 5.0)
    run_until(at, done(library, owner, task.task_id))
    at.run()
    result = library.clips_frame(owner, statuses=("completed",)).iloc[0]
    assert abs(result["duration"] - 10) <= 1
    assert any(c.value.startswith("Original") for c in at.caption), "the result is not beside the original"
    extension_id = result["clip_id"]
    at.button(key=f"extend.join.{extension_id}").click().run()
    assert sent(emulator, newest_task(library, owner, "suno.concat_music"))["clip_ids"] == [
        clip_id,
        extension_id,
    ]


def test_extend_without_a_song_names_what_is_missing(open_app, make_key, data_dir):
    key = make_key()
    at = open_app(key)
    at.switch_page("app_pages/extend.py").run()
    at.button(key="extend.submit").click().run()
    assert "Please add a song to extend first." in messages(at)
    library, owner = library_of(data_dir, key)
    assert library.pending_tasks(owner) == []


def test_a_clip_of_another_workspace_is_not_used_and_nothing_is_charged(
    open_app, make_key, client_for, data_dir
):
    other = client_for(make_key())
    task = other.suno.create_music(description="someone else's song", duration=10)
    foreign = other.wait_for_task(task.task_id, "suno", timeout=120).clips[0].id
    key = make_key(credits=100)
    at = open_app(key)
    at.query_params["clip"] = foreign
    at.switch_page("app_pages/extend.py").run()
    assert any("not in your library" in m for m in messages(at))
    at.button(key="extend.submit").click().run()
    assert "Please add a song to extend first." in messages(at)
    assert client_for(key).get_credits().available == 100


def test_the_whole_song_shows_its_price_then_runs_each_step_in_the_tray(
    open_app, make_key, data_dir, emulator
):
    key = make_key(credits=1000)
    at = song_in_app(open_app(key))
    library, owner = library_of(data_dir, key)
    song_id = first_clip_id(library, owner)
    at.switch_page("app_pages/extend.py").run()
    at.radio(key="extend.mode").set_value("Make the whole song").run()
    at.selectbox(key="extend.whole.source.clip").set_value(song_id).run()
    at.slider(key="extend.whole.target").set_value(40).run()
    assert any("15 credits" in c.value and "+30 s" in c.value for c in at.caption), [
        c.value for c in at.caption
    ]
    assert at.button(key="extend.whole.submit").label == "Make the whole song · 15 credits"
    at.button(key="extend.whole.submit").click().run()
    assert not at.exception

    def whole_made(at):
        return any(t.value.startswith("Whole song of") for t in at.text) and bool(
            library.clips_frame(owner, text="", statuses=("completed",))
            .query("call == 'suno.concat_music'")
            .shape[0]
        )

    run_until(at, whole_made, deadline=150)
    concat = newest_task(library, owner, "suno.concat_music")
    extension = newest_task(library, owner, "suno.extend_music")
    assert sent(emulator, extension)["clip_id"] == song_id and sent(emulator, extension)["duration"] == 30
    assert sent(emulator, concat)["clip_ids"][0] == song_id and len(sent(emulator, concat)["clip_ids"]) == 2
    whole = library.clips_frame(owner).query("call == 'suno.concat_music'").iloc[0]
    assert abs(whole["duration"] - 40) <= 2
    assert not any(e.value for e in at.error)


def test_join_sends_the_clips_in_the_chosen_order_with_their_total_length(
    open_app, make_key, data_dir, emulator
):
    key = make_key(credits=1000)
    at = song_in_app(open_app(key), "calm lofi piano")
    library, owner = library_of(data_dir, key)
    run_until(
        describe(at, "fast punk rock", 10),
        lambda _at: len(library.clips_frame(owner, statuses=("completed",))) == 2,
    )
    frame = library.clips_frame(owner, statuses=("completed",))
    newer, older = frame["clip_id"].tolist()[:2]
    at.switch_page("app_pages/extend.py").run()
    at.radio(key="extend.mode").set_value("Join clips").run()
    at.button(key="extend.concat.submit").click().run()
    assert "Please add at least two clips first." in messages(at)
    at.multiselect(key="extend.concat.clips").select(newer).select(older).run()
    assert any(shown(c.value).startswith("Together: 0:20") for c in at.caption), [c.value for c in at.caption]
    at.button(key="extend.concat.submit").click().run()
    assert sent(emulator, newest_task(library, owner, "suno.concat_music"))["clip_ids"] == [newer, older]


def test_a_step_that_cannot_be_paid_stops_the_chain_keeping_the_finished_parts(
    open_app, make_key, data_dir, client_for
):
    key = make_key(credits=10 + 25)  # the song, then exactly the whole song's price
    at = song_in_app(open_app(key))
    library, owner = library_of(data_dir, key)
    at.switch_page("app_pages/extend.py").run()
    at.radio(key="extend.mode").set_value("Make the whole song").run()
    at.selectbox(key="extend.whole.source.clip").set_value(first_clip_id(library, owner)).run()
    at.slider(key="extend.whole.target").set_value(100).run()
    at.button(key="extend.whole.submit").click().run()
    assert at.button(key="extend.whole.submit").label == "Make the whole song · 25 credits"
    client = client_for(key)
    client.suno.create_music(description="meanwhile, another song", duration=10)  # spent on something else

    def stopped(at):
        return any("The whole song stopped at step 2 of 3" in e.value for e in at.error)

    run_until(at, stopped, deadline=120)
    error = next(shown(e.value) for e in at.error if "stopped" in e.value)
    assert "credits" in error and error.endswith("The finished part is kept in your library.")
    assert len(library.clips_frame(owner, statuses=("completed",)).query("call == 'suno.extend_music'")) == 1
    assert client.get_credits().available == 5, "the step that did not run cost nothing"
