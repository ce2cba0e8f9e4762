"""Plain decisions the pages show: export calls per model, balance arithmetic, labels, calls by name."""

import pytest

from lib import calls, costs, exports
from lib.text import duration_text, file_stem, short_label


@pytest.mark.parametrize(
    ("model", "ext", "call"),
    [
        ("suno", "wav", "suno.wav"),
        ("nuro", "wav", "suno.wav"),
        ("producer", "wav", "producer.download"),
        ("suno", "mid", "suno.get_midi"),
        ("producer", "mid", "suno.get_midi"),
    ],
)
def test_export_call_by_model(model, ext, call):
    assert exports.export_call(model, ext) == call


def test_only_suno_wav_is_a_task_and_unknown_exports_are_refused():
    assert exports.is_task("suno.wav")
    assert not exports.is_task("producer.download")
    with pytest.raises(ValueError, match="mp4"):
        exports.export_call("suno", "mp4")


@pytest.mark.parametrize(
    ("available", "price", "after", "ok"),
    [(100, 10, 90, True), (10, 10, 0, True), (5, 10, 0, False), (None, 10, None, True)],
)
def test_balance_after_paying(available, price, after, ok):
    assert costs.balance_after(available, price) == after
    assert costs.affordable(available, price) is ok


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "length unknown"), (0, "length unknown"), (59.6, "1:00"), (125, "2:05")]
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


def test_short_label_and_file_stem():
    assert short_label("  a   calm\npiano  ") == "a calm piano"
    assert short_label("x" * 60, 10) == "x" * 9 + "…"
    assert file_stem("Rock / Roll: <live>") == "Rock__Roll_live"
    assert file_stem("///") == "song"
    assert len(file_stem("a" * 100)) == 60


def test_bind_calls_the_named_method_without_none_values():
    seen = {}

    class Suno:
        def extend_music(self, **kwargs):
            seen.update(kwargs)
            return "task"

    class Client:
        suno = Suno()

    start = calls.bind(Client(), "suno.extend_music", {"audio_id": "c1", "duration": 30, "webhook_url": None})
    assert seen == {}  # nothing is sent until the start is called
    assert start() == "task"
    assert seen == {"audio_id": "c1", "duration": 30}
    with pytest.raises(ValueError, match="suno.nope"):
        calls.bind(Client(), "suno.nope", {})
