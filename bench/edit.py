"""Time of a whole-song chain on the built-in engine: a 30 s song extended step by step to `--target`
seconds (at most 240), then concatenated, over HTTP with the real client (lib.whole_song plans the steps).

Prints each step's wall time and the total, beside the baseline of making one song of the same length
directly (create-music of `--target` seconds), so the figure reads as a ratio, not an absolute.

    python bench/edit.py [--target 240]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emulator import start_in_background  # noqa: E402
from lib import whole_song  # noqa: E402
from lib.client import AIMusicClient  # noqa: E402

START_SECONDS = 30


def timed(client: AIMusicClient, task) -> tuple[float, object]:
    began = time.perf_counter()
    done = client.wait_for_task(task.task_id, "suno", timeout=900)
    if done.status != "completed":
        raise SystemExit(f"a step failed: {done.raw}")
    return time.perf_counter() - began, done.clips[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=int, default=whole_song.MAX_TARGET)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir, start_in_background(data_dir) as server:
        key = server.create_key(tier="enterprise", credits=100_000)
        with AIMusicClient(api_key=key, base_url=server.base_url, timeout=60) as client:
            made, song = timed(
                client, client.suno.create_music(description="upbeat pop song", duration=START_SECONDS)
            )
            plan = whole_song.plan_chain(song.duration, args.target)
            print(f"start: {START_SECONDS} s song in {made:.1f} s; plan {plan.steps} -> {args.target} s")
            began, parts = time.perf_counter(), [song.id]
            for number, seconds in enumerate(plan.steps, 1):
                took, clip = timed(client, client.suno.extend_music(audio_id=parts[-1], duration=seconds))
                parts.append(clip.id)
                print(f"  step {number}: +{seconds} s in {took:.1f} s")
            took, whole = timed(client, client.suno.concat_music(clip_ids=parts))
            chain = time.perf_counter() - began
            print(f"  join: {whole.duration:.1f} s song in {took:.1f} s")
            baseline, _ = timed(
                client, client.suno.create_music(description="upbeat pop song", duration=args.target)
            )
    print(f"whole-song chain to {args.target} s: {chain:.1f} s")
    print(
        f"baseline, one {args.target} s song made directly: {baseline:.1f} s (chain/baseline {chain / baseline:.2f}x)"
    )


if __name__ == "__main__":
    main()
