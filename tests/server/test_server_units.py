"""Unit tests of the server's pure parts, and a few raw-HTTP checks of the real server on loopback."""

from __future__ import annotations

import warnings

import pytest
import requests

from emulator.app import create_app
from emulator.estimates import queue_wait
from emulator.pricing import COSTS as SERVER_COSTS
from emulator.ratelimit import RateLimiter
from emulator.schemas import PRODUCER_REQUIRED as SERVER_PRODUCER_REQUIRED
from emulator.services import sniff_format
from emulator.settings import Settings, settings_from_env
from emulator.webhooks import sign
from lib.arguments import PRODUCER_REQUIRED as CLIENT_PRODUCER_REQUIRED
from lib.costs import COSTS as APP_COSTS
from lib.costs import estimate
from lib.webhooks import verify_webhook_signature


def test_settings_come_from_prefixed_environment_variables():
    settings = settings_from_env(
        {
            "AIMUSIC_EMULATOR_LINK_TTL_SECONDS": "5",
            "AIMUSIC_EMULATOR_FAULT_RATE": "0.25",
            "AIMUSIC_EMULATOR_FAULT_KINDS": "500,hang",
            "AIMUSIC_EMULATOR_WEBHOOK_RETRY_DELAYS": "1, 2.5",
            "AIMUSIC_EMULATOR_DATA_DIR": "/tmp/x",
            "AIMUSIC_EMULATOR_WEBHOOK_ALLOWED_HOSTS": "127.0.0.0/8, ::1,hooks.internal",
            "AIMUSIC_EMULATOR_MAX_FILES_MB": "512",
            "AIMUSIC_EMULATOR_CLEANUP_AFTER_DAYS": "2.5",
        }
    )
    assert settings.webhook_allowed_hosts == ("127.0.0.0/8", "::1", "hooks.internal")
    assert (settings.max_files_mb, settings.cleanup_after_days) == (512, 2.5)
    assert settings.link_ttl_seconds == 5
    assert settings.fault_rate == 0.25
    assert settings.fault_kinds == ("500", "hang")
    assert settings.webhook_retry_delays == (1.0, 2.5)
    assert str(settings.data_dir) == "/tmp/x"


def test_settings_refuse_unknown_names_and_fault_kinds():
    with pytest.raises(TypeError, match="link_ttl"):
        Settings().replace(link_ttl=5)
    with pytest.raises(ValueError, match="Unknown fault kinds"):
        Settings(fault_kinds=("explode",))


def test_rate_limit_window_counts_then_resets():
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    states = [limiter.hit("k", 2) for _ in range(3)]
    assert [s.allowed for s in states] == [True, True, False]
    assert [s.remaining for s in states] == [1, 0, 0]
    assert states[-1].reset == 1060
    assert states[-1].retry_after(now[0]) == 60
    assert states[-1].headers() == {
        "X-RateLimit-Limit": "2",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1060",
    }
    now[0] += 60
    assert limiter.hit("k", 2).allowed
    assert limiter.hit("other", 2).remaining == 1


def test_rate_limit_windows_of_idle_clients_are_evicted():
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for client in range(1000):
        limiter.hit(f"ip:10.0.{client // 250}.{client % 250}", 60)
    assert len(limiter) == 1000
    now[0] += 30
    limiter.hit("key:active", 60)
    assert len(limiter) == 1001  # nothing has run out yet
    now[0] += 31
    state = limiter.hit("key:active", 60)
    assert len(limiter) == 1  # only the client still inside its window is kept
    assert state.remaining == 58  # and its count survived the sweep


@pytest.mark.parametrize(
    ("head", "name", "fmt"),
    [
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "x.bin", "wav"),
        (b"OggS\x00\x02", "x", "ogg"),
        (b"fLaC\x00\x00", "x", "flac"),
        (b"\x00\x00\x00\x20ftypM4A ", "x", "m4a"),
        (b"ID3\x04\x00", "x", "mp3"),
        (b"\xff\xfb\x90\x00", "x", "mp3"),
        (b"plain text", "song.flac", "flac"),
        (b"plain text", "notes.txt", None),
    ],
)
def test_upload_format_from_magic_bytes_then_extension(head, name, fmt):
    assert sniff_format(head, name) == fmt


def test_webhook_signature_is_what_the_client_verifies():
    body = b'{"task_id": "task_1", "status": "completed"}'
    signature = sign("sk_secret", 1_700_000_000, body)
    assert signature.startswith("sha256=")
    assert verify_webhook_signature(body, signature, "sk_secret", 1_700_000_000, now=1_700_000_010)
    assert not verify_webhook_signature(body, signature, "sk_other", 1_700_000_000, now=1_700_000_010)


def test_unknown_route_is_404_in_the_error_format(emulator):
    answer = requests.get(f"{emulator.base_url}/v1/nothing-here", timeout=10)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_missing_field_names_the_field(emulator, make_key):
    answer = requests.post(
        f"{emulator.base_url}/v1/suno/create-music",
        json={},
        headers={"Authorization": f"Bearer {make_key('pro', 100)}"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["details"] == {"field": "description", "issue": "description is required."}
    assert answer.headers["X-RateLimit-Remaining"] == "59"


def test_docs_are_served(emulator):
    assert requests.get(f"{emulator.base_url}/docs", timeout=10).status_code == 200


def test_queue_wait_hands_tasks_to_the_first_free_worker():
    running = {"status": "processing", "estimated_time": 10.0, "started_at": 96.0}  # 6 s left at t=100
    queued = {"status": "pending", "estimated_time": 5.0, "started_at": None}
    assert queue_wait([], 2, now=100.0) == 0
    assert queue_wait([running], 2, now=100.0) == 0
    assert queue_wait([running, queued], 2, now=100.0) == 5
    assert queue_wait([running, queued, queued], 2, now=100.0) == 6
    assert queue_wait([running, queued], 1, now=100.0) == 11


def test_openapi_builds_without_warnings_and_lists_every_route(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            spec = app.openapi()
    finally:
        app.state.runtime.stop()
    assert len([p for p in spec["paths"] if p.startswith("/v1/")]) == 34
    assert "whsec_" in spec["paths"]["/v1/webhook-secret/rotate"]["post"]["description"]
    singing = spec["components"]["schemas"]["CreateMusicWithLyrics"]["properties"]["singing"]
    assert "synthetic voice" in singing["description"] and "wordless" in str(singing)


def test_the_server_charges_what_the_app_shows():
    """The emulator keeps its own price list (it never imports lib/); both must say the same."""
    for call, credits in SERVER_COSTS.items():
        group, name = call.split(".")
        if group == "producer":
            assert estimate("producer.create_music", operation=name) == credits, call
        else:
            assert estimate(call) == credits, call
    app_priced = {call for call, credits in APP_COSTS.items() if credits and call != "producer.create_music"}
    assert app_priced <= set(SERVER_COSTS)


def test_the_server_and_the_client_require_the_same_producer_fields():
    assert dict(CLIENT_PRODUCER_REQUIRED) == SERVER_PRODUCER_REQUIRED
