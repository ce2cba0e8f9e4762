"""Memory of the server's rate-limit state: 10 000 distinct clients, then the same churn for 10 minutes.

Baseline: the same limiter without eviction (what the server did before windows were dropped), whose
state grows with every client ever seen. Figures come from tracemalloc; the clock is simulated.

    python bench/ratelimit.py [--clients 10000] [--minutes 10]
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.ratelimit import RateLimiter  # noqa: E402


class NeverEvicts(RateLimiter):
    def _evict_idle(self, now: float) -> None:
        pass


def churn(limiter_class, clients: int, minutes: int) -> list[tuple[int, int, float]]:
    """(minute, windows held, MiB) after each minute in which `clients` new addresses each send a request."""
    now = [1_000_000.0]
    tracemalloc.start()
    limiter = limiter_class(clock=lambda: now[0])
    figures = []
    for minute in range(minutes):
        for n in range(clients):
            limiter.hit(f"ip:{minute}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 60)
            now[0] += 60.0 / clients
        figures.append((minute + 1, len(limiter), tracemalloc.get_traced_memory()[0] / 2**20))
    tracemalloc.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--minutes", type=int, default=10)
    args = parser.parse_args()
    evicting = churn(RateLimiter, args.clients, args.minutes)
    baseline = churn(NeverEvicts, args.clients, args.minutes)
    print(f"{args.clients} new clients a minute, {args.minutes} minutes")
    print(f"{'minute':>6} {'windows':>9} {'MiB':>7} | {'baseline windows':>16} {'MiB':>7} | ratio")
    for (m, w, mib), (_, bw, bmib) in zip(evicting, baseline, strict=True):
        print(f"{m:>6} {w:>9} {mib:>7.2f} | {bw:>16} {bmib:>7.2f} | {mib / bmib:.2f}")
    first = evicting[0]
    print(f"10 000-client memory: {first[2]:.2f} MiB for {first[1]} windows "
          f"({first[2] * 2**20 / max(first[1], 1):.0f} bytes each)")
    print(f"after {args.minutes} min: {evicting[-1][2]:.2f} MiB bounded vs {baseline[-1][2]:.2f} MiB growing")


if __name__ == "__main__":
    main()
