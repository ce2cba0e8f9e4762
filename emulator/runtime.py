"""Everything one server instance holds: settings, store, files, limits, workers, webhooks."""

from __future__ import annotations

import time

from .cleanup import Sweeper, sweep
from .estimates import Estimator
from .files import FileStore
from .jobs import JobContext
from .locks import NamedLocks
from .netguard import Allowance
from .presenter import Presenter, iso
from .ratelimit import RateLimiter
from .settings import Settings
from .store import Store
from .webhooks import WebhookSender
from .worker import Worker


class Runtime:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = Store(settings.data_dir)
        self.files = FileStore(self.store)
        self.limiter = RateLimiter()
        self.locks = NamedLocks()
        self.estimator = Estimator()
        self.worker: Worker | None = None
        self.webhooks: WebhookSender | None = None
        self.sweeper: Sweeper | None = None

    @property
    def presenter(self) -> Presenter:
        return Presenter(self.files, self.settings.link_ttl_seconds, self.settings.workers)

    @property
    def base_url(self) -> str:
        return self.settings.public_base_url or f"http://{self.settings.host}:{self.settings.port}"

    def webhook_allowance(self) -> Allowance:
        return Allowance.parse(self.settings.webhook_allowed_hosts)

    def update(self, **changes) -> None:
        """Change settings of a running server (tests switch fault injection on and off)."""
        self.settings = self.settings.replace(**changes)

    def start(self) -> None:
        s = self.settings
        self.store.replace_api_key_secrets()
        self.webhooks = WebhookSender(
            self.store, s.webhook_retry_delays, s.webhook_timeout_seconds, self.webhook_allowance
        )
        self.worker = Worker(
            JobContext(self.store, self.files),
            self.estimator,
            threads=s.workers,
            delay=lambda: self.settings.task_delay_seconds,
            on_finished=self.task_finished,
        )
        self.worker.recover(s.max_task_attempts)
        if s.max_files_mb > 0:
            self.sweeper = Sweeper(self.sweep_disk)

    def sweep_disk(self) -> list[str]:
        s = self.settings
        return sweep(self.files, max_bytes=s.max_files_mb * 2**20, idle_days=s.cleanup_after_days)

    def stop(self) -> None:
        if self.sweeper:
            self.sweeper.stop()
        if self.worker:
            self.worker.stop()
        if self.webhooks:
            self.webhooks.stop()
        self.store.close()

    def task_finished(self, task: dict) -> None:
        if task and task["webhook_url"] and self.webhooks:
            view = self.presenter.task(self.base_url, task)
            view.pop("webhook_status", None)
            view.pop("webhook_error", None)
            payload = {**view, "timestamp": iso(time.time())}
            self.webhooks.send(task["id"], task["webhook_url"], payload, self.store.webhook_secret(task["api_key"]))
