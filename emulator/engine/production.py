"""From arrangement to finished audio: render (on worker processes), master, and split into stems."""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .mastering import default_fade_out, mastering_gain, tone_shape
from .midi import arrangement_to_midi
from .model import Arrangement, Track
from .render import SOUNDFONT_PATH, fit_length, resample, wav_bytes_to_array
from .tables.limits import INSTRUMENT_STEMS
from .units import seconds_to_samples
from .vocals import sing, sings_words

WORKERS = 2  # renders at once in this process: one per core
RENDER_TIMEOUT = 900  # seconds: far beyond a 10-minute song's render, short of hanging forever
GROUP_TRACK_COST = 200  # a render's fixed cost (effects run on silence too), in notes
RENDER_SCRIPT = (
    "import pathlib, sys, midirenderer; "
    "sys.stdout.buffer.write(midirenderer.render_wave_from(pathlib.Path(sys.argv[1]).read_bytes(), sys.stdin.buffer.read()))"
)
_slots = threading.BoundedSemaphore(WORKERS)


def _render_in_subprocess(midi: bytes) -> bytes:
    command = [sys.executable, "-I", "-c", RENDER_SCRIPT, str(SOUNDFONT_PATH)]
    with _slots:
        try:
            done = subprocess.run(
                command, input=midi, capture_output=True, check=False, timeout=RENDER_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(
                f"The soundfont renderer took longer than {RENDER_TIMEOUT} s and was stopped."
            ) from None
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        raise RuntimeError(f"The soundfont renderer failed: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout


def synthesize(midis: list[bytes], convert=None) -> list:
    """Render MIDI files to WAV bytes, each in its own short-lived Python process, two at a time.

    midirenderer holds the GIL while it runs; in a child process it neither freezes the caller (a server
    stays responsive) nor serialises parallel renders. `convert`, if given, turns each WAV into what the
    caller keeps, on the same worker thread, so converting one render overlaps the next render.
    """

    def job(midi: bytes):
        wav = _render_in_subprocess(midi)
        return convert(wav) if convert else wav

    if len(midis) == 1:
        return [job(midis[0])]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(job, midis))


def soundfont_tracks(arrangement: Arrangement) -> list[Track]:
    """The tracks the soundfont plays: all with notes, but the lead vocal when the singer sings it."""
    sung = sings_words(arrangement)
    return [t for t in arrangement.tracks if t.notes and not (sung and t.stem == "lead_vocals")]


def stem_groups(arrangement: Arrangement) -> dict[str, list]:
    tracks = soundfont_tracks(arrangement)
    groups = {stem: [t for t in tracks if t.stem == stem] for stem in INSTRUMENT_STEMS}
    return {stem: tracks for stem, tracks in groups.items() if tracks}


def _with_singer(arrangement: Arrangement, sample_rate: int, render):
    """render() (the soundfont's work, in child processes) while the singer sings in another one."""
    if not sings_words(arrangement):
        return render(), {}
    with ThreadPoolExecutor(max_workers=1) as side:
        sung = side.submit(sing, arrangement, sample_rate)
        rendered = render()
        return rendered, sung.result()


def _stem_audio(arrangement: Arrangement, sample_rate: int) -> dict[str, np.ndarray]:
    """Each stem rendered alone (two at a time), at sample_rate, exactly as long as the song.

    Every stem gets the synthesizer's full polyphony, and the stems add up to their mix by construction.
    """

    def convert(wav: bytes) -> np.ndarray:
        audio, rate = wav_bytes_to_array(wav)
        audio = _exact_length(resample(audio, rate, sample_rate), arrangement, sample_rate)
        return tone_shape(audio, sample_rate)

    groups = stem_groups(arrangement)
    end = arrangement.duration + 0.05
    midis = [arrangement_to_midi(arrangement, tracks, end_seconds=end) for tracks in groups.values()]
    rendered, sung = _with_singer(
        arrangement, sample_rate, lambda: synthesize(midis, convert) if midis else []
    )
    stems = dict(zip(groups, rendered, strict=True))
    for stem, audio in sung.items():
        shaped = tone_shape(audio, sample_rate)
        stems[stem] = stems[stem] + shaped if stem in stems else shaped
    return stems


def _gain(mix: np.ndarray, sample_rate: int, arrangement: Arrangement, fade_out: bool) -> np.ndarray:
    return mastering_gain(mix, sample_rate, default_fade_out(arrangement.duration) if fade_out else 0.0)


def _exact_length(audio: np.ndarray, arrangement: Arrangement, sample_rate: int) -> np.ndarray:
    return fit_length(audio, seconds_to_samples(arrangement.duration, sample_rate))


def mix_groups(arrangement: Arrangement, count: int = WORKERS) -> list[list[Track]]:
    """The tracks in `count` groups of similar weight (by note count), one render per core."""
    groups: list[list[Track]] = [[] for _ in range(count)]
    loads = [0] * count
    for track in sorted(soundfont_tracks(arrangement), key=lambda t: (-len(t.notes), t.name)):
        lightest = loads.index(min(loads))
        groups[lightest].append(track)
        loads[lightest] += len(track.notes) + GROUP_TRACK_COST
    return [g for g in groups if g]


def render_song(arrangement: Arrangement, sample_rate: int, fade_out: bool = True) -> np.ndarray:
    """The finished mix at sample_rate: the tracks rendered in two halves on both cores, summed, mastered.

    Each half has the synthesizer's full polyphony, so dense songs lose no notes to voice stealing, and
    the mix matches the sum of the separately rendered stems.
    """
    end = arrangement.duration + 0.05
    midis = [arrangement_to_midi(arrangement, g, end_seconds=end) for g in mix_groups(arrangement)]
    parts, sung = _with_singer(
        arrangement, sample_rate, lambda: synthesize(midis, convert=wav_bytes_to_array)
    )
    rate = parts[0][1] if parts else sample_rate
    length = seconds_to_samples(arrangement.duration, rate)
    mix = fit_length(parts[0][0], length) if parts else np.zeros((length, 2), np.float32)
    for audio, _ in parts[1:]:  # summed in place: full-size temporaries are dear (fresh memory)
        mix += fit_length(audio, length)
    mix = _exact_length(resample(mix, rate, sample_rate), arrangement, sample_rate)
    for audio in sung.values():
        mix += audio
    mix = tone_shape(mix, sample_rate)
    mix *= _gain(mix, sample_rate, arrangement, fade_out)[:, None]
    return mix


def render_stems(arrangement: Arrangement, sample_rate: int, fade_out: bool = True) -> dict[str, np.ndarray]:
    """Every stem under the gain curve of the mix, plus "mix" and "background" (all but the lead voice)."""
    stems = _stem_audio(arrangement, sample_rate)
    mix = np.sum(list(stems.values()), axis=0)
    gain = _gain(mix, sample_rate, arrangement, fade_out)[:, None]
    for audio in stems.values():
        audio *= gain
    stems["mix"] = (mix * gain).astype(np.float32)
    stems["background"] = (stems["mix"] - stems.get("lead_vocals", 0.0)).astype(np.float32)
    return stems
