"""Timing AppTest reruns of pages against their baselines, shared by the app and stems benches.

Pages compared are rerun in turns, so a busy machine slows them alike; the benches also take each page's
reruns back to back. AppTest waits for a run in steps of about a millisecond, so one median lands on one step
or the next: each comparison is repeated, and the repeat with the median ratio is the one reported, beside
every repeat's ratio. On this machine the two ways and the repeats of one way differ by up to 0.2 in a ratio.
"""

import os
import statistics
import time

from streamlit.testing.v1 import AppTest


def connect_with(key: str, base_url: str) -> None:
    """Give the studio its key as a deployment can: in the environment. AppTest given `secrets` makes and
    swaps a new st.secrets on every run, a cost a deployment, which reads its secrets file once, never pays,
    and which fell on the studio's pages and not on their bare baselines."""
    os.environ["AIMUSIC_API_KEY"] = key
    os.environ["AIMUSIC_BASE_URL"] = base_url


def rerun_times(at: AppTest, reruns: int) -> list[float]:
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception or at.error:
            raise RuntimeError(f"The page failed: {[e.value for e in at.error] or at.exception[0].message}")
    return times


def median_rerun(at: AppTest, reruns: int) -> float:
    return statistics.median(rerun_times(at, reruns))


def medians_in_turns(reruns: int, *pages: AppTest) -> list[float]:
    """The median rerun of each page, the pages rerun in turns."""
    times = [[] for _ in pages]
    for _ in range(reruns):
        for page, page_times in zip(pages, times, strict=True):
            page_times += rerun_times(page, 1)
    return [statistics.median(page_times) for page_times in times]


def medians_back_to_back(reruns: int, *pages: AppTest) -> list[float]:
    """The median rerun of each page, each page's reruns one after the other."""
    return [median_rerun(page, reruns) for page in pages]


def repeated(
    repeats: int, reruns: int, page: AppTest, *baselines: AppTest, back_to_back: bool = False
) -> list[list[float]]:
    """`repeats` measurements of a page and its baselines, each a median of `reruns`; the pages' reruns are
    taken in turns, or with `back_to_back` each page's reruns together (page, then baselines, in every repeat,
    so a machine busy for a while slows them alike)."""
    measure = medians_back_to_back if back_to_back else medians_in_turns
    return [measure(reruns, page, *baselines) for _ in range(repeats)]


def middle(measurements: list[list[float]]) -> list[float]:
    """The measurement whose page-to-first-baseline ratio is the median one."""
    by_ratio = sorted(measurements, key=lambda medians: medians[0] / medians[1])
    return by_ratio[len(by_ratio) // 2]


def ratios(measurements: list[list[float]]) -> str:
    """Every measurement's page-to-first-baseline ratio, in the order taken."""
    return ", ".join(f"{medians[0] / medians[1]:.2f}" for medians in measurements)
