"""Extend holds only the new music; concat of [parent, extension] is the whole song, seamless at the join."""

import numpy as np
import pytest
from test_operations import assert_seamless

from emulator import engine

SR = engine.SAMPLE_RATE


@pytest.fixture(scope="module")
def song():
    return engine.create(
        engine.SongRequest("happy pop song about the sea", duration=12.0, voice_gender="female", seed=1)
    )


@pytest.fixture(scope="module")
def src(song):
    return engine.Source(arrangement=song.arrangement)


@pytest.fixture(scope="module")
def extension(src):
    return engine.extend(src, 8.0)


def beat_of(song):
    return 60.0 / song.metadata["tempo"]


def test_an_extension_holds_only_the_new_music_in_the_same_tempo_and_key(song, extension):
    assert abs(extension.duration - 8.0) <= 0.05
    assert (extension.metadata["tempo"], extension.metadata["key"]) == (
        song.metadata["tempo"],
        song.metadata["key"],
    )
    assert song.duration - beat_of(song) <= extension.metadata["continue_at"] <= song.duration
    assert extension.arrangement["info"]["continues"]["at_beat"] > 0


def test_concat_of_parent_and_extension_is_the_whole_song_without_a_seam(song, src, extension):
    whole = engine.concat([src, engine.Source(arrangement=extension.arrangement)])
    cut = extension.metadata["continue_at"]
    assert abs(whole.duration - (song.duration + extension.duration)) <= 1.0
    assert abs(whole.duration - (cut + extension.duration)) <= 0.05
    head = int((cut - 2.0) * SR)  # the parent alone fades out at its end; before that it is unchanged
    assert np.corrcoef(whole.audio[:head, 0], song.audio[:head, 0])[0, 1] > 0.95
    assert_seamless(whole.audio, cut)
    assert whole.arrangement is not None, "a folded chain stays one arrangement (extendable, exact stems)"


def test_continue_at_starts_the_new_music_there_and_concat_leaves_the_rest_out(song, src):
    extension = engine.extend(src, 6.0, continue_at=5.0)
    assert 5.0 - beat_of(song) <= extension.metadata["continue_at"] <= 5.0
    whole = engine.concat([src, engine.Source(arrangement=extension.arrangement)])
    assert abs(whole.duration - (extension.metadata["continue_at"] + 6.0)) <= 0.05
    assert_seamless(whole.audio, extension.metadata["continue_at"])


def test_a_chain_of_extensions_folds_into_one_song(song, src, extension):
    second = engine.extend(engine.Source(arrangement=extension.arrangement), 6.0)
    chain = [
        src,
        engine.Source(arrangement=extension.arrangement),
        engine.Source(arrangement=second.arrangement),
    ]
    whole = engine.concat(chain)
    assert abs(whole.duration - (song.duration + 8.0 + 6.0)) <= 2 * beat_of(song)
    assert len(whole.arrangement["lyric_events"]) > len(song.arrangement["lyric_events"])


def test_clips_that_do_not_continue_each_other_are_still_crossfaded(song, src, extension):
    other = engine.create(engine.SongRequest("calm acoustic folk", duration=8.0, seed=4))
    joined = engine.concat([engine.Source(arrangement=other.arrangement), src])
    assert joined.arrangement is None
    assert joined.duration <= other.duration + song.duration


def test_extending_an_upload_continues_it_and_concat_joins_without_a_gap(song):
    upload = engine.Source(audio=song.audio, sample_rate=SR)
    extension = engine.extend(upload, 8.0)
    assert abs(extension.duration - 8.0) <= 0.05
    assert extension.metadata["approximate"]
    assert abs(extension.metadata["tempo"] - song.metadata["tempo"]) <= 2
    whole = engine.concat([upload, engine.Source(arrangement=extension.arrangement)])
    assert abs(whole.duration - (song.duration + extension.duration)) <= 2.0
    join = extension.metadata["continue_at"] - 0.25
    assert_seamless(whole.audio, join)


def test_continue_at_in_an_upload_cuts_it_there_in_the_whole_song(song):
    upload = engine.Source(audio=song.audio, sample_rate=SR)
    extension = engine.extend(upload, 8.0, continue_at=6.0)
    assert 5.0 <= extension.metadata["continue_at"] <= 6.0
    whole = engine.concat([upload, engine.Source(arrangement=extension.arrangement)])
    assert abs(whole.duration - (extension.metadata["continue_at"] + 8.0)) <= 1.0
    assert_seamless(whole.audio, extension.metadata["continue_at"] - 0.25)


def test_continue_at_outside_the_clip_is_refused(src):
    with pytest.raises(ValueError, match="continue_at"):
        engine.extend(src, 8.0, continue_at=99.0)
