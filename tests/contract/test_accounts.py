"""Keys, credits, tiers, rate limits and validation: what the server answers before any music is made."""

from __future__ import annotations

import pytest
import requests

from lib.client import AIMusicClient
from lib.errors import (
    AuthenticationError,
    InsufficientCreditsError,
    NotFoundError,
    RateLimitError,
    ValidationError,
)


def test_credits_of_a_new_key(make_key, client_for):
    client = client_for(make_key("starter", 321))
    credits = client.get_credits()
    assert (credits.total, credits.used, credits.available, credits.tier) == (321, 0, 321, "starter")
    assert credits.monthly_credits == 321
    assert credits.renewal_date
    assert client.rate_limit.limit == 30


@pytest.mark.parametrize("key", ["sk_not_a_real_key", "sk_" + "0" * 48])
def test_unknown_key_is_401(emulator, key):
    with (
        AIMusicClient(api_key=key, base_url=emulator.base_url) as client,
        pytest.raises(AuthenticationError) as err,
    ):
        client.get_credits()
    assert err.value.status == 401 and err.value.code == "invalid_api_key"


def test_missing_key_is_401_in_the_error_format(emulator):
    response = requests.get(f"{emulator.base_url}/v1/credits", timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert "Authorization" in response.json()["error"]["message"]
    assert "X-RateLimit-Limit" in response.headers


@pytest.mark.parametrize(("tier", "limit"), [("free", 10), ("starter", 30), ("pro", 60), ("enterprise", 600)])
def test_every_answer_carries_the_tier_rate_limit(make_key, client_for, tier, limit):
    client = client_for(make_key(tier))
    client.get_credits()
    client.get_credits()
    assert client.rate_limit.limit == limit
    assert client.rate_limit.remaining == limit - 2
    assert client.rate_limit.reset > 1_600_000_000


def test_free_tier_gets_429_on_the_eleventh_request(emulator, make_key):
    key = make_key("free")
    headers = {"Authorization": f"Bearer {key}"}
    answers = [requests.get(f"{emulator.base_url}/v1/credits", headers=headers, timeout=5) for _ in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    last = answers[-1]
    assert last.json()["error"]["code"] == "rate_limit_exceeded"
    assert last.json()["error"]["details"]["limit"] == 10
    assert int(last.headers["Retry-After"]) >= 1
    assert last.headers["X-RateLimit-Remaining"] == "0"


def test_rate_limit_surfaces_as_rate_limit_error(make_key, client_for):
    client = client_for(make_key("free"))
    for _ in range(10):
        client.get_credits()
    with pytest.raises(RateLimitError) as err:
        client.get_credits()
    assert err.value.status == 429 and err.value.retry_after >= 1


def test_402_names_required_and_available(make_key, client_for):
    client = client_for(make_key("pro", credits=5))
    with pytest.raises(InsufficientCreditsError) as err:
        client.suno.create_music(description="a calm piano piece", duration=10)
    assert (err.value.required, err.value.available) == (10, 5)
    assert client.get_credits().available == 5


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/suno/create-music", {"description": "rock", "duration": 5}, "duration"),
        ("/v1/suno/create-music", {"description": "rock", "duration": 241}, "duration"),
        ("/v1/suno/create-music", {"description": "   "}, "description"),
        ("/v1/suno/create-music", {"description": "rock", "voice_gender": "robot"}, "voice_gender"),
        ("/v1/suno/concat-music", {"clip_ids": ["clip_a"]}, "clip_ids"),
        ("/v1/producer/create-music", {"operation": "remix"}, "operation"),
        ("/v1/producer/create-music", {"operation": "cover", "audio_id": "clip_x"}, "style"),
        ("/v1/lyrics/generate", {"prompt": "sea", "num_variations": 9}, "num_variations"),
        ("/v1/suno/cover-music", {"audio_url": "https://example.com/a.mp3", "style": "jazz"}, "audio_url"),
        ("/v1/suno/create-music", {"description": "rock", "webhook_url": "ftp://x"}, "webhook_url"),
        ("/v1/suno/cover-music", {"style": "jazz"}, "audio_url"),
        ("/v1/suno/create-persona", {"persona_name": "Me"}, "song_url"),
        ("/v1/suno/create-persona-music", {"persona_id": "persona_x"}, "description"),
        ("/v1/lyrics/generate", {"prompt": "x" * 1001}, "prompt"),
    ],
)
def test_bad_input_is_400_with_field_and_issue(emulator, make_key, path, body, field):
    response = requests.post(
        emulator.base_url + path, json=body, headers={"Authorization": f"Bearer {make_key()}"}, timeout=5
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["field"] == field
    assert error["details"]["issue"].endswith(".")


def test_foreign_audio_url_is_refused_with_a_reason(emulator, make_key):
    response = requests.post(
        f"{emulator.base_url}/v1/suno/cover-music",
        json={"audio_url": "https://example.com/song.mp3", "style": "jazz"},
        headers={"Authorization": f"Bearer {make_key()}"},
        timeout=5,
    )
    assert "fetches nothing" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.suno.get_music("task_0000"),
        lambda c: c.producer.get_music("task_0000"),
        lambda c: c.nuro.get_music("task_0000"),
        lambda c: c.suno.stems_basic(song_id="clip_0000"),
        lambda c: c.suno.get_midi(clip_id="clip_0000"),
        lambda c: c.producer.download(clip_id="clip_0000", format="wav"),
        lambda c: c.suno.create_persona_music(persona_id="persona_0000", description="pop", duration=10),
    ],
)
def test_unknown_ids_are_404(make_key, client_for, call):
    client = client_for(make_key())
    with pytest.raises(NotFoundError) as err:
        call(client)
    assert err.value.code == "not_found"
    assert client.get_credits().used == 0


def test_server_side_validation_is_a_client_validation_error(emulator, make_key):
    client = AIMusicClient(api_key=make_key(), base_url=emulator.base_url)
    with pytest.raises(ValidationError) as err:
        client.suno.cover_music(audio_url="https://example.com/song.mp3", style="jazz")
    assert err.value.details["field"] == "audio_url"
    client.close()


def test_openapi_documents_limits_and_choices(emulator):
    spec = requests.get(f"{emulator.base_url}/openapi.json", timeout=5).json()
    duration = spec["components"]["schemas"]["CreateMusic"]["properties"]["duration"]
    assert (duration["minimum"], duration["maximum"]) == (10, 240)
    assert "X-Webhook-Signature" in spec["info"]["description"]
    assert "enterprise" in spec["info"]["description"]
    assert len([p for p in spec["paths"] if p.startswith("/v1/riffusion/")]) == 9
