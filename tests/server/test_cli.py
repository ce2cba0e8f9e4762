"""`python -m emulator` prints its base URL and a demo key that works."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_command_line_server_prints_url_and_a_working_demo_key(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "emulator", "--port", str(port), "--data-dir", str(tmp_path)]
    with subprocess.Popen(
        [*command, "--tier", "starter", "--credits", "77"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as process:  # leaving the block closes the pipe and waits for the process
        try:
            url_line, key_line = process.stdout.readline(), process.stdout.readline()
            assert f"http://127.0.0.1:{port}" in url_line
            key = re.search(r"sk_[0-9a-f]+", key_line).group(0)
            for _ in range(100):  # the URL is printed just before uvicorn binds the port
                try:
                    answer = requests.get(
                        f"http://127.0.0.1:{port}/v1/credits",
                        headers={"Authorization": f"Bearer {key}"},
                        timeout=2,
                    )
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            assert answer.json()["available"] == 77
            assert answer.json()["subscription"]["tier"] == "starter"
        finally:
            process.terminate()
