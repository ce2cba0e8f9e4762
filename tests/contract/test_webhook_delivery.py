"""Webhooks end to end with loopback receivers: signed with the key's own secret, retried, never poisoned,
refused for forbidden addresses, sent after a restart."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
from contract_support import SONG_SECONDS, quick_client

from emulator.store import Store
from lib.errors import ValidationError
from lib.webhooks import verify_delivery, verify_webhook_body, verify_webhook_signature


def verify_webhook(payload, signature, secret):
    """The reference's receiver snippet, word for word."""
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def reference_receiver_accepts(body: bytes, secret: str) -> bool:
    """A receiver written from the reference: take `signature` out, serialise canonically, verify."""
    data = json.loads(body)
    signature = data.pop("signature")
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return verify_webhook(payload, signature, secret)


def wait_for_webhook_status(client, task_id: str, statuses: tuple[str, ...], limit: float = 60.0) -> str:
    deadline = time.monotonic() + limit
    while (status := client.suno.get_music(task_id).webhook_status) not in statuses:
        assert time.monotonic() < deadline, f"webhook_status stayed {status}"
        time.sleep(0.1)
    return status


def test_a_delivery_is_signed_with_the_keys_webhook_secret_in_both_forms(
    studio, studio_key, webhook_receiver
):
    receiver = webhook_receiver()
    secret = studio.webhooks.secret()
    assert secret.startswith("whsec_") and secret != studio_key
    task = studio.suno.create_music(
        description="surf rock über Wellen 🌊", duration=SONG_SECONDS, webhook_url=receiver.url
    )
    assert receiver.received.wait(120)
    body, headers = receiver.calls[0]
    signature, timestamp = headers["X-Webhook-Signature"], headers["X-Webhook-Timestamp"]
    assert verify_webhook_signature(body, signature, secret, timestamp)
    assert not verify_webhook_signature(body + b" ", signature, secret, timestamp)
    assert not verify_webhook_signature(body, signature, studio_key, timestamp)  # not the API key
    assert reference_receiver_accepts(body, secret)
    assert not reference_receiver_accepts(body, studio_key)
    assert verify_webhook_body(body, secret) and verify_delivery(body, headers, secret)
    payload = json.loads(body)
    assert payload["task_id"] == task.task_id and payload["status"] == "completed"
    assert payload["clips"][0]["audio_url"] and payload["timestamp"]
    assert wait_for_webhook_status(studio, task.task_id, ("delivered",)) == "delivered"


def test_stale_and_forged_deliveries_are_refused(studio, webhook_receiver):
    receiver = webhook_receiver()
    secret = studio.webhooks.secret()
    studio.suno.create_music(description="a waltz", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert receiver.received.wait(120)
    body, headers = receiver.calls[0]
    later = time.time() + 301
    assert not verify_delivery(body, headers, secret, now=later)
    assert not verify_webhook_body(body, secret, now=later)
    forged = json.loads(body)
    forged["status"] = "failed"
    forged_body = json.dumps(forged).encode()
    assert not verify_webhook_body(forged_body, secret)
    assert not verify_delivery(forged_body, headers, secret)
    assert not verify_delivery(body, headers, "whsec_" + "0" * 48)


def test_rotating_the_secret_signs_the_next_delivery_with_the_new_one(dedicated, webhook_receiver):
    server = dedicated()
    client = quick_client(server, server.create_key("pro"))
    old = client.webhooks.secret()
    new = client.webhooks.rotate_secret()
    assert new.startswith("whsec_") and new != old and client.webhooks.secret() == new
    receiver = webhook_receiver()
    client.suno.create_music(description="polka", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert receiver.received.wait(120)
    body, headers = receiver.calls[0]
    assert verify_delivery(body, headers, new) and not verify_delivery(body, headers, old)


def test_a_delivery_is_retried_until_delivered(dedicated, webhook_receiver):
    server = dedicated(webhook_retry_delays=(0.1, 0.2, 0.2))
    client = quick_client(server, server.create_key("pro"))
    receiver = webhook_receiver(fail_first=2)
    task = client.suno.create_music(description="polka", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert receiver.received.wait(120)
    assert len(receiver.calls) == 3
    body, headers = receiver.calls[-1]
    assert verify_delivery(body, headers, client.webhooks.secret())
    assert wait_for_webhook_status(client, task.task_id, ("delivered",)) == "delivered"


def test_an_unreachable_receiver_never_blocks_the_task_and_ends_failed(dedicated, webhook_receiver):
    server = dedicated(webhook_retry_delays=(0.1,))
    receiver = webhook_receiver()
    dead_url = receiver.url
    receiver.close()
    client = quick_client(server, server.create_key("pro"))
    task = client.suno.create_music(description="a march", duration=SONG_SECONDS, webhook_url=dead_url)
    assert client.wait_for_task(task.task_id, "suno", timeout=120).status == "completed"
    assert wait_for_webhook_status(client, task.task_id, ("delivered", "failed")) == "failed"
    assert "could not be reached" in client.suno.get_music(task.task_id).raw["webhook_error"]


def test_a_poisoned_delivery_does_not_stop_the_next_one(dedicated, webhook_receiver, tmp_path):
    """Rows a server of an older version accepted (a port that is not a number) fail alone at the next start."""
    store = Store(tmp_path / "state")
    for bad in ("http://x:abc/hook", "http://[::1/hook", "not a url at all", "http://169.254.169.254/latest"):
        store.add_delivery(bad, b"{}", "whsec_old")
    store.close()
    server = dedicated(tmp_path / "state", webhook_retry_delays=(0.1,))
    receiver = webhook_receiver()
    client = quick_client(server, server.create_key("pro"))
    task = client.suno.create_music(description="a jig", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert receiver.received.wait(120)
    assert json.loads(receiver.calls[0][0])["task_id"] == task.task_id
    deadline = time.monotonic() + 10
    while server.runtime.store.deliveries() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.runtime.store.deliveries() == []  # the bad rows were given up, not kept forever


def test_a_delivery_queued_by_an_older_server_is_signed_with_the_webhook_secret(
    dedicated, webhook_receiver, tmp_path
):
    """Older servers signed with the API key: after an upgrade, no receiver ever sees that signature."""
    store = Store(tmp_path / "state")
    key = store.create_key("pro", 100)
    receiver = webhook_receiver()
    body = json.dumps({"task_id": "task_old", "status": "completed", "timestamp": "2026-01-01T00:00:00Z"})
    store.add_delivery(receiver.url, body.encode(), key)
    store.close()
    server = dedicated(tmp_path / "state")
    assert receiver.received.wait(30)
    old_body, headers = receiver.calls[0]
    secret = quick_client(server, key).webhooks.secret()
    assert verify_webhook_signature(
        old_body, headers["X-Webhook-Signature"], secret, headers["X-Webhook-Timestamp"]
    )
    assert not verify_webhook_signature(
        old_body, headers["X-Webhook-Signature"], key, headers["X-Webhook-Timestamp"]
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://x:abc/hook", "not a valid address"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://2130706433:8080/hook", "loopback"),
        ("http://localhost:8080/hook", "loopback"),
        ("http://[fd00::1]/hook", "private"),
        ("http://192.168.0.10/hook", "private"),
    ],
)
def test_bad_and_forbidden_webhook_urls_are_refused_when_the_task_is_created(dedicated, url, words):
    server = dedicated(webhook_allowed_hosts=())
    client = quick_client(server, server.create_key("pro"))
    with pytest.raises(ValidationError) as err:
        client.suno.create_music(description="rock", duration=SONG_SECONDS, webhook_url=url)
    assert err.value.details["field"] == "webhook_url" and words in err.value.message
    assert client.get_credits().used == 0


def test_loopback_is_refused_by_default_and_delivered_once_allowed(dedicated, webhook_receiver):
    receiver = webhook_receiver()
    closed = dedicated(webhook_allowed_hosts=())
    client = quick_client(closed, closed.create_key("pro"))
    with pytest.raises(ValidationError):
        client.suno.create_music(description="rock", duration=SONG_SECONDS, webhook_url=receiver.url)

    opened = dedicated(webhook_allowed_hosts=("127.0.0.1",), task_delay_seconds=1)
    client = quick_client(opened, opened.create_key("pro"))
    task = client.suno.create_music(description="rock", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert receiver.received.wait(120)
    assert json.loads(receiver.calls[0][0])["task_id"] == task.task_id

    # The operator closes loopback while a task runs: its delivery is refused when it is made.
    receiver.received.clear()
    task = client.suno.create_music(description="rock", duration=SONG_SECONDS, webhook_url=receiver.url)
    opened.configure(webhook_allowed_hosts=())
    assert wait_for_webhook_status(client, task.task_id, ("delivered", "failed")) == "failed"
    assert "loopback" in client.suno.get_music(task.task_id).raw["webhook_error"]
    assert len(receiver.calls) == 1


def test_a_webhook_not_yet_delivered_is_sent_after_a_restart(dedicated, webhook_receiver, tmp_path):
    first = dedicated(tmp_path / "state", webhook_retry_delays=(60.0,))
    client = quick_client(first, first.create_key("pro"))
    secret = client.webhooks.secret()
    receiver = webhook_receiver()
    port = receiver.port
    receiver.close()  # the receiver is down while the task finishes
    task = client.suno.create_music(description="sea shanty", duration=SONG_SECONDS, webhook_url=receiver.url)
    assert client.wait_for_task(task.task_id, "suno", timeout=120).status == "completed"
    first.stop()

    revived = webhook_receiver(port=port)
    dedicated(tmp_path / "state")
    assert revived.received.wait(60)
    body, headers = revived.calls[0]
    assert json.loads(body)["task_id"] == task.task_id
    assert verify_delivery(body, headers, secret)


def test_the_command_line_receiver_shows_signed_deliveries_and_refuses_forged_ones(studio, tmp_path):
    import queue
    import socket
    import subprocess
    import sys
    import threading

    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = studio.webhooks.secret()
    command = [sys.executable, "-m", "lib.webhooks", "--port", str(port), "--secret", secret]
    receiver = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in receiver.stdout], daemon=True).start()
    try:
        assert "Listening" in lines.get(timeout=30)
        task = studio.suno.create_music(
            description="a lullaby", duration=SONG_SECONDS, webhook_url=f"http://127.0.0.1:{port}/hook"
        )
        assert lines.get(timeout=120).strip() == f"verified: task {task.task_id} completed"
        forged = requests.post(
            f"http://127.0.0.1:{port}/hook", json={"task_id": "task_x", "signature": "0"}, timeout=10
        )
        assert forged.status_code == 401
        assert lines.get(timeout=10).startswith("REFUSED")
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)


def test_a_redirect_is_not_followed(dedicated, webhook_receiver):
    import http.server
    import threading

    target = webhook_receiver()

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.send_response(307)
            self.send_header("Location", target.url)
            self.end_headers()

        def log_message(self, *args):
            pass

    redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    try:
        server = dedicated(webhook_retry_delays=(0.05,))
        client = quick_client(server, server.create_key("pro"))
        url = f"http://127.0.0.1:{redirector.server_port}/hook"
        task = client.suno.create_music(description="a round", duration=SONG_SECONDS, webhook_url=url)
        assert wait_for_webhook_status(client, task.task_id, ("delivered", "failed")) == "failed"
        assert "HTTP 307" in client.suno.get_music(task.task_id).raw["webhook_error"]
        assert target.calls == []
    finally:
        redirector.shutdown()
        redirector.server_close()
