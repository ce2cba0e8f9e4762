"""The prompt lab in AppTest against the real built-in server: the grid and its price, a run through the
tray's queue, ratings that outlive the session, exports, stop, reload, and the inputs it must refuse."""

import pytest
from streamlit.testing.v1 import AppTest

from emulator import start_in_background
from lib import experiments as ex
from lib.text import plain
from tests.app.conftest import APP
from tests.app.helpers import library_of, messages, run_until

PAGE = "app_pages/lab.py"
FAILURE = {"code": "generation_failed", "message": "The engine could not make this song", "details": {}}


@pytest.fixture(scope="module")
def slower_emulator(tmp_path_factory):
    """Tasks wait 5 s before starting: time to stop or reload while some wait in the queue."""
    server = start_in_background(tmp_path_factory.mktemp("lab-emulator"), task_delay_seconds=5)
    yield server
    server.stop()


def lab_page(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def fill(at: AppTest, *, base="calm lofi piano", other="gentle lofi keys", takes=2, **more) -> AppTest:
    """2 phrasings x `takes` takes of 10-second Suno songs; `more` sets other fields ("lab.<name>")."""
    at.text_area(key="lab.base").set_value(base)
    at.text_area(key="lab.alternatives").set_value(other)
    at.multiselect(key="lab.lengths").set_value([10])
    at.number_input(key="lab.takes").set_value(takes)
    for key, value in more.items():
        at.get_by_key(f"lab.{key}").set_value(value)
    return at.run()


def run_grid(at: AppTest) -> AppTest:
    at.button(key="lab.run").click().run()
    assert not at.exception and not at.error, messages(at)
    return at


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def experiment_of(data_dir, secret: str) -> ex.Experiment:
    library, owner = library_of(data_dir, secret)
    lab = ex.Lab(library)
    (summary,) = lab.summaries(owner)
    return lab.get(owner, summary.id)


def all_settled(data_dir, secret):
    done = (ex.DONE, ex.FAILED, ex.STOPPED, ex.LEFT_OUT)
    return lambda _: all(c.status in done for c in experiment_of(data_dir, secret).cells)


def test_the_grid_lists_every_song_with_its_price_and_unticked_songs_cost_nothing(open_app, make_key):
    at = fill(lab_page(open_app(make_key(credits=500))), models=["suno", "nuro"])
    assert [t.value for t in at.text if " credits" in t.value] == [
        "calm lofi piano · Suno · 10 s · any voice · take 1 · 10 credits",
        "calm lofi piano · Suno · 10 s · any voice · take 2 · 10 credits",
        "calm lofi piano · Nuro · 10 s · any voice · take 1 · 20 credits",
        "calm lofi piano · Nuro · 10 s · any voice · take 2 · 20 credits",
        "gentle lofi keys · Suno · 10 s · any voice · take 1 · 10 credits",
        "gentle lofi keys · Suno · 10 s · any voice · take 2 · 10 credits",
        "gentle lofi keys · Nuro · 10 s · any voice · take 1 · 20 credits",
        "gentle lofi keys · Nuro · 10 s · any voice · take 2 · 20 credits",
    ]
    assert "8 of 8 songs ticked · 120 credits in all · you have 500" in captions(at)
    boxes = [c for c in at.checkbox if c.key.startswith("lab.cell.")]
    for box in boxes[2:4]:
        box.uncheck()
    at.run()
    assert "6 of 8 songs ticked · 80 credits in all · you have 500" in captions(at)
    assert at.button(key="lab.run").label == "Run 6 songs · 80 credits"


def test_an_experiment_runs_on_the_built_in_engine_and_its_ratings_outlive_the_session(open_app, data_dir):
    at = run_grid(fill(lab_page(open_app())))  # no key: the built-in engine
    workspace = at.query_params["ws"]
    workspace = workspace[0] if isinstance(workspace, list) else workspace
    run_until(at, lambda a: any("4 done" in c for c in captions(a)))
    experiment = experiment_of(data_dir, workspace)
    assert [(c.prompt, c.take, c.status) for c in experiment.cells] == [
        ("calm lofi piano", 1, ex.DONE),
        ("calm lofi piano", 2, ex.DONE),
        ("gentle lofi keys", 1, ex.DONE),
        ("gentle lofi keys", 2, ex.DONE),
    ]
    assert len(at.get("audio")) == 4, "every finished cell has a player"
    assert any("BPM" in c for c in captions(at)), "the server's tempo and key are shown"
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["460"]

    at.radio(key=f"lab.{experiment.id}.3.rating").set_value(5).run()
    at.radio(key=f"lab.{experiment.id}.1.rating").set_value(2).run()
    at.text_input(key=f"lab.{experiment.id}.3.note").set_value("the keys are warmer").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["cell"].tolist()[:2] == [3, 1], "the best rated comes first"
    assert {b.label for b in at.get("download_button")} >= {"Download CSV", "Download JSON"}

    # A new browser session on the bookmarked workspace: the experiment and its ratings are still there.
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["ws"] = workspace
    again.run()
    lab_page(again)
    assert again.radio(key=f"lab.{experiment.id}.3.rating").value == 5
    assert again.radio(key=f"lab.{experiment.id}.1.rating").value == 2
    assert again.text_input(key=f"lab.{experiment.id}.3.note").value == "the keys are warmer"
    picker = again.selectbox(key="lab.experiment")
    assert "calm lofi piano · 4 songs · best ★★★★★" in picker.format_func(experiment.id)

    # What the download buttons hand out: the kept experiment with its ratings, clip ids and requests.
    kept = experiment_of(data_dir, workspace)
    csv_rows = ex.to_csv(kept).splitlines()
    assert len(csv_rows) == 5 and ",5,the keys are warmer," in csv_rows[3]
    assert ex.from_json(ex.to_json(kept)).cell(3).clip_id == kept.cell(3).clip_id is not None


def test_a_b_hides_the_order_until_the_vote_and_the_winner_seeds_a_new_experiment(
    open_app, make_key, data_dir
):
    key = make_key()
    at = run_until(run_grid(fill(lab_page(open_app(key)), takes=1)), all_settled(data_dir, key))
    at.run()
    first = experiment_of(data_dir, key)
    at.button(key="lab.ab.play").click().run()
    assert not at.exception and not at.error, messages(at)
    assert len(at.get("audio")) == 3, "the two songs and the A/B player"
    assert not [t.value for t in at.text if t.value.startswith(("First:", "Second:"))], (
        "revealed before the vote"
    )
    at.button(key="lab.ab.vote2").click().run()
    assert any("You preferred the second song" in s.value for s in at.success)
    revealed = sorted(t.value.split(" · ")[0] for t in at.text if t.value.startswith(("First:", "Second:")))
    assert revealed in (["First: A", "Second: B"], ["First: B", "Second: A"])

    at.radio(key=f"lab.{first.id}.2.rating").set_value(4).run()
    at.button(key="lab.rerun_best").click().run()
    assert any(plain("holds the best song's settings") in i.value for i in at.info)
    assert at.text_area(key="lab.base.1").value == "gentle lofi keys"  # a refilled form has fresh keys
    assert at.text_area(key="lab.alternatives.1").value == ""
    assert at.button(key="lab.run").label == "Run 2 songs · 20 credits"  # the winner's settings, 2 takes
    run_grid(at)
    library, owner = library_of(data_dir, key)
    lab = ex.Lab(library)
    newest = lab.get(owner, lab.summaries(owner)[0].id)
    assert newest.parent_id == first.id
    assert [(c.prompt, c.model, c.length, c.take) for c in newest.cells] == [
        ("gentle lofi keys", "suno", 10, 1),
        ("gentle lofi keys", "suno", 10, 2),
    ]


def test_without_a_base_prompt_nothing_can_run(open_app, make_key):
    at = fill(lab_page(open_app(make_key())), base="")
    assert any("Write a base prompt first" in i.value for i in at.info)
    assert "lab.run" not in [b.key for b in at.button]


def test_a_grid_over_the_cap_says_so_and_the_cap_can_be_raised_to_24(open_app, make_key):
    at = fill(lab_page(open_app(make_key())), takes=12)
    assert any("This grid has 24 songs, more than the limit of 12" in w.value for w in at.warning)
    assert "lab.run" not in [b.key for b in at.button]
    at.number_input(key="lab.cap").set_value(24).run()
    assert at.button(key="lab.run").label == "Run 24 songs · 240 credits"
    at.number_input(key="lab.takes").set_value(13).run()
    assert any("26 songs, more than the limit of 24: vary fewer things" in w.value for w in at.warning)


def test_a_grid_costing_more_than_the_balance_runs_nothing_until_the_person_chooses(
    open_app, make_key, data_dir
):
    key = make_key(credits=25)
    at = fill(lab_page(open_app(key)))
    assert any("your balance pays for 2 of its 4 songs" in w.value for w in at.warning), messages(at)
    assert at.button(key="lab.run").disabled
    library, owner = library_of(data_dir, key)
    assert ex.Lab(library).summaries(owner) == []

    at.button(key="lab.run_affordable").click().run()
    assert not at.exception and not at.error, messages(at)
    run_until(at, all_settled(data_dir, key))
    assert [c.status for c in experiment_of(data_dir, key).cells] == [
        ex.DONE,
        ex.DONE,
        ex.LEFT_OUT,
        ex.LEFT_OUT,
    ]
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["5"]


def test_a_failed_cell_is_marked_and_refunded_and_the_rest_go_on(slower_emulator, open_app, data_dir):
    key = slower_emulator.create_key(tier="free", credits=100)
    at = run_grid(fill(lab_page(open_app(key, base_url=slower_emulator.base_url))))
    library, owner = library_of(data_dir, key)
    first = experiment_of(data_dir, key).cell(1)
    assert first.status == ex.MAKING
    slower_emulator.runtime.store.fail_task(first.task_id, FAILURE)

    run_until(at, all_settled(data_dir, key), deadline=150)
    assert [c.status for c in experiment_of(data_dir, key).cells] == [ex.FAILED, ex.DONE, ex.DONE, ex.DONE]
    at.run()
    assert any(
        plain("Failed: The engine could not make this song; its credits were refunded.") in e.value
        for e in at.error
    )
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["70"]
    assert not [m for m in messages(at) if "429" in m or "Too many" in m]


def test_stop_cancels_the_queued_cells_and_pressing_it_twice_is_harmless(slower_emulator, open_app, data_dir):
    key = slower_emulator.create_key(tier="free", credits=100)  # 2 tasks at a time: 2 run, 2 wait
    at = run_grid(fill(lab_page(open_app(key, base_url=slower_emulator.base_url))))
    assert [c.status for c in experiment_of(data_dir, key).cells] == [ex.MAKING] * 2 + [ex.WAITING] * 2
    assert sum("Waiting for a free slot" in c.value for c in at.sidebar.caption) == 2

    at.button(key="lab.stop").click().run()
    assert any(plain("Stopped: cancelled 2 songs that had not started (not charged).") in i.value for i in at.info)
    assert not any("Waiting for a free slot" in c.value for c in at.sidebar.caption)
    at.button(key="lab.stop").click().run()
    assert any(plain("Nothing was waiting to start. 2 already being made will finish.") in i.value for i in at.info)
    assert not at.exception and not at.error

    run_until(at, all_settled(data_dir, key), deadline=120)
    assert [c.status for c in experiment_of(data_dir, key).cells] == [ex.DONE] * 2 + [ex.STOPPED] * 2
    library, owner = library_of(data_dir, key)
    assert len(library.clips_frame(owner)) == 2, "the stopped songs were never started"
    assert [m.value for m in at.sidebar.metric if m.label == "Credits"] == ["80"]


def test_a_reload_mid_run_resumes_in_the_tray_and_starts_nothing_twice(slower_emulator, open_app, data_dir):
    key = slower_emulator.create_key(tier="free", credits=100)
    run_grid(fill(lab_page(open_app(key, base_url=slower_emulator.base_url))))
    assert [c.status for c in experiment_of(data_dir, key).cells] == [ex.MAKING] * 2 + [ex.WAITING] * 2

    reloaded = lab_page(
        open_app(key, base_url=slower_emulator.base_url)
    )  # the tab is reloaded: a new session
    assert sum("Waiting for a free slot" in c.value for c in reloaded.sidebar.caption) == 2, (
        "the queue was lost"
    )
    run_until(reloaded, all_settled(data_dir, key), deadline=150)
    experiment = experiment_of(data_dir, key)
    assert [c.status for c in experiment.cells] == [ex.DONE] * 4
    library, owner = library_of(data_dir, key)
    assert sorted(library.clips_frame(owner)["task_id"]) == sorted(c.task_id for c in experiment.cells)
    assert len(library.clips_frame(owner)) == 4
    assert [m.value for m in reloaded.sidebar.metric if m.label == "Credits"] == ["60"]


def test_a_spent_request_budget_only_makes_cells_wait_never_an_error(
    open_app, make_key, client_for, data_dir
):
    key = make_key(tier="free", credits=100)
    at = fill(lab_page(open_app(key)), takes=1)
    client = client_for(key)  # the same key used elsewhere spends this minute's requests
    while client.rate_limit is None or client.rate_limit.remaining:
        client.get_credits()

    def settled_without_a_429_shown(a: AppTest) -> bool:
        assert not [m for m in messages(a) if "Too many" in m], messages(a)
        return all_settled(data_dir, key)(a)

    run_until(run_grid(at), settled_without_a_429_shown, deadline=150)
    experiment = experiment_of(data_dir, key)
    assert [c.status for c in experiment.cells] == [ex.DONE, ex.DONE]
    library, owner = library_of(data_dir, key)
    assert len(library.clips_frame(owner)) == 2, "a refused start was started again, once"
