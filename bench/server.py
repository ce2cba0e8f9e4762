"""Request latency of the built-in server under a bounded loopback load: p50/p99 of get-music and credits.

Runs the server in its own process (`python -m emulator`) on 127.0.0.1, makes one finished task, then sends
`--requests` GETs per endpoint from `--concurrency` threads, stopping early after `--max-seconds`. Each
thread uses its own enterprise key, so the per-minute limit (600) is never what is measured.

    python bench/server.py [--requests 400] [--concurrency 4] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator import create_key  # noqa: E402

PER_KEY_BUDGET = 500  # requests per key and minute, under enterprise's 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "emulator",
            "--port",
            str(port),
            "--data-dir",
            data_dir,
            "--tier",
            "enterprise",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("The server did not start within 30 s.")


def finished_task(base: str, key: str) -> str:
    headers = {"Authorization": f"Bearer {key}"}
    task = requests.post(
        f"{base}/v1/suno/create-music",
        json={"description": "bench song", "duration": 10},
        headers=headers,
        timeout=30,
    ).json()["task_id"]
    for _ in range(600):
        state = requests.get(
            f"{base}/v1/suno/get-music", params={"task_id": task}, headers=headers, timeout=30
        ).json()
        if state["status"] in ("completed", "failed"):
            return task
        time.sleep(0.1)
    raise SystemExit("The bench task did not finish.")


def load(url: str, params: dict[str, dict], total: int, deadline: float) -> tuple[list[float], int]:
    """Send `total` GETs split over one thread per key (with that key's query parameters); latencies in ms
    and the count of non-200 answers."""
    keys = list(params)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    share = total // len(keys)

    def worker(key: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        for _ in range(share):
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            answer = session.get(url, params=params[key], timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += answer.status_code != 200

    threads = [threading.Thread(target=worker, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="stop early after this long per endpoint"
    )
    args = parser.parse_args()
    if args.requests > args.concurrency * PER_KEY_BUDGET:
        raise SystemExit(
            f"--requests must be at most {args.concurrency * PER_KEY_BUDGET} for this concurrency."
        )

    with tempfile.TemporaryDirectory(prefix="bench-server-") as data_dir:
        port = free_port()
        server = start_server(data_dir, port)
        base = f"http://127.0.0.1:{port}"
        try:
            print(f"server {base}, {args.concurrency} threads, up to {args.requests} requests per endpoint")
            print(
                f"{'endpoint':<22}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}{'req/s':>9}{'non-200':>9}"
            )
            for name, path in (
                ("GET /v1/suno/get-music", "/v1/suno/get-music"),
                ("GET /v1/credits", "/v1/credits"),
            ):
                keys = [create_key("enterprise", 100, data_dir=data_dir) for _ in range(args.concurrency)]
                # get-music polls a finished task of the same key (tasks are private to their key).
                params = {
                    k: ({"task_id": finished_task(base, k)} if "get-music" in path else {}) for k in keys
                }
                started = time.monotonic()
                latencies, errors = load(base + path, params, args.requests, started + args.max_seconds)
                wall = time.monotonic() - started
                print(
                    f"{name:<22}{len(latencies):>6}{percentile(latencies, 0.5):>10.1f}{percentile(latencies, 0.99):>10.1f}"
                    f"{statistics.fmean(latencies):>10.1f}{len(latencies) / wall:>9.0f}{errors:>9}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
