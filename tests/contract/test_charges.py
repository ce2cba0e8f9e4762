"""Charged exactly once under concurrency; a failure of the engine is ours (500, refunded, logged); text in
any script exports and edits."""

from __future__ import annotations

import base64
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from contract_support import SONG_SECONDS, quick_client, wav_bytes

from emulator import engine as music_engine
from lib.errors import ServerError, TaskFailedError, ValidationError

EVERY_SCRIPT = (
    "[Verse]\nПривет, мир, я пою о море\nΚαλημέρα, θάλασσα μου\nمرحبا يا قمر الليل\n"
    "[Chorus]\nПривет мир 你好世界\nこんにちは 🎵🔥 שלום עולם\n"
)


def together(calls: int, call):
    """Run `call(i)` `calls` times at once; the answers in order."""
    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(call, range(calls)))


def used(server, key) -> int:
    answer = requests.get(
        f"{server.base_url}/v1/credits", headers={"Authorization": f"Bearer {key}"}, timeout=10
    )
    return answer.json()["used"]


@pytest.fixture(scope="module")
def script_song(studio):
    task = studio.suno.create_music_with_lyrics(
        lyrics=EVERY_SCRIPT, style="ballad, piano", title="Пісня · 歌 · أغنية 🎶", duration=SONG_SECONDS
    )
    return studio.wait_for_task(task.task_id, "suno", timeout=120).clips[0]


def test_midi_exports_lyrics_in_any_script(studio, script_song):
    before = studio.get_credits().used
    midi = base64.b64decode(studio.suno.get_midi(clip_id=script_song.id).raw["midi_data"])
    assert midi[:4] == b"MThd"
    # Lyric meta events (FF 05 <length> <text>); every syllable here is shorter than 128 bytes.
    events = [part[1 : 1 + part[0]].decode("utf-8") for part in midi.split(b"\xff\x05")[1:]]
    assert events and all(text.strip() in EVERY_SCRIPT for text in events)
    assert any(not text.isascii() for text in events)
    assert studio.get_credits().used == before + 5
    assert script_song.title == "Пісня · 歌 · أغنية 🎶"


@pytest.mark.parametrize(
    "operation",
    [
        {"operation": "replace", "start_time": 2, "end_time": 5, "description": "Ελληνικά και 中文 🎺"},
        {"operation": "cover", "style": "جاز، بيانو"},
        {"operation": "swap_vocals", "voice_description": "тёплый низкий голос"},
        {"operation": "extend", "duration": 10},
    ],
    ids=lambda o: o["operation"],
)
def test_operations_work_on_a_song_in_any_script(studio, script_song, operation):
    task = studio.producer.create_music(audio_id=script_song.id, **operation)
    done = studio.wait_for_task(task.task_id, "producer", timeout=180)
    assert done.status == "completed" and done.clips[0].duration > 0


def test_concurrent_get_midi_of_one_clip_charges_once(dedicated):
    server = dedicated()
    key = server.create_key("enterprise", credits=100)
    client = quick_client(server, key)
    task = client.suno.create_music(description="a folk song", duration=SONG_SECONDS)
    clip = client.wait_for_task(task.task_id, "suno", timeout=120).clips[0]
    before = used(server, key)
    clients = [quick_client(server, key) for _ in range(4)]
    answers = together(4, lambda i: clients[i].suno.get_midi(clip_id=clip.id).raw["midi_data"])
    assert len(set(answers)) == 1
    assert used(server, key) == before + 5
    assert [e["amount"] for e in server.runtime.store.ledger(key)].count(5) == 1


def test_concurrent_repeats_of_one_idempotency_key_charge_once(dedicated):
    server = dedicated()
    key = server.create_key("enterprise", credits=100)
    idem = str(uuid.uuid4())

    def post(path, body):
        return requests.post(
            server.base_url + path,
            json=body,
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
            timeout=30,
        )

    answers = together(4, lambda i: post("/v1/suno/create-music", {"description": "surf", "duration": 10}))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["task_id"] for a in answers}) == 1
    assert used(server, key) == 10
    lyric_idem = str(uuid.uuid4())
    idem = lyric_idem
    answers = together(3, lambda i: post("/v1/lyrics/generate", {"prompt": "the sea"}))
    assert {a.status_code for a in answers} == {200} and used(server, key) == 15


def test_midi_of_clips_without_notes_is_refused_without_a_charge(studio):
    upload = studio.suno.upload_music(wav_bytes(2), "tone.wav")
    before = studio.get_credits().used
    with pytest.raises(ValidationError) as err:
        studio.suno.get_midi(clip_id=upload.audio_id)
    assert "no notes to export" in err.value.message
    assert studio.get_credits().used == before


def broken(*args, **kwargs):
    "é".encode("ascii")  # raises UnicodeEncodeError, a ValueError that is a failure of ours


def test_an_engine_failure_on_get_midi_is_a_500_refunded_and_logged(dedicated, monkeypatch, caplog):
    server = dedicated()
    key = server.create_key("enterprise", credits=100)
    client = quick_client(server, key)
    task = client.suno.create_music(description="a folk song", duration=SONG_SECONDS)
    clip = client.wait_for_task(task.task_id, "suno", timeout=120).clips[0]
    before = used(server, key)
    monkeypatch.setattr(music_engine, "to_midi", broken)
    with caplog.at_level(logging.ERROR, logger="emulator"), pytest.raises(ServerError) as err:
        client.suno.get_midi(clip_id=clip.id)
    assert err.value.status == 500 and err.value.code == "internal_error"
    assert used(server, key) == before
    assert any(r.exc_info and r.exc_info[0] is UnicodeEncodeError for r in caplog.records)


def test_an_engine_failure_in_a_task_is_an_internal_error_refunded_and_logged(dedicated, monkeypatch, caplog):
    server = dedicated()
    key = server.create_key("enterprise", credits=100)
    client = quick_client(server, key)
    monkeypatch.setattr(music_engine, "create", broken)
    with caplog.at_level(logging.ERROR, logger="emulator"):
        task = client.suno.create_music(description="a folk song", duration=SONG_SECONDS)
        with pytest.raises(TaskFailedError):
            client.wait_for_task(task.task_id, "suno", timeout=60)
    failed = client.suno.get_music(task.task_id)
    assert failed.status == "failed" and failed.error.code == "internal_error"
    assert used(server, key) == 0
    assert any(r.exc_info and r.exc_info[0] is UnicodeEncodeError for r in caplog.records)


def test_the_engine_refusing_what_was_asked_stays_a_generation_failure(studio, song):
    instrumental = studio.wait_for_task(
        studio.nuro.create_instrumental_music(prompt="calm ambient pads", duration=SONG_SECONDS).task_id,
        "nuro",
        timeout=120,
    ).clips[0]
    task = studio.producer.create_music(
        operation="swap_vocals", audio_id=instrumental.id, voice_description="x"
    )
    with pytest.raises(TaskFailedError):
        studio.wait_for_task(task.task_id, "producer", timeout=60)
    failed = studio.producer.get_music(task.task_id)
    assert failed.error.code == "generation_failed" and "instrumental" in failed.error.message
