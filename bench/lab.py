"""Benchmark of the prompt lab on the free tier (2 running tasks, 10 requests a minute), never asserted.

The same 12-song experiment is run twice on the real built-in engine, each with a fresh free-tier key:

- lab: the real app in AppTest (app_pages/lab.py, the tray's queue and poll schedule), rerun every second as
  the tray's timer would; the client's requests are counted as they leave, the page's messages read for 429s.
- naive: a loop that submits every song at once, polls whatever runs every 2 seconds, and sends again what
  a 429 refused; every 429 it gets is one a person would see.

Figures: API requests per finished song, 429 answers received, 429s shown to the person, wall time.

    python bench/lab.py [--songs 12] [--seconds 10] [--deadline 900]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from emulator import start_in_background  # noqa: E402
from lib.client import AIMusicClient, RetryConfig  # noqa: E402
from lib.errors import RateLimitError  # noqa: E402

BASE_PROMPT = "calm lofi piano with soft drums"
ALTERNATIVES = ("gentle lofi keys and vinyl crackle", "slow jazzy piano, rainy evening")
POLL_SECONDS = 2.0


class Counter:
    """Counts API requests (/v1/...) and 429 answers as a requests response hook."""

    def __init__(self):
        self.requests = self.refused = 0

    def __call__(self, response, *args, **kwargs):
        if urlsplit(response.url).path.startswith("/v1/"):
            self.requests += 1
            self.refused += response.status_code == 429
        return response


def grid(songs: int) -> list[tuple[str, int]]:
    """(prompt, take) of the experiment: 3 phrasings x songs/3 takes."""
    prompts = (BASE_PROMPT, *ALTERNATIVES)
    takes = songs // len(prompts)
    return [(prompt, take) for prompt in prompts for take in range(1, takes + 1)]


def run_lab(server, data_dir: Path, songs: int, seconds: int, deadline: float) -> dict:
    os.environ["AIMUSIC_DATA_DIR"] = str(data_dir)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.secrets["AIMUSIC_API_KEY"] = server.create_key(tier="free", credits=1000)
    at.secrets["AIMUSIC_BASE_URL"] = server.base_url
    at.run()
    counter = Counter()
    at.session_state["studio.conn"].client._session.hooks["response"].append(counter)
    at.switch_page("app_pages/lab.py").run()
    at.text_area(key="lab.base").set_value(BASE_PROMPT)
    at.text_area(key="lab.alternatives").set_value("\n".join(ALTERNATIVES))
    at.multiselect(key="lab.lengths").set_value([seconds])
    at.number_input(key="lab.takes").set_value(songs // (1 + len(ALTERNATIVES))).run()
    start = time.monotonic()
    at.button(key="lab.run").click().run()
    shown = set()
    while time.monotonic() - start < deadline:
        shown |= {str(e.value) for e in at.error if "429" in str(e.value) or "Too many" in str(e.value)}
        if any(f"{songs} done" in c.value for c in at.caption):
            break
        if at.exception:
            raise RuntimeError(f"The page failed: {at.exception[0].message}")
        time.sleep(1.0)
        at.run()
    finished = next(
        (int(c.value.split(" done")[0].split("· ")[-1]) for c in at.caption if " done" in c.value), 0
    )
    return {"finished": finished, "requests": counter.requests, "refused": counter.refused,
            "shown": len(shown), "seconds": time.monotonic() - start}  # fmt: skip


def run_naive(server, songs: int, seconds: int, deadline: float) -> dict:
    client = AIMusicClient(
        api_key=server.create_key(tier="free", credits=1000),
        base_url=server.base_url,
        retry=RetryConfig(max_retries=0),  # every 429 reaches the loop, as it would reach the person
    )
    counter = Counter()
    client._session.hooks["response"].append(counter)
    to_submit, running, finished = list(grid(songs)), set(), 0
    start = time.monotonic()
    while (to_submit or running) and time.monotonic() - start < deadline:
        for prompt, take in list(to_submit):  # everything at once
            try:
                running.add(client.suno.create_music(description=prompt, duration=seconds).task_id)
                to_submit.remove((prompt, take))
            except RateLimitError:
                pass
        time.sleep(POLL_SECONDS)
        for task_id in list(running):
            try:
                task = client.suno.get_music(task_id)
            except RateLimitError:
                continue
            if task.is_done:
                running.discard(task_id)
                finished += task.status == "completed"
    return {"finished": finished, "requests": counter.requests, "refused": counter.refused,
            "shown": counter.refused, "seconds": time.monotonic() - start}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--songs", type=int, default=12, help="a multiple of 3 (3 phrasings)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--deadline", type=float, default=900.0, help="give up on a run after this many seconds"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_in_background(Path(tmp) / "engine")
        try:
            warm = AIMusicClient(api_key=server.create_key(tier="pro", credits=100), base_url=server.base_url)
            warm.wait_for_task(warm.suno.create_music(description=BASE_PROMPT, duration=args.seconds).task_id)
            runs = {
                "lab (tray + queue)": run_lab(
                    server, Path(tmp) / "studio", args.songs, args.seconds, args.deadline
                ),
                "naive loop": run_naive(server, args.songs, args.seconds, args.deadline),
            }
        finally:
            server.stop()
    print(f"Prompt lab: a {args.songs}-song experiment of {args.seconds} s songs, free tier "
          "(2 running tasks, 10 requests/minute), built-in engine")  # fmt: skip
    heads = ("finished", "requests", "req/song", "429 got", "429 shown", "wall")
    print(f"{'run':<20} " + " ".join(f"{h:>9}" for h in heads))
    for name, run in runs.items():
        per_song = run["requests"] / run["finished"] if run["finished"] else float("inf")
        print(
            f"{name:<20} {run['finished']:>9} {run['requests']:>9} {per_song:>9.2f} {run['refused']:>9} "
            f"{run['shown']:>9} {run['seconds']:>8.0f}s"
        )
    lab, naive = runs.values()
    if lab["finished"] and naive["finished"]:
        ratio = (lab["requests"] / lab["finished"]) / (naive["requests"] / naive["finished"])
        print(f"ratio lab/naive: requests per finished song {ratio:.2f}")


if __name__ == "__main__":
    main()
