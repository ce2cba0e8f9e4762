"""The built-in server: the AI Music API contract on this machine, with music from ``emulator.engine``."""

from .server import RunningEmulator, create_key, start_in_background

__all__ = ["RunningEmulator", "create_key", "start_in_background"]
