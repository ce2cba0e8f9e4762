"""Settings of the built-in server: one frozen object, read once from the environment.

Every field can be set with an environment variable named ``AIMUSIC_EMULATOR_<FIELD>`` (upper case) and
overridden per server instance (``start_in_background(link_ttl_seconds=5)``), which is what tests do.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENV_PREFIX = "AIMUSIC_EMULATOR_"
FAULT_KINDS = ("500", "503", "hang", "reset", "malformed")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".data/emulator")
    host: str = "127.0.0.1"
    port: int = 8787
    workers: int = 2
    # Signed file links expire after this many seconds (the hosted API says 24-48 h).
    link_ttl_seconds: int = 24 * 3600
    max_upload_bytes: int = 50 * 1024 * 1024
    max_upload_seconds: float = 8 * 60
    # An artificial wait before a task starts: off by default, tests use it to catch tasks mid-way.
    task_delay_seconds: float = 0.0
    # A task found running when the server starts is re-run until it has been started this many times,
    # then failed and refunded.
    max_task_attempts: int = 2
    idempotency_ttl_seconds: int = 24 * 3600
    # Requests without a valid key are limited per client address.
    anonymous_requests_per_minute: int = 60
    webhook_timeout_seconds: float = 5.0
    webhook_retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0)
    # Webhooks go to public addresses only; these host names, addresses or networks (127.0.0.0/8, ::1)
    # are allowed besides (emulator.netguard).
    webhook_allowed_hosts: tuple[str, ...] = ()
    # Fault injection (tests only, off by default): this share of API requests misbehaves in one of
    # ``fault_kinds``.
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULT_KINDS
    fault_hang_seconds: float = 30.0
    fault_seed: int | None = None
    # The base URL that links in webhooks use; start_in_background fills it with the bound address.
    public_base_url: str = ""
    log_level: str = "warning"
    # A public demo's disk: while engine files take more than max_files_mb (0: no cap), the files of keys
    # unused for cleanup_after_days are removed, the longest unused first (emulator.cleanup).
    max_files_mb: int = 4096
    cleanup_after_days: float = 14.0

    def __post_init__(self):
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        unknown = set(self.fault_kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"Unknown fault kinds {sorted(unknown)}; choose from {', '.join(FAULT_KINDS)}.")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1.")

    def replace(self, **changes) -> Settings:
        """A copy with some fields changed; unknown names raise a TypeError naming them."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"Unknown emulator settings: {', '.join(sorted(unknown))}.")
        return dataclasses.replace(self, **changes)


def _parse(raw: str, default):
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, tuple):
        items = [item.strip() for item in raw.split(",") if item.strip()]
        return tuple(float(i) for i in items) if default and isinstance(default[0], float) else tuple(items)
    if isinstance(default, int) and not isinstance(default, bool):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    return raw


def settings_from_env(environ=os.environ) -> Settings:
    base = Settings()
    values = {}
    for f in dataclasses.fields(Settings):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        default = getattr(base, f.name)
        if f.name == "fault_seed":
            values[f.name] = int(raw)
        else:
            values[f.name] = _parse(raw, default)
    return base.replace(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return settings_from_env()
