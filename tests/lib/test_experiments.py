"""The prompt lab's plain logic: the grid (combinations, cap, unticked cells, price), keeping experiments in
the real library database, ratings, and CSV/JSON exports that read back to the same experiment."""

import json
from datetime import UTC, datetime

import pytest
from appdata_helpers import clip_json, completed_json, failed_json, pending_json, task

from lib import calls
from lib import experiments as ex


def axes(**changes):
    fields = dict(alternatives=["gentle lofi keys"], models=["suno"], lengths=[10], takes=2)
    return ex.make_axes("calm lofi piano", **{**fields, **changes})


@pytest.fixture
def lab(library, clock):
    return ex.Lab(library, clock=clock)


# The grid


def test_every_combination_of_the_axes_is_one_cell_numbered_in_order():
    grid = ex.plan(axes(models=["suno", "nuro"], voices=["female", "male"]), cap=16)
    assert len(grid) == 2 * 2 * 1 * 2 * 2 == axes(models=["suno", "nuro"], voices=["female", "male"]).size
    assert [c.index for c in grid] == list(range(1, 17))
    combos = {(c.prompt, c.model, c.length, c.voice, c.take) for c in grid}
    assert len(combos) == 16
    assert (grid[0].prompt, grid[0].model, grid[0].voice, grid[0].take) == (
        "calm lofi piano",
        "suno",
        "female",
        1,
    )
    assert (grid[-1].prompt, grid[-1].model, grid[-1].voice, grid[-1].take) == (
        "gentle lofi keys",
        "nuro",
        "male",
        2,
    )


def test_seeds_replace_takes_one_cell_per_seed():
    grid = ex.plan(axes(alternatives=[], seeds=[7, 8, 9]))
    assert [(c.take, c.seed) for c in grid] == [(1, 7), (2, 8), (3, 9)]
    assert grid[0].params == {"description": "calm lofi piano", "duration": 10, "seed": 7}


def test_blank_and_repeated_values_are_dropped_and_missing_axes_mean_the_defaults():
    a = ex.make_axes("  calm   lofi piano ", alternatives=["", "calm lofi piano", "x", "x"], models=["suno"])
    assert a.prompts == ("calm lofi piano", "x")
    assert (a.lengths, a.voices, a.takes) == ((None,), (None,), 1)
    (cell, _) = ex.plan(a)
    assert cell.params == {"description": "calm lofi piano"}


def test_each_model_gets_its_own_call_and_request():
    suno, nuro, producer = ex.plan(
        axes(alternatives=[], models=["suno", "nuro", "producer"], voices=["male"], takes=1)
    )
    assert (suno.call, suno.params) == (
        "suno.create_music",
        {"description": "calm lofi piano", "voice_gender": "male", "duration": 10},
    )
    assert (nuro.call, nuro.params) == (
        "nuro.create_vocal_music",
        {"prompt": "calm lofi piano", "voice_gender": "male", "duration": 10},
    )
    assert (producer.call, producer.params) == (
        "producer.create_music",
        {"operation": "create", "description": "calm lofi piano, male vocals", "duration": 10},
    )
    assert [c.price for c in (suno, nuro, producer)] == [10, 20, 10]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ex.make_axes("   "), "Write a base prompt first"),
        (lambda: ex.make_axes("x", models=[]), "Choose at least one model"),
        (lambda: ex.make_axes("x", models=["riffusion"]), "not a model of the lab"),
        (lambda: ex.make_axes("x", lengths=[5]), "from 10 to 240"),
        (lambda: ex.make_axes("x", voices=["robot"]), "not a voice"),
        (lambda: ex.make_axes("x", takes=0), "Takes are a whole number"),
        (lambda: ex.parse_seeds("1, two"), "'two' is not"),
        (
            lambda: ex.plan(axes(takes=7)),
            "This grid has 14 songs, more than the limit of 12: raise the limit",
        ),
        (lambda: ex.plan(axes(takes=13), cap=24), "26 songs, more than the limit of 24: vary fewer"),
        (lambda: ex.plan(axes(), cap=25), "most songs an experiment can have is 24"),
    ],
)
def test_grids_that_cannot_run_say_why(build, message):
    with pytest.raises(ex.GridError, match=message):
        build()


def test_the_cap_is_raisable_to_24():
    assert len(ex.plan(axes(takes=12), cap=24)) == 24
    assert ex.parse_seeds("1, 2 3") == (1, 2, 3)


def test_unticked_cells_are_left_out_of_the_price_and_of_what_the_balance_must_pay():
    grid = ex.plan(axes(models=["suno", "nuro"]))  # 4 suno (10) + 4 nuro (20)
    assert ex.price(grid) == 120
    ticked = ex.tick(grid, [1, 2, 3])
    assert [c.ticked for c in ticked] == [True] * 3 + [False] * 5
    assert ex.price(ticked) == 10 + 10 + 20
    assert ex.affordable_count(grid, 45) == 3  # 10 + 10 + 20; the next one (nuro, 20) does not fit
    assert ex.affordable_count(grid, 0) == 0
    assert ex.affordable_count(grid, None) == 8
    first = ex.keep_first(grid, 3)
    assert [c.index for c in first if c.ticked] == [1, 2, 3]
    assert ex.price(first) == 40


# Keeping experiments


def run_cell(library, owner, lab, experiment, index, task_id, *, outcome="completed"):
    """What the lab does when the tray starts a cell, and what the tray records when the task ends."""
    cell = experiment.cell(index)
    assert lab.claim(owner, experiment.id, index)
    library.record_submission(
        owner, task(pending_json(task_id)), model=cell.model, call=cell.call, params=cell.params
    )
    lab.started(owner, experiment.id, index, task_id)
    if outcome == "completed":
        clip = clip_json(f"clip_{task_id[5:]}", "Piano")
        clip["metadata"].update(key="F", mode="minor", instruments=["piano", "drums"], seed=42)
        library.record_update(owner, task(completed_json(task_id, [clip])))
    elif outcome == "failed":
        library.record_update(owner, task(failed_json(task_id)))


def test_an_experiment_is_kept_with_its_cells_their_songs_and_their_fate(library, owner, lab, clock):
    grid = ex.tick(ex.plan(axes()), [1, 2, 3])
    experiment = lab.create(owner, axes(), grid)
    assert [c.status for c in experiment.cells] == [ex.WAITING] * 3 + [ex.LEFT_OUT]
    run_cell(library, owner, lab, experiment, 1, "task_lab01")
    run_cell(library, owner, lab, experiment, 2, "task_lab02", outcome="failed")
    again = ex.Lab(library).get(owner, experiment.id)  # a new Lab on the same file: as after a restart
    one, two, three, four = again.cells
    assert (one.status, one.task_id, one.clip_id) == (ex.DONE, "task_lab01", "clip_lab01")
    assert one.report == ex.Report(30.0, 118.0, "F minor", ("piano", "drums"), 42)
    assert (two.status, two.error) == (ex.FAILED, "The engine could not render this song.")
    assert (three.status, four.status) == (ex.WAITING, ex.LEFT_OUT)
    assert again.created_at == datetime.fromtimestamp(clock.now, tz=UTC)
    assert again.axes == axes()


def test_a_cell_is_started_once_even_when_two_sessions_try(library, owner, lab):
    experiment = lab.create(owner, axes(), ex.plan(axes()))
    assert lab.claim(owner, experiment.id, 1)
    assert not lab.claim(owner, experiment.id, 1)  # the other tab, or a reload's resumed queue
    lab.release(owner, experiment.id, 1)  # no slot after all: it waits again
    assert [c.index for _, c in lab.waiting(owner)] == [1, 2, 3, 4]
    assert lab.claim(owner, experiment.id, 1)
    lab.not_started(owner, experiment.id, 1, "This needs 10 credits and you have 0.")
    failed = lab.get(owner, experiment.id).cell(1)
    assert (failed.status, failed.error, failed.task_id) == (
        ex.FAILED,
        "This needs 10 credits and you have 0.",
        None,
    )


def test_a_cell_whose_session_ended_while_starting_it_is_failed_not_started_again(library, owner, lab, clock):
    experiment = lab.create(owner, axes(), ex.plan(axes()))
    assert lab.claim(owner, experiment.id, 1)
    clock.advance(ex.LOST_START_SECONDS - 1)
    assert lab.get(owner, experiment.id).cell(1).status == ex.WAITING  # maybe still being sent
    clock.advance(2)
    lost = lab.get(owner, experiment.id).cell(1)
    assert (lost.status, lost.error) == (ex.FAILED, ex.LOST_START)
    assert [c.index for _, c in lab.waiting(owner)] == [2, 3, 4]


def test_stopping_cancels_only_what_has_not_started_and_twice_is_harmless(library, owner, lab):
    experiment = lab.create(owner, axes(), ex.plan(axes()))
    run_cell(library, owner, lab, experiment, 1, "task_lab11", outcome="pending")
    assert lab.stop(owner, experiment.id) == 3
    assert lab.stop(owner, experiment.id) == 0
    stopped = lab.get(owner, experiment.id)
    assert [c.status for c in stopped.cells] == [ex.MAKING, ex.STOPPED, ex.STOPPED, ex.STOPPED]
    assert not lab.claim(
        owner, experiment.id, 2
    )  # a queued start that was not cancelled in time does nothing
    assert lab.waiting(owner) == []


def test_ratings_and_notes_are_kept_and_rank_the_results(library, owner, other_owner, lab):
    experiment = lab.create(owner, axes(), ex.plan(axes()))
    lab.rate(owner, experiment.id, 3, 5)
    lab.rate(owner, experiment.id, 1, 2)
    lab.annotate(owner, experiment.id, 3, "  warm, keep the drums  ")
    lab.rate(other_owner, experiment.id, 2, 5)  # another library's rows are never touched
    with pytest.raises(ValueError, match="from 1 to 5"):
        lab.rate(owner, experiment.id, 1, 6)
    kept = lab.get(owner, experiment.id)
    assert [(c.rating, c.note) for c in kept.cells] == [
        (2, ""),
        (None, ""),
        (5, "warm, keep the drums"),
        (None, ""),
    ]
    assert [c.index for c in ex.ranked(kept.cells)] == [3, 1, 2, 4]
    assert [row["cell"] for row in ex.results_rows(kept)] == [3, 1, 2, 4]
    (summary,) = lab.summaries(owner)
    assert (summary.base_prompt, summary.takes, summary.best_rating) == ("calm lofi piano", 4, 5)
    assert "calm lofi piano · 4 songs · best ★★★★★" in summary.label
    assert lab.summaries(other_owner) == []


def test_run_again_with_the_best_settings_starts_from_the_winner(lab, owner):
    experiment = lab.create(owner, axes(voices=["female", "male"]), ex.plan(axes(voices=["female", "male"])))
    assert ex.winner_axes(experiment) is None
    lab.rate(owner, experiment.id, 6, 4)  # gentle lofi keys, female, take 2
    winner = ex.winner_axes(lab.get(owner, experiment.id))
    assert winner == ex.make_axes(
        "gentle lofi keys", models=["suno"], lengths=[10], voices=["female"], takes=2
    )


# Exports


@pytest.fixture
def finished(library, owner, lab):
    a = axes(models=["suno", "producer"], voices=["female"], seeds=[3, 4])
    experiment = lab.create(owner, a, ex.tick(ex.plan(a), [1, 2, 3, 5, 6]))
    run_cell(library, owner, lab, experiment, 1, "task_exp01")
    run_cell(library, owner, lab, experiment, 2, "task_exp02", outcome="failed")
    run_cell(library, owner, lab, experiment, 3, "task_exp03", outcome="pending")
    lab.stop(owner, experiment.id)
    lab.rate(owner, experiment.id, 1, 4)
    lab.annotate(owner, experiment.id, 1, 'say "hi", then; a comma\nand a new line')
    return lab.get(owner, experiment.id)


def test_json_export_reads_back_to_the_same_experiment(finished):
    text = ex.to_json(finished)
    assert ex.from_json(text) == finished
    document = json.loads(text)
    first = document["cells"][0]
    assert (first["call"], first["params"], first["clip_id"], first["rating"]) == (
        "suno.create_music",
        {"description": "calm lofi piano", "voice_gender": "female", "duration": 10, "seed": 3},
        "clip_exp01",
        4,
    )
    assert document["experiment"]["price"] == finished.price == 10 + 10 + 10 + 10 + 10


def test_csv_export_reads_back_to_the_same_experiment(finished):
    text = ex.to_csv(finished)
    assert text.splitlines()[0] == ",".join(ex.CSV_COLUMNS)
    assert ex.from_csv(text) == finished


@pytest.mark.parametrize("text", ["", "not json", json.dumps({"format": "other"}), "a,b\n1,2\n"])
def test_files_that_are_not_exports_are_refused_with_a_sentence(text):
    with pytest.raises(ValueError, match="not a prompt-lab experiment"):
        ex.from_json(text) if not text.startswith("a,b") else ex.from_csv(text)


def test_a_json_export_has_enough_to_run_its_songs_again(finished, make_key, client_for):
    client = client_for(make_key(credits=100))
    cell = ex.from_json(ex.to_json(finished)).cell(1)
    done = client.wait_for_task(calls.bind(client, cell.call, cell.params)().task_id, timeout=120)
    assert done.status == "completed"
    assert done.clips[0].metadata["seed"] == 3
