"""Engine speed on this machine: a 240 s full-band song to mp3, its full stems, and the soundfont render
step against the fluidsynth command-line renderer on the same MIDI and soundfont.

    python bench/engine.py [--seconds 240]

Prints figures; asserts nothing (speed goals: mp3 <= 8 s, stems <= 20 s on 2 cores).
"""

import argparse
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

PROMPT = "energetic rock song with drums, bass, electric guitar, piano, strings, brass and synth"


def timed(label: str, action, seconds: float):
    start = time.perf_counter()
    value = action()
    elapsed = time.perf_counter() - start
    print(f"{label:50s} {elapsed:6.2f} s   {seconds / elapsed:6.1f}x real time")
    return value, elapsed


def fluidsynth_render(midi: bytes, workdir: Path) -> None:
    source, target = workdir / "song.mid", workdir / "song.wav"
    source.write_bytes(midi)
    command = ["fluidsynth", "-ni", "-q", "-r", "48000", "-F", str(target), str(SOUNDFONT_PATH), str(source)]
    subprocess.run(command, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240.0)
    seconds = parser.parse_args().seconds
    request = engine.SongRequest(PROMPT, duration=seconds, voice_gender="mixed", seed=1)
    print(f"{seconds:.0f} s song: {PROMPT!r} (mixed voices)\n")

    def song_to_mp3():
        result = engine.create(request)
        return result, engine.encode(result.audio, result.sample_rate, "mp3")

    (result, mp3), total = timed("create + mp3 (goal <= 8 s)", song_to_mp3, seconds)
    arrangement = Arrangement.from_dict(result.arrangement)
    notes = sum(len(t.notes) for t in arrangement.tracks)
    print(f"  {len(arrangement.tracks)} tracks, {notes} notes, mp3 {len(mp3) / 1e6:.1f} MB")
    timed("  of which mp3 encoding", lambda: engine.encode(result.audio, result.sample_rate, "mp3"), seconds)

    source = engine.Source(arrangement=result.arrangement)
    stems, _ = timed(
        "full stems, 2 renders at a time (goal <= 20 s)", lambda: engine.stems(source, "full"), seconds
    )
    print(f"  {len(stems.tracks)} stems: {', '.join(stems.tracks)}")

    midi = arrangement_to_midi(arrangement)
    print("\nRender step only, the whole MIDI file in one pass, same soundfont:")
    _, ours = timed("  midirenderer (one process)", lambda: synthesize([midi]), seconds)
    groups = [arrangement_to_midi(arrangement, g) for g in mix_groups(arrangement)]
    timed("  midirenderer, two halves on two cores (engine)", lambda: synthesize(groups), seconds)
    if shutil.which("fluidsynth"):
        with tempfile.TemporaryDirectory() as workdir:
            _, theirs = timed(
                "  fluidsynth CLI (-F fast render)", lambda: fluidsynth_render(midi, Path(workdir)), seconds
            )
        print(f"  ratio midirenderer / fluidsynth: {ours / theirs:.2f}x fluidsynth's time")
    else:
        print("  fluidsynth CLI not installed: no comparison")


if __name__ == "__main__":
    main()
