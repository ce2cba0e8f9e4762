"""Benchmarks of the Stems page and its mixer, printed as figures and ratios (never asserted).

Mix: 12 stems of a 240 s song (mp3, 192 kbit/s, 44.1 kHz stereo; synthetic parts, since decoding and
mixing cost the same whatever the music) mixed to a playable WAV by lib.mixing, beside the time of just
decoding those stems. The stems are decoded once, in the background when a split arrives; every mix then
reads the decoded PCM. A "cold" mix (Play pressed before that decode is done) decodes first.
Goal: a mix in at most 2 s.

Page: median rerun of the Stems page (app_pages/stems.py in the full app, AppTest) showing those 12 stems,
against a bare page showing 12 st.audio players of the same files, in turns and repeated (bench/reruns.py).
Goal: at most 1.5x. Beside them, the page's 12 rows alone (lib.ui.mixer's rows and nothing else: no sidebar,
song picker, presets, mix or downloads): how much of that budget the rows the page must show already take.

Session: peak Python memory of one stems session (page runs, a mix played), what st.session_state holds
(no audio bytes may be there), and the audio the players keep in memory for every session (lib.ui.players:
the very bytes st.audio serves, read once instead of on every rerun).

    python bench/stems.py [--stems 12] [--seconds 240] [--reruns 15] [--repeats 5]
"""

import argparse
import os
import pickle
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.reruns import connect_with, middle, ratios, repeated  # noqa: E402
from emulator import start_in_background  # noqa: E402
from lib import mixing  # noqa: E402
from lib.mixing import Channel  # noqa: E402
from lib.models import Task  # noqa: E402
from lib.stems import StemShelf  # noqa: E402
from lib.store import Library  # noqa: E402
from lib.ui import mixer, players  # noqa: E402
from lib.workspace import owner_id  # noqa: E402

RATE = 44100
NAMES = (
    "lead_vocals", "backing_vocals", "drums", "bass", "piano", "guitar", "synth", "strings", "brass", "other",
    "pad", "fx",
)  # fmt: skip


def make_stems(folder: Path, count: int, seconds: int) -> dict[str, Path]:
    """`count` mp3 stems: each a tone with a little noise, so the encoder has real work (as with music)."""
    rng = np.random.default_rng(0)
    time_axis = np.arange(seconds * RATE) / RATE
    stems = {}
    for i, name in enumerate(NAMES[:count]):
        tone = 0.05 * np.sin(2 * np.pi * (110 * (i + 1)) * time_axis) + 0.01 * rng.standard_normal(
            time_axis.size
        )
        wav = folder / f"{name}.src.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(np.repeat(np.rint(tone * 32767).astype("<i2")[:, None], 2, axis=1).tobytes())
        stems[name] = folder / f"{name}.mp3"
        stems[name].write_bytes(mixing.mp3_of(wav))
        wav.unlink()
    return stems


def fresh_copies(stems: dict[str, Path], folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    copies = {}
    for name, path in stems.items():
        copies[name] = folder / path.name
        copies[name].write_bytes(path.read_bytes())
    return copies


def bench_mix(stems: dict[str, Path], work: Path) -> None:
    settings = {"lead_vocals": Channel(mute=True), "drums": Channel(gain_db=3.0)}
    cold = fresh_copies(stems, work / "decode-only")
    start = time.perf_counter()
    for path in cold.values():
        mixing.decoded(path)
    decode_only = time.perf_counter() - start

    first = fresh_copies(stems, work / "first")
    start = time.perf_counter()
    rendered = mixing.render(mixing.decode_all(first), settings, work / "first-mix.wav")
    cold_mix = time.perf_counter() - start

    times = []
    for i in range(5):
        start = time.perf_counter()
        wavs = mixing.decode_all(first)  # already decoded (ahead, when the split arrived): a stat each
        mixing.render(wavs, {**settings, "bass": Channel(gain_db=-float(i))}, work / f"mix{i}.wav")
        times.append(time.perf_counter() - start)
    mix = statistics.median(times)
    start = time.perf_counter()
    mp3 = mixing.mp3_of(rendered.path)
    encode = time.perf_counter() - start

    ratio = f"ratio to decode only {mix / decode_only:.2f}"
    cold_ratio = f"ratio to decode only {cold_mix / decode_only:.2f}"
    lines = (
        f"Mix: {len(stems)} stems of {rendered.seconds:.0f} s (mp3 192 kbit/s, 44.1 kHz stereo) to a WAV",
        f"decode only     {decode_only:6.2f} s  the stems to PCM one after the other, nothing else",
        f"mix             {mix:6.2f} s  median of 5 on decoded PCM (any Play after the split's background",
        f"                          decode)   {ratio}",
        f"cold mix        {cold_mix:6.2f} s  decode ({mixing.DECODERS} at a time) + mix: Play pressed before",
        f"                          that decode is done   {cold_ratio}",
        f"mp3 of the mix  {encode:6.2f} s  {len(mp3) / 1e6:.1f} MB; made only when downloaded or kept",
        f"goal <= 2 s: mix {_met(mix <= 2)}, cold mix {_met(cold_mix <= 2)}",
    )
    print("\n".join(lines))


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def seed(data_dir: Path, key: str, stems: dict[str, Path], seconds: int) -> str:
    """A song in the key's library with these stems kept, as a finished stems_full task would leave it."""
    library, owner = Library(data_dir / "library.db", data_dir / "audio"), owner_id(key)
    song_task = Task("task_benchsong", "pending")
    library.record_submission(
        owner, song_task, model="suno", call="suno.create_music", params={"description": "bench song"}
    )
    clip = {"id": "clip_benchsong", "audio_url": "http://bench.invalid/song.mp3", "title": "Bench song",
            "duration": seconds, "metadata": {"model": "suno"}}  # fmt: skip
    library.record_update(
        owner, Task.from_dict({"task_id": "task_benchsong", "status": "completed", "clips": [clip]})
    )
    song = stems[NAMES[0]].read_bytes()
    library.cache_audio(owner, "clip_benchsong", lambda _url: song)
    links = {f"{name}_url": f"http://bench.invalid/{name}.mp3" for name in stems}
    split = Task.from_dict({"task_id": "task_benchstems", "status": "completed", "stems": links})
    shelf = StemShelf(library)
    kept = shelf.keep(owner, "clip_benchsong", "full", split)
    by_link = {f"http://bench.invalid/{name}.mp3": path.read_bytes() for name, path in stems.items()}
    shelf.download(owner, kept, by_link.__getitem__, lambda task_id: split)
    return "clip_benchsong"


def bare_page(stems: dict[str, Path]) -> AppTest:
    paths = [str(p) for p in stems.values()]
    script = f"import streamlit as st\nfor path in {paths!r}:\n    st.audio(path, format='audio/mpeg')\n"
    return AppTest.from_string(script, default_timeout=120)


ROWS_ALONE = """
import streamlit as st
from lib.store import Library
from lib.stems import StemShelf
from lib.ui import mixer


@st.cache_resource
def song():  # read once, as the page's own reads are kept between reruns: only the rows are timed
    library = Library({db!r}, {audio!r})
    return library.clip({owner!r}, {clip_id!r}), StemShelf(library).get({owner!r}, {clip_id!r}, "full")


clip, kept = song()
for stem in kept.parts:
    mixer._stem_row(stem, clip, key="stems")
"""


def rows_alone_page(data_dir: Path, key: str, clip_id: str) -> AppTest:
    """A script drawing only the Stems page's rows of the song's full stems, as the page draws them."""
    script = ROWS_ALONE.format(
        db=str(data_dir / "library.db"), audio=str(data_dir / "audio"), owner=owner_id(key), clip_id=clip_id
    )
    return AppTest.from_string(script, default_timeout=120)


def audio_in_state(at: AppTest) -> list[str]:
    """Keys of st.session_state holding audio-sized binary data, looking inside objects and lists."""
    found = []

    def walk(name: str, value, depth: int) -> None:
        if isinstance(value, bytes | bytearray | memoryview | np.ndarray) and len(value) > 1024:
            found.append(name)
        elif depth and isinstance(value, dict):
            for k, v in value.items():
                walk(f"{name}[{k!r}]", v, depth - 1)
        elif depth and isinstance(value, list | tuple | set):
            for i, v in enumerate(value):
                walk(f"{name}[{i}]", v, depth - 1)
        elif depth and hasattr(value, "__dict__"):
            for k, v in vars(value).items():
                walk(f"{name}.{k}", v, depth - 1)

    for key, value in at.session_state.to_dict().items():
        walk(key, value, 4)
    return found


def state_size(at: AppTest) -> int:
    """Pickled size of what session_state holds, leaving out what does not pickle (the live connection)."""
    total = 0
    for value in at.session_state.to_dict().values():
        try:
            total += len(pickle.dumps(value))
        except Exception:
            continue
    return total


def open_stems(key: str, base_url: str, clip_id: str) -> AppTest:
    """A session of the full app on the Stems page, the song's full stems shown."""
    connect_with(key, base_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.query_params["clip"] = clip_id
    at.switch_page("app_pages/stems.py").run()
    at.radio(key="stems.kind").set_value("full").run()
    if at.exception or at.error:
        raise RuntimeError(f"The page failed: {[e.value for e in at.error] or at.exception}")
    start = time.perf_counter()
    while mixer._DECODING:  # the page decodes the stems ahead in the background: not part of a rerun
        time.sleep(0.1)
    at.decoded_ahead_seconds = time.perf_counter() - start
    return at


def play(at: AppTest, muted: str) -> float:
    start = time.perf_counter()
    at.toggle(key=f"stems.mute.{muted}").set_value(True)
    at.button(key="stems.play").click().run()
    if at.exception or at.error:
        raise RuntimeError(f"The page failed: {[e.value for e in at.error] or at.exception}")
    return time.perf_counter() - start


def bench_page(stems: dict[str, Path], tmp: Path, args) -> None:
    data_dir = tmp / "data"
    os.environ["AIMUSIC_DATA_DIR"] = str(data_dir)
    server = start_in_background(tmp / "emulator")
    try:
        key = server.create_key(tier="pro", credits=1000)
        clip_id = seed(data_dir, key, stems, args.seconds)
        at = open_stems(key, server.base_url, clip_id)  # the first view measures each waveform once
        decoded_ahead = at.decoded_ahead_seconds
        rows = len(at.select_slider)
        bare = bare_page(stems)
        bare.run()
        rows_alone = rows_alone_page(data_dir, key, clip_id)
        rows_alone.run()
        measurements = repeated(args.repeats, args.reruns, at, bare, rows_alone)
        page_median, bare_median, rows_median = middle(measurements)
        first_play = play(at, NAMES[0])

        tracemalloc.start()  # a second visitor's session, traced: open the page, play a mix, rerun
        visitor = open_stems(key, server.base_url, clip_id)
        second_play = play(visitor, NAMES[1])
        visitor.run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        in_state = audio_in_state(visitor)
        state_bytes, state_count = state_size(visitor), len(visitor.session_state.to_dict())
    finally:
        server.stop()
    print(f"Page: {rows} stem rows, median of {args.reruns} reruns of each page, in turns (AppTest)")
    print(f"stems page       {page_median * 1000:8.1f} ms  (the whole app: sidebar, navigation, tray, page)")
    print(f"bare page        {bare_median * 1000:8.1f} ms  (a script with {rows} st.audio of the same files)")
    print(f"rows alone       {rows_median * 1000:8.1f} ms  (a script with only the page's {rows} rows)")
    print(f"ratio stems page / bare page: {page_median / bare_median:.2f} (goal <= 1.5; the median of "
          f"{args.repeats} repeats: {ratios(measurements)})")  # fmt: skip
    fastest_bare = min(medians[1] for medians in measurements)
    each = ", ".join(f"{medians[1] * 1000:.1f}" for medians in measurements)
    print(f"the bare page's median in each repeat: {each} ms "
          f"(it reads the {rows} files on every rerun, fast or slow as memory is reused or not); the stems "
          f"page against its fastest: {page_median / fastest_bare:.2f}")  # fmt: skip
    fastest = min(measurements, key=lambda medians: medians[1])
    print(f"rows alone / bare page: {rows_median / bare_median:.2f}, against the fastest bare page "
          f"{fastest[2] / fastest[1]:.2f} (in the same repeat): the floor of the ratio with these rows; the "
          f"rest of the page adds {(page_median - rows_median) * 1000:.1f} ms")  # fmt: skip
    print(f"Play my mix in the page (rerun included): {first_play:.2f} s, another session's "
          f"{second_play:.2f} s; the stems were decoded ahead, {decoded_ahead:.1f} s after the page opened")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"Session: peak Python memory {peak / 1e6:.1f} MB (tracemalloc; decoded PCM is memory-mapped), "
          f"bench process peak RSS {rss:.0f} MB; session_state holds {state_count} values, "
          f"{state_bytes / 1024:.1f} KB pickled (without the live connection)")  # fmt: skip
    print(f"audio bytes in st.session_state: {', '.join(in_state) if in_state else 'none'}; the players keep "
          f"{players.kept_bytes() / 1e6:.0f} MB of audio for all sessions (at most {players.MAX_BYTES / 1e6:.0f} MB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stems", type=int, default=12, choices=range(2, len(NAMES) + 1), metavar="2..12")
    parser.add_argument("--seconds", type=int, default=240)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument(
        "--repeats", type=int, default=5, help="measurements of the page against the bare page"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        start = time.perf_counter()
        stems = make_stems(tmp, args.stems, args.seconds)
        load = os.getloadavg()[0]
        print(f"({args.stems} stems of {args.seconds} s made in {time.perf_counter() - start:.1f} s; load "
              f"average {load:.1f} on {os.cpu_count()} cores: a busy machine slows all figures)")  # fmt: skip
        bench_mix(stems, tmp / "mix")
        bench_page(stems, tmp, args)


if __name__ == "__main__":
    main()
