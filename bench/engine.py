"""Engine speed on this machine: a 240 s full-band song with sung lyrics to mp3 (and against the same song
with the wordless voice), the singer beside the soundfont, full stems, and the soundfont render step
against the fluidsynth command-line renderer on the same MIDI and soundfont.

    python bench/engine.py [--seconds 240]

Prints wall and CPU seconds (and the load average: on a shared machine the wall time is inflated, the CPU
time much less); asserts nothing. Speed goals on 2 cores:
create + mp3 <= 8 s, vocal synthesis <= 3 s, stems <= 20 s.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator import engine  # noqa: E402
from emulator.engine.midi import arrangement_to_midi  # noqa: E402
from emulator.engine.model import Arrangement  # noqa: E402
from emulator.engine.production import mix_groups, synthesize  # noqa: E402
from emulator.engine.render import SOUNDFONT_PATH  # noqa: E402
from emulator.engine.vocals import sing  # noqa: E402

PROMPT = "energetic rock song with drums, bass, electric guitar, piano, strings, brass and synth"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (renders, the singer): load does not inflate it."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, action, seconds: float):
    start, cpu = time.perf_counter(), cpu_seconds()
    value = action()
    elapsed = time.perf_counter() - start
    print(
        f"{label:50s} {elapsed:6.2f} s   {seconds / elapsed:6.1f}x real time   "
        f"cpu {cpu_seconds() - cpu:6.2f} s"
    )
    return value, elapsed


def fluidsynth_render(midi: bytes, workdir: Path) -> None:
    source, target = workdir / "song.mid", workdir / "song.wav"
    source.write_bytes(midi)
    command = ["fluidsynth", "-ni", "-q", "-r", "48000", "-F", str(target), str(SOUNDFONT_PATH), str(source)]
    subprocess.run(command, check=True, capture_output=True)


def load() -> str:
    return "load average " + " ".join(f"{v:.1f}" for v in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240.0)
    seconds = parser.parse_args().seconds
    request = engine.SongRequest(PROMPT, duration=seconds, voice_gender="mixed", seed=1)
    print(f"{seconds:.0f} s song: {PROMPT!r} (mixed voices, written lyrics)\n{load()}\n")

    def song_to_mp3(singing):
        def make():
            result = engine.create(engine.SongRequest(**{**request.__dict__, "singing": singing}))
            return result, engine.encode(result.audio, result.sample_rate, "mp3")

        return make

    short = engine.create(engine.SongRequest(PROMPT, duration=5.0, seed=1))  # warm-up: imports, caches
    engine.encode(short.audio, short.sample_rate, "mp3")
    (result, mp3), total = timed("create + mp3, sung words (goal <= 8 s)", song_to_mp3("words"), seconds)
    _, wordless = timed("create + mp3, wordless voice", song_to_mp3("wordless"), seconds)
    print(f"  ratio sung / wordless: {total / wordless:.2f}x")
    arrangement = Arrangement.from_dict(result.arrangement)
    notes = sum(len(t.notes) for t in arrangement.tracks)
    print(f"  {len(arrangement.tracks)} tracks, {notes} notes, mp3 {len(mp3) / 1e6:.1f} MB")
    print(f"  sung in {result.metadata['sung_language']}: {result.metadata['voice']}")
    timed("  of which mp3 encoding", lambda: engine.encode(result.audio, result.sample_rate, "mp3"), seconds)

    print("\nThe singer beside the soundfont (each alone):")
    _, voice = timed(
        "  vocal synthesis, singer process (goal <= 3 s)", lambda: sing(arrangement, 44100), seconds
    )
    groups = [arrangement_to_midi(arrangement, g) for g in mix_groups(arrangement)]
    _, band = timed("  instruments, soundfont in two halves", lambda: synthesize(groups), seconds)
    print(f"  ratio voice / instruments: {voice / band:.2f}x")

    source = engine.Source(arrangement=result.arrangement)
    stems, _ = timed(
        "\nfull stems, 2 renders at a time (goal <= 20 s)", lambda: engine.stems(source, "full"), seconds
    )
    print(f"  {len(stems.tracks)} stems: {', '.join(stems.tracks)}")

    midi = arrangement_to_midi(arrangement)
    print("\nRender step only, the whole MIDI file in one pass, same soundfont:")
    _, ours = timed("  midirenderer (one process)", lambda: synthesize([midi]), seconds)
    timed("  midirenderer, two halves on two cores (engine)", lambda: synthesize(groups), seconds)
    if shutil.which("fluidsynth"):
        with tempfile.TemporaryDirectory() as workdir:
            _, theirs = timed(
                "  fluidsynth CLI (-F fast render)", lambda: fluidsynth_render(midi, Path(workdir)), seconds
            )
        print(f"  ratio midirenderer / fluidsynth: {ours / theirs:.2f}x fluidsynth's time")
    else:
        print("  fluidsynth CLI not installed: no comparison")
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
