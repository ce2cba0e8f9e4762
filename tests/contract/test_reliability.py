"""Idempotency keys, injected faults, expiring links and upload limits."""

from __future__ import annotations

import uuid

import pytest
import requests
from contract_support import SONG_SECONDS, quick_client, wav_bytes

from lib.errors import (
    APIConnectionError,
    APITimeoutError,
    FileTooLargeError,
    LinkExpiredError,
    ServerError,
    ValidationError,
)

SONG = {"description": "a bright ukulele tune", "duration": SONG_SECONDS}


def post(server, key, path, idem=None, **kwargs):
    headers = {"Authorization": f"Bearer {key}"}
    if idem:
        headers["Idempotency-Key"] = idem
    return requests.post(server.base_url + path, headers=headers, timeout=10, **kwargs)


def used(server, key) -> int:
    answer = requests.get(
        f"{server.base_url}/v1/credits", headers={"Authorization": f"Bearer {key}"}, timeout=10
    )
    return answer.json()["used"]


def test_a_repeated_idempotency_key_returns_the_first_answer_and_charges_once(emulator, make_key):
    key, idem = make_key(), str(uuid.uuid4())
    first = post(emulator, key, "/v1/suno/create-music", idem, json=SONG)
    again = post(emulator, key, "/v1/suno/create-music", idem, json=SONG)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert used(emulator, key) == 10
    other = post(emulator, key, "/v1/suno/create-music", str(uuid.uuid4()), json=SONG)
    assert other.json()["task_id"] != first.json()["task_id"]
    assert used(emulator, key) == 20


def test_the_same_idempotency_key_with_another_body_is_409(emulator, make_key):
    key, idem = make_key(), str(uuid.uuid4())
    assert post(emulator, key, "/v1/suno/create-music", idem, json=SONG).status_code == 201
    conflict = post(emulator, key, "/v1/suno/create-music", idem, json={**SONG, "duration": 20})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert used(emulator, key) == 10


def test_idempotency_keys_belong_to_one_api_key(emulator, make_key):
    idem = str(uuid.uuid4())
    a, b = make_key(), make_key()
    first = post(emulator, a, "/v1/suno/create-music", idem, json=SONG)
    second = post(emulator, b, "/v1/suno/create-music", idem, json=SONG)
    assert first.json()["task_id"] != second.json()["task_id"]


def test_an_overlong_idempotency_key_is_400(emulator, make_key):
    key = make_key()
    answer = post(emulator, key, "/v1/suno/create-music", "k" * 256, json=SONG)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"]["field"] == "Idempotency-Key"
    assert used(emulator, key) == 0


def test_a_repeated_upload_is_one_upload(emulator, make_key):
    key, idem, data = make_key(), str(uuid.uuid4()), wav_bytes(1.5)
    answers = [
        post(emulator, key, "/v1/suno/upload-music", idem, files={"file": ("t.wav", data, "audio/wav")})
        for _ in range(2)
    ]
    assert answers[0].status_code == 201 and answers[0].json() == answers[1].json()


@pytest.mark.parametrize(
    ("fault", "error", "get_error", "charged"),
    [
        ("500", ServerError, ServerError, 0),
        ("503", ServerError, ServerError, 0),
        ("hang", APITimeoutError, APITimeoutError, 10),
        ("reset", APIConnectionError, APIConnectionError, 10),
        ("malformed", ServerError, ServerError, 10),
    ],
)
def test_each_fault_surfaces_as_its_client_error_and_charges_at_most_once(
    dedicated, fault, error, get_error, charged
):
    server = dedicated(fault_hang_seconds=2.0)
    key = server.create_key("pro", credits=100)
    client = quick_client(server, key, timeout=1.0)
    server.configure(fault_rate=1.0, fault_kinds=(fault,))
    with pytest.raises(error):
        client.suno.create_music(**SONG)
    with pytest.raises(get_error):
        client.get_credits()
    server.configure(fault_rate=0.0)
    assert used(server, key) == charged


@pytest.mark.parametrize("fault", ["hang", "reset", "malformed"])
def test_a_post_whose_answer_was_lost_is_safe_to_repeat(dedicated, fault):
    server = dedicated(fault_hang_seconds=2.0)
    key, idem = server.create_key("pro", credits=100), str(uuid.uuid4())
    server.configure(fault_rate=1.0, fault_kinds=(fault,))
    try:
        lost = requests.post(
            f"{server.base_url}/v1/suno/create-music",
            json=SONG,
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
            timeout=1.0,
        )
        lost.json()
    except (requests.RequestException, ValueError):
        pass
    else:
        pytest.fail("the fault did not happen")
    server.configure(fault_rate=0.0)
    retry = post(server, key, "/v1/suno/create-music", idem, json=SONG)
    assert retry.status_code == 201
    client = quick_client(server, key)
    assert client.wait_for_task(retry.json()["task_id"], "suno", timeout=120).clips
    assert used(server, key) == 10


def test_a_retried_get_midi_is_charged_once(dedicated):
    server = dedicated()
    key = server.create_key("pro", credits=100)
    client = quick_client(server, key)
    clip = client.wait_for_task(client.suno.create_music(**SONG).task_id, "suno", timeout=120).clips[0]
    server.configure(fault_rate=1.0, fault_kinds=("reset",))
    with pytest.raises(APIConnectionError):
        client.suno.get_midi(clip_id=clip.id)  # made and charged, answer lost (and retried, lost again)
    server.configure(fault_rate=0.0)
    assert client.suno.get_midi(clip_id=clip.id).raw["midi_data"]
    assert used(server, key) == 10 + 5


def test_faults_hit_only_the_configured_share(dedicated):
    server = dedicated(fault_rate=0.5, fault_kinds=("503",), fault_seed=7)
    key = server.create_key("enterprise")
    statuses = [
        requests.get(
            f"{server.base_url}/v1/credits", headers={"Authorization": f"Bearer {key}"}, timeout=5
        ).status_code
        for _ in range(40)
    ]
    assert set(statuses) == {200, 503}
    assert 8 <= statuses.count(503) <= 32


def test_an_expired_link_is_410(dedicated):
    server = dedicated(link_ttl_seconds=-1)
    client = quick_client(server, server.create_key("pro"))
    upload = client.producer.upload_music(wav_bytes(1.5), "tone.wav")
    link = client.producer.download(clip_id=upload.audio_id, format="wav").download_url
    with pytest.raises(LinkExpiredError):
        client.download(link)
    answer = requests.get(link, timeout=5)
    assert answer.status_code == 410 and answer.json()["error"]["code"] == "link_expired"
    server.configure(link_ttl_seconds=3600)
    fresh = client.producer.download(clip_id=upload.audio_id, format="wav").download_url
    assert client.download(fresh)[:4] == b"RIFF"


def test_links_answer_head_and_range_requests_for_players(studio, song):
    head = requests.head(song.audio_url, timeout=5)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) > 1000
    part = requests.get(song.audio_url, headers={"Range": "bytes=0-99"}, timeout=5)
    assert part.status_code == 206 and len(part.content) == 100


def test_a_tampered_link_is_not_found(emulator, studio, song):
    answer = requests.get(song.audio_url.replace("sig=", "sig=0"), timeout=5)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("seconds", [1, 3], ids=["read-then-refused", "refused-from-content-length"])
def test_an_upload_over_the_size_cap_is_413(dedicated, seconds):
    server = dedicated(max_upload_bytes=10_000)
    client = quick_client(server, server.create_key("pro"))
    with pytest.raises(FileTooLargeError) as err:
        client.suno.upload_music(wav_bytes(seconds), "tone.wav")
    assert err.value.status == 413 and err.value.max_bytes == 10_000


def test_an_upload_over_the_duration_cap_is_400(dedicated):
    server = dedicated(max_upload_seconds=2)
    client = quick_client(server, server.create_key("pro"))
    with pytest.raises(ValidationError) as err:
        client.suno.upload_music(wav_bytes(3), "tone.wav")
    assert "minutes" in err.value.message
