"""Webhook delivery: signed POSTs from background threads, retried with backoff, never blocking a task.

Each key has its own webhook secret (``whsec_...``, never the API key). A delivery carries it twice:
``X-Webhook-Timestamp: <unix seconds>`` with ``X-Webhook-Signature: sha256=<hex>``, hex = HMAC-SHA256(secret,
f"{timestamp}." + body), and the reference's ``signature`` field in the JSON body: HMAC-SHA256 hex over the
body without that field, serialised canonically (``canonical_json``). Every delivery succeeds or fails
alone (any exception is that delivery's failure); after its last try it is marked failed on its task
(``webhook_status``). Deliveries not yet made are kept in the store, so a restart sends them.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import http.client
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .netguard import Address, AddressRefused, Allowance, Target, parse_url, resolve_checked
from .store import Store

log = logging.getLogger("emulator.webhooks")
POSTING_THREADS = 4


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Webhook-Signature header value."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def canonical_json(payload: dict) -> str:
    """The text the body's `signature` is computed over: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_body(payload: dict, secret: str) -> bytes:
    """The delivery's body: the payload plus its `signature` field (the reference's verification)."""
    unsigned = {k: v for k, v in payload.items() if k != "signature"}
    signature = hmac.new(secret.encode(), canonical_json(unsigned).encode(), hashlib.sha256).hexdigest()
    return json.dumps({**unsigned, "signature": signature}).encode()


@dataclass(order=True)
class Delivery:
    due: float
    id: int
    url: str = field(compare=False)
    body: bytes = field(compare=False)
    secret: str = field(compare=False)
    task_id: str | None = field(default=None, compare=False)
    attempt: int = field(default=0, compare=False)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address the guard checked, never to a second lookup of the name."""

    def __init__(self, target: Target, address: Address, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = str(address)

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: Address, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = str(address)

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict, allowance: Allowance, timeout: float) -> int:
    """POST body to url through the address guard (no proxy, no redirect followed); the status code."""
    target = parse_url(url)
    address = resolve_checked(target, allowance)
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, address, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


class WebhookSender:
    def __init__(
        self,
        store: Store,
        retry_delays: tuple[float, ...],
        timeout: float,
        allowance: Callable[[], Allowance] = Allowance,
    ):
        self._store = store
        self._retry_delays = retry_delays
        self._timeout = timeout
        self._allowance = allowance
        self._queue: list[Delivery] = [
            Delivery(time.time(), d["id"], d["url"], d["body"], d["secret"], d["task_id"], d["attempt"])
            for d in store.deliveries()
        ]
        heapq.heapify(self._queue)
        self._wake = threading.Condition()
        self._stopped = False
        self._pool = ThreadPoolExecutor(POSTING_THREADS, thread_name_prefix="emulator-webhook-post")
        self._thread = threading.Thread(target=self._loop, name="emulator-webhooks", daemon=True)
        self._thread.start()

    def send(self, task_id: str, url: str, payload: dict, secret: str) -> None:
        body = signed_body(payload, secret)
        delivery_id = self._store.add_delivery(url, body, secret, task_id)
        self._push(Delivery(time.time(), delivery_id, url, body, secret, task_id))

    def _push(self, delivery: Delivery) -> None:
        with self._wake:
            heapq.heappush(self._queue, delivery)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _next_due(self) -> Delivery | None:
        with self._wake:
            while not self._stopped:
                if self._queue and self._queue[0].due <= time.time():
                    return heapq.heappop(self._queue)
                wait = self._queue[0].due - time.time() if self._queue else None
                self._wake.wait(wait)
            return None

    def _loop(self) -> None:
        while (delivery := self._next_due()) is not None:
            try:
                self._pool.submit(self._deliver, delivery)
            except RuntimeError:  # the pool was shut down: the server is stopping
                return

    def _deliver(self, delivery: Delivery) -> None:
        """One try of one delivery; whatever goes wrong stays with this delivery."""
        try:
            outcome, reason = self._attempt(delivery)
            if outcome == "delivered":
                self._store.finish_delivery(delivery.id, delivery.task_id, "delivered", None)
            elif outcome == "retry" and delivery.attempt < len(self._retry_delays):
                delivery.due = time.time() + self._retry_delays[delivery.attempt]
                delivery.attempt += 1
                self._store.record_attempt(delivery.id, delivery.attempt)
                self._push(delivery)
            else:
                self._store.finish_delivery(delivery.id, delivery.task_id, "failed", reason)
                log.warning(
                    "webhook %d given up after %d attempts: %s", delivery.id, delivery.attempt + 1, reason
                )
        except Exception:
            if not self._stopped:
                log.exception("webhook %d could not be recorded", delivery.id)

    def _attempt(self, delivery: Delivery) -> tuple[str, str]:
        """("delivered" | "retry" | "refused", why) for one POST."""
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "aimusic-emulator-webhooks/2",
            "X-Webhook-Timestamp": str(timestamp),
            "X-Webhook-Signature": sign(delivery.secret, timestamp, delivery.body),
        }
        try:
            status = post(delivery.url, delivery.body, headers, self._allowance(), self._timeout)
        except AddressRefused as error:
            return "refused", str(error)
        except Exception as error:  # noqa: BLE001 (a receiver's failure of any kind is this delivery's)
            log.info("webhook %d failed (attempt %d): %r", delivery.id, delivery.attempt + 1, error)
            return "retry", f"The receiver could not be reached ({type(error).__name__})."
        if 200 <= status < 300:
            return "delivered", ""
        return "retry", f"The receiver answered HTTP {status}."
