"""Credit prices from the reference, and that every paid client method has one."""

from __future__ import annotations

import inspect

import pytest

from lib import resources
from lib.costs import COSTS, estimate


@pytest.mark.parametrize(
    ("call", "params", "credits"),
    [
        ("suno.create_music", {}, 10),
        ("suno.describe_music", {}, 10),
        ("suno.create_music_with_lyrics", {}, 10),
        ("suno.extend_music", {}, 10),
        ("suno.concat_music", {}, 5),
        ("suno.cover_music", {}, 10),
        ("suno.stems_basic", {}, 20),
        ("suno.stems_full", {}, 50),
        ("suno.wav", {}, 10),
        ("suno.get_midi", {}, 5),
        ("suno.create_persona", {}, 50),
        ("suno.create_persona_music", {}, 10),
        ("suno.upload_music", {}, 0),
        ("suno.get_music", {}, 0),
        ("producer.create_music", {}, 10),
        ("producer.create_music", {"operation": "create"}, 10),
        ("producer.create_music", {"operation": "extend"}, 10),
        ("producer.create_music", {"operation": "cover"}, 10),
        ("producer.create_music", {"operation": "replace"}, 10),
        ("producer.create_music", {"operation": "variation"}, 10),
        ("producer.create_music", {"operation": "swap_vocals"}, 15),
        ("producer.create_music", {"operation": "swap_instrumentals"}, 15),
        ("producer.upload_music", {}, 0),
        ("producer.download", {"format": "wav"}, 0),
        ("producer.get_music", {}, 0),
        ("nuro.create_vocal_music", {"duration": 240}, 20),
        ("nuro.create_instrumental_music", {}, 15),
        ("nuro.get_music", {}, 0),
        ("lyrics.generate", {"num_variations": 3}, 5),
        ("get_credits", {}, 0),
        ("riffusion.swap_music_vocals", {}, 15),
        ("riffusion.cover_music", {}, 10),
        ("riffusion.create_music_with_lyrics", {}, 10),
    ],
)
def test_estimate_matches_the_reference(call, params, credits):
    assert estimate(call, **params) == credits


@pytest.mark.parametrize(
    ("call", "params", "argument"),
    [
        ("suno.make_it_good", {}, "call"),
        ("", {}, "call"),
        ("producer.create_music", {"operation": "remix"}, "operation"),
    ],
)
def test_unknown_calls_and_operations_are_refused(call, params, argument):
    with pytest.raises(ValueError, match=f"^{argument}"):
        estimate(call, **params)


@pytest.mark.parametrize(
    ("group", "cls"),
    [
        ("suno", resources.Suno),
        ("producer", resources.Producer),
        ("nuro", resources.Nuro),
        ("lyrics", resources.Lyrics),
        ("riffusion", resources.Riffusion),
    ],
)
def test_every_client_method_has_a_price(group, cls):
    methods = [name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")]
    convenience = {"suno.stems"}  # dispatches to stems_basic / stems_full, priced there
    assert methods
    for name in methods:
        call = f"{group}.{name}"
        if call not in convenience:
            assert estimate(call) >= 0, call
    assert set(COSTS) >= {f"{group}.{name}" for name in methods if group != "riffusion"} - convenience
