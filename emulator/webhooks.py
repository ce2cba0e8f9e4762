"""Webhook delivery: signed POSTs from a background thread, retried with backoff, never blocking a task.

Signature: ``X-Webhook-Signature: sha256=<hex>`` with hex = HMAC-SHA256(key=webhook secret,
msg=f"{timestamp}.".encode() + body), ``X-Webhook-Timestamp: <unix seconds>``. The webhook secret of a
key is the API key itself. Deliveries not yet made are kept in the store, so a restart sends them.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field

from .store import Store

log = logging.getLogger("emulator.webhooks")
# Deliver straight to the receiver: a proxy from the environment must not see (or break) loopback hooks.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


@dataclass(order=True)
class Delivery:
    due: float
    id: int
    url: str = field(compare=False)
    body: bytes = field(compare=False)
    secret: str = field(compare=False)
    attempt: int = field(default=0, compare=False)


class WebhookSender:
    def __init__(self, store: Store, retry_delays: tuple[float, ...], timeout: float):
        self._store = store
        self._retry_delays = retry_delays
        self._timeout = timeout
        self._queue: list[Delivery] = [
            Delivery(time.time(), d["id"], d["url"], d["body"], d["secret"], d["attempt"])
            for d in store.deliveries()
        ]
        heapq.heapify(self._queue)
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="emulator-webhooks", daemon=True)
        self._thread.start()

    def send(self, url: str, body: bytes, secret: str) -> None:
        self._push(Delivery(time.time(), self._store.add_delivery(url, body, secret), url, body, secret))

    def _push(self, delivery: Delivery) -> None:
        with self._wake:
            heapq.heappush(self._queue, delivery)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=5)

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
            if self._post(delivery):
                self._store.drop_delivery(delivery.id)
            elif delivery.attempt < len(self._retry_delays):
                delivery.due = time.time() + self._retry_delays[delivery.attempt]
                delivery.attempt += 1
                self._store.record_attempt(delivery.id, delivery.attempt)
                self._push(delivery)
            else:
                self._store.drop_delivery(delivery.id)
                log.warning("webhook to %s given up after %d attempts", delivery.url, delivery.attempt + 1)

    def _post(self, delivery: Delivery) -> bool:
        timestamp = int(time.time())
        request = urllib.request.Request(
            delivery.url,
            data=delivery.body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": "aimusic-emulator-webhooks/1",
                "X-Webhook-Timestamp": str(timestamp),
                "X-Webhook-Signature": sign(delivery.secret, timestamp, delivery.body),
            },
        )
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                return 200 <= response.status < 300
        except OSError as error:  # URLError, HTTPError and timeouts are all OSErrors
            log.info("webhook to %s failed (attempt %d): %s", delivery.url, delivery.attempt + 1, error)
            return False
