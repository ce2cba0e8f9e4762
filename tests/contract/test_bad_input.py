"""Bad input, API side: each case answers a clear one-sentence error in the API's format, charges nothing and
leaves the server answering; odd but valid text (emoji, right-to-left, HTML, Markdown) is taken as is."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from contract_support import SONG_SECONDS, wav_bytes

OTHER_KEYS_CLIP = "{other_clip}"  # filled with a clip id of another key
OTHER_KEYS_TASK = "{other_task}"
OWN_CLIP = "{own_clip}"


@pytest.fixture(scope="module")
def world(emulator):
    """Two enterprise keys (no rate-limit noise): ours with a clip, another whose ids we must never reach."""
    ours, theirs = emulator.create_key("enterprise", 1000), emulator.create_key("enterprise", 1000)
    made = {}
    for name, key in (("own", ours), ("other", theirs)):
        answer = call(
            emulator, key, "POST", "/v1/suno/create-music", {"description": "a folk tune", "duration": 10}
        )
        task_id = answer.json()["task_id"]
        made[f"{name}_task"] = task_id
        made[f"{name}_clip"] = wait_clip(emulator, key, task_id)
    return {"key": ours, **made}


def call(server, key, method, path, body=None, *, raw=None, headers=None, files=None, params=None):
    sent = {"Authorization": f"Bearer {key}", **(headers or {})}
    if raw is not None:
        sent["Content-Type"] = "application/json"
        return requests.request(method, server.base_url + path, data=raw, headers=sent, timeout=30)
    return requests.request(
        method, server.base_url + path, json=body, headers=sent, files=files, params=params, timeout=30
    )


def wait_clip(server, key, task_id) -> str:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        task = call(server, key, "GET", "/v1/suno/get-music", params={"task_id": task_id}).json()
        if task["status"] == "completed":
            return task["clips"][0]["id"]
        time.sleep(0.3)
    raise AssertionError("the fixture song did not finish")


def used(server, key) -> int:
    return call(server, key, "GET", "/v1/credits").json()["used"]


def fill(value, world):
    text = json.dumps(value)
    for name in ("other_clip", "other_task", "own_clip"):
        text = text.replace("{" + name + "}", world[name])
    return json.loads(text)


S = "/v1/suno"
P = "/v1/producer/create-music"
LONG = "x" * 10_000
CASES = [
    # (id, method, path, json body, status, code, field)
    ("prompt-10000-chars", "POST", f"{S}/create-music", {"description": LONG}, 400, "validation_error", "description"),
    ("lyrics-10000-chars", "POST", f"{S}/create-music-with-lyrics", {"lyrics": LONG}, 400, "validation_error",
     "lyrics"),
    ("prompt-blank", "POST", f"{S}/create-music", {"description": " \n\t "}, 400, "validation_error", "description"),
    ("prompt-missing", "POST", f"{S}/create-music", {}, 400, "validation_error", "description"),
    ("prompt-number", "POST", f"{S}/create-music", {"description": 42}, 400, "validation_error", "description"),
    ("duration-negative", "POST", f"{S}/create-music", {"description": "x", "duration": -30}, 400,
     "validation_error", "duration"),
    ("duration-huge", "POST", f"{S}/create-music", {"description": "x", "duration": 1e308}, 400,
     "validation_error", "duration"),
    ("duration-text", "POST", f"{S}/create-music", {"description": "x", "duration": "long"}, 400,
     "validation_error", "duration"),
    ("seed-negative", "POST", f"{S}/create-music", {"description": "x", "seed": -1}, 400, "validation_error",
     "seed"),
    ("seed-2-to-the-64", "POST", f"{S}/create-music", {"description": "x", "seed": 2**64}, 400,
     "validation_error", "seed"),
    ("voice-gender-unknown", "POST", f"{S}/create-music", {"description": "x", "voice_gender": "robot"}, 400,
     "validation_error", "voice_gender"),
    ("concat-eleven-clips", "POST", f"{S}/concat-music", {"clip_ids": ["clip_a"] * 11}, 400,
     "validation_error", "clip_ids"),
    ("lyrics-variations-zero", "POST", "/v1/lyrics/generate", {"prompt": "sea", "num_variations": 0}, 400,
     "validation_error", "num_variations"),
    ("foreign-audio-url", "POST", f"{S}/cover-music", {"audio_url": "https://cdn.example.invalid/a.mp3",
     "style": "jazz"}, 400, "validation_error", "audio_url"),
    ("malformed-audio-url", "POST", f"{S}/cover-music", {"audio_url": "not a url", "style": "jazz"}, 400,
     "validation_error", "audio_url"),
    ("javascript-audio-url", "POST", f"{S}/cover-music", {"audio_url": "javascript:alert(1)", "style": "jazz"},
     400, "validation_error", "audio_url"),
    ("webhook-bad-port", "POST", f"{S}/create-music", {"description": "x", "webhook_url": "http://x:abc/h"}, 400,
     "validation_error", "webhook_url"),
    ("webhook-metadata", "POST", f"{S}/create-music", {"description": "x",
     "webhook_url": "http://169.254.169.254/latest/meta-data"}, 400, "validation_error", "webhook_url"),
    ("webhook-file-scheme", "POST", f"{S}/create-music", {"description": "x", "webhook_url": "file:///etc/passwd"},
     400, "validation_error", "webhook_url"),
    ("replace-backwards", "POST", P, {"operation": "replace", "audio_id": OWN_CLIP, "start_time": 8,
     "end_time": 2, "description": "x"}, 400, "validation_error", "end_time"),
    ("replace-past-the-end", "POST", P, {"operation": "replace", "audio_id": OWN_CLIP, "start_time": 1,
     "end_time": 9999, "description": "x"}, 400, "validation_error", "end_time"),
    ("replace-nan-style-start", "POST", P, {"operation": "replace", "audio_id": OWN_CLIP, "start_time": -5,
     "end_time": 2, "description": "x"}, 400, "validation_error", "start_time"),
    ("producer-unknown-operation", "POST", P, {"operation": "remix"}, 400, "validation_error", "operation"),
    ("other-keys-clip-extend", "POST", f"{S}/extend-music", {"audio_id": OTHER_KEYS_CLIP}, 404, "not_found", None),
    ("other-keys-clip-stems", "POST", f"{S}/stems-basic", {"song_id": OTHER_KEYS_CLIP}, 404, "not_found", None),
    ("other-keys-clip-producer", "POST", P, {"operation": "cover", "audio_id": OTHER_KEYS_CLIP, "style": "x"},
     404, "not_found", None),
    ("other-keys-persona", "POST", f"{S}/create-persona-music", {"persona_id": "persona_" + "0" * 24,
     "description": "x"}, 404, "not_found", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_json_input_is_a_clear_error_and_charges_nothing(
    emulator, world, method, path, body, status, code, field
):
    key = world["key"]
    before = used(emulator, key)
    answer = call(emulator, key, method, path, fill(body, world))
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert 10 < len(error["message"]) < 400 and "Traceback" not in error["message"]
    if field:
        assert error["details"]["field"] == field
    assert used(emulator, key) == before


RAW_CASES = [
    ("nan-duration", '{"description": "x", "duration": NaN}', 400),
    ("infinite-duration", '{"description": "x", "duration": Infinity}', 400),
    ("not-json", "description=x", 400),
    ("json-array", '["description", "x"]', 400),
    ("truncated-json", '{"description": "x"', 400),
    ("invalid-utf8", b'{"description": "\xff\xfe"}', 400),
]


@pytest.mark.parametrize(("raw", "status"), [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES])
def test_malformed_bodies_are_400_and_charge_nothing(emulator, world, raw, status):
    key = world["key"]
    before = used(emulator, key)
    answer = call(emulator, key, "POST", f"{S}/create-music", raw=raw)
    assert answer.status_code == status and answer.json()["error"]["code"] == "validation_error"
    assert used(emulator, key) == before


UPLOADS = [
    ("text-as-mp3", "notes.mp3", b"these are my lyrics, not audio" * 10, 400, "not a readable audio file"),
    ("empty", "empty.wav", b"", 400, "empty"),
    ("corrupt-wav", "broken.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, 400, "not a readable"),
    ("id3-header-only", "cut.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", 400, "not a readable"),
    ("png-renamed", "cover.wav", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 400, "not a readable"),
    ("too-short", "blip.wav", wav_bytes(0.3), 400, "shorter than one second"),
]


@pytest.mark.parametrize(
    ("name", "data", "status", "words"), [c[1:] for c in UPLOADS], ids=[c[0] for c in UPLOADS]
)
def test_bad_uploads_are_refused_with_a_reason(emulator, world, name, data, status, words):
    answer = call(
        emulator, world["key"], "POST", f"{S}/upload-music", files={"file": (name, data, "audio/mpeg")}
    )
    assert answer.status_code == status
    assert words in answer.json()["error"]["message"]


def test_a_huge_upload_is_413_before_it_is_read(dedicated):
    server = dedicated(max_upload_bytes=200_000)
    key = server.create_key("pro", 100)
    answer = call(server, key, "POST", f"{S}/upload-music", files={"file": ("big.wav", b"\0" * 400_000)})
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "file_too_large"


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("GET", f"{S}/get-music", {"task_id": OTHER_KEYS_TASK}),
        ("GET", f"{S}/get-midi", {"clip_id": OTHER_KEYS_CLIP}),
        ("GET", "/v1/producer/download", {"clip_id": OTHER_KEYS_CLIP, "format": "mp3"}),
    ],
    ids=["task", "midi", "download"],
)
def test_another_keys_ids_are_not_found_and_charge_nothing(emulator, world, method, path, params):
    key = world["key"]
    before = used(emulator, key)
    answer = call(emulator, key, method, path, params=fill(params, world))
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert "_url" not in answer.text and "metadata" not in answer.text  # nothing of the other key's data
    assert used(emulator, key) == before


def test_the_same_idempotency_key_with_another_body_is_409_and_charges_once(emulator, world):
    key, idem = world["key"], str(uuid.uuid4())
    before = used(emulator, key)
    reel, jig = ({"description": d, "duration": SONG_SECONDS} for d in ("a reel", "a jig"))
    first = call(emulator, key, "POST", f"{S}/create-music", reel, headers={"Idempotency-Key": idem})
    other = call(emulator, key, "POST", f"{S}/create-music", jig, headers={"Idempotency-Key": idem})
    assert first.status_code == 201 and other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert used(emulator, key) == before + 10


@pytest.mark.parametrize(
    "text",
    [
        "🎸🔥🎶 " * 20,
        "أغنية حزينة عن البحر والقمر",
        "שיר שמח על הים",
        "<script>alert(1)</script><b>loud</b>",
        "[link](http://evil.invalid) ![img](http://evil.invalid/x.png) **bold** # heading",
        "mixed ‮RTL override‬ and zero​width",
    ],
    ids=["emoji", "arabic", "hebrew", "html", "markdown", "control-marks"],
)
def test_odd_but_valid_titles_and_prompts_are_kept_verbatim(emulator, world, text):
    key = world["key"]
    body = {"lyrics": text, "title": text[:100], "style": text[:200], "duration": SONG_SECONDS}
    answer = call(emulator, key, "POST", f"{S}/create-music-with-lyrics", body)
    assert answer.status_code == 201, answer.text
    task_id = answer.json()["task_id"]
    clip_id = wait_clip(emulator, key, task_id)
    task = call(emulator, key, "GET", f"{S}/get-music", params={"task_id": task_id}).json()
    assert task["clips"][0]["id"] == clip_id and task["clips"][0]["title"] == text[:100].strip()


def test_a_key_with_characters_a_header_cannot_hold_is_401_not_a_crash(emulator):
    answer = requests.get(
        f"{emulator.base_url}/v1/credits",
        headers={"Authorization": "Bearer sk_ключ".encode()},
        timeout=10,
    )
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "invalid_api_key"
