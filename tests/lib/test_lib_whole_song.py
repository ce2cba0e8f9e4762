"""The whole-song chain: its steps, lengths and price, and its progress kept in the library."""

import pytest

from lib import costs, whole_song
from lib.workspace import owner_id

OWNER = owner_id("chain-test")


@pytest.mark.parametrize(
    ("start", "target", "steps"),
    [
        (30, 120, (45, 45)),
        (10, 120, (55, 55)),
        (30, 240, (53, 53, 52, 52)),
        (30, 45, (15,)),
        (10.4, 70, (60,)),
    ],
)
def test_equal_steps_of_at_most_a_minute_reach_the_target(start, target, steps):
    plan = whole_song.plan_chain(start, target)
    assert plan.steps == steps
    assert abs(plan.total - target) <= 0.5
    assert all(10 <= s <= whole_song.STEP_SECONDS for s in plan.steps)
    assert plan.price == len(steps) * costs.estimate("suno.extend_music") + costs.estimate(
        "suno.concat_music"
    )


@pytest.mark.parametrize(
    ("start", "target", "words"),
    [(30, 300, "between"), (30, 35, "at least 10 s longer"), (120, 100, "at least"), (None, 120, "unknown")],
)
def test_targets_out_of_reach_are_named(start, target, words):
    with pytest.raises(ValueError, match=words):
        whole_song.plan_chain(start, target)


def test_a_chain_moves_step_by_step_then_concatenates(library):
    chains = whole_song.Chains(library)
    chain = chains.start(OWNER, "clip_a", "Sea Song", whole_song.plan_chain(30, 120))
    assert chain.next_call == ("suno.extend_music", {"audio_id": "clip_a", "duration": 45})
    chains.note_task(OWNER, chain.chain_id, "task_1")
    assert chains.of_task(OWNER, "task_1").step_label == "Whole song 1/3: Sea Song"
    chain = chains.step_finished(OWNER, chain.chain_id, "clip_b")
    assert chain.next_call == ("suno.extend_music", {"audio_id": "clip_b", "duration": 45})
    chains.note_task(OWNER, chain.chain_id, "task_2")
    chain = chains.step_finished(OWNER, chain.chain_id, "clip_c")
    assert chain.next_call == ("suno.concat_music", {"clip_ids": ["clip_a", "clip_b", "clip_c"]})
    chains.note_task(OWNER, chain.chain_id, "task_3")
    chain = chains.finished(OWNER, chain.chain_id, "clip_whole")
    assert chain.status == "completed" and chain.next_call is None
    assert chains.of_task(owner_id("someone else"), "task_3") is None


def test_a_failed_step_stops_the_chain_and_keeps_the_finished_parts(library):
    chains = whole_song.Chains(library)
    chain = chains.start(OWNER, "clip_a", "Sea Song", whole_song.plan_chain(30, 120))
    chains.note_task(OWNER, chain.chain_id, "task_1")
    chains.step_finished(OWNER, chain.chain_id, "clip_b")
    chains.note_task(OWNER, chain.chain_id, "task_2")
    chain = chains.failed(OWNER, chain.chain_id, "the server ran out of time")
    assert chain.status == "failed" and chain.next_call is None
    assert chain.error.startswith("The whole song stopped at step 2 of 3: the server ran out of time.")
    assert chain.error.endswith("The finished part is kept in your library.")
    assert chains.recent(OWNER)[0].clips == ("clip_a", "clip_b")
