"""The synthetic singer: measured on the lead-vocal stem of songs with known lyrics."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import parselmouth
import pytest

from emulator import engine
from emulator.engine.model import Arrangement
from emulator.engine.singer.espeak import library_paths
from emulator.engine.singer.language import LANGUAGES, detect_language
from emulator.engine.units import beats_to_seconds

SR = engine.SAMPLE_RATE
LYRICS = """[Verse 1]
We are dancing in the summer tonight
Every window open to the light
Hold me closer, everything is bright
Feel the summer and it feels so right

[Chorus]
Oh summer, summer, take me higher
Let the music carry us away
Every little spark of our desire
Oh summer, summer, take me higher
"""


def sing(lyrics, duration=30.0, text="pop song 100 bpm", **kwargs):
    return engine.create(engine.SongRequest(text, duration=duration, lyrics=lyrics, seed=5, **kwargs))


def rms(audio):
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if len(audio) else 0.0


@pytest.fixture(scope="module")
def song():
    return sing(LYRICS, duration=50.0)


@pytest.fixture(scope="module")
def stems(song):
    return engine.stems(engine.Source(arrangement=song.arrangement), "full")


@pytest.fixture(scope="module")
def lead(stems):
    return stems.tracks["lead_vocals"][:, 0].astype(np.float64)


@pytest.fixture(scope="module")
def notes(song):
    """(onset s, end s, MIDI pitch) of the lead singer's notes."""
    arrangement = Arrangement.from_dict(song.arrangement)
    track = next(t for t in arrangement.tracks if t.stem == "lead_vocals")
    tempo = arrangement.tempo
    return [
        (beats_to_seconds(n.start, tempo), beats_to_seconds(n.end, tempo), n.pitch)
        for n in sorted(track.notes, key=lambda n: n.start)
    ]


@pytest.fixture(scope="module")
def pitch_track(lead):
    pitch = parselmouth.Sound(lead, SR).to_pitch(time_step=0.01, pitch_floor=70.0, pitch_ceiling=1000.0)
    return pitch.xs(), pitch.selected_array["frequency"]


def lines_of(notes, gap=0.2):
    lines = [[notes[0]]]
    for note in notes[1:]:
        (lines[-1].append if note[0] - lines[-1][-1][1] < gap else lambda n: lines.append([n]))(note)
    return lines


def test_the_song_is_sung_in_words_by_the_synthetic_singer(song):
    assert song.metadata["singing"] == "words" and song.metadata["sung_language"] == "en"
    assert "synthetic singer" in song.metadata["voice"] and "does not pronounce" not in song.metadata["voice"]


def test_the_pitch_follows_the_melody_within_50_cents(notes, pitch_track):
    times, freqs = pitch_track
    errors = []
    for onset, end, midi in notes:
        inside = (times > onset + 0.05) & (times < end - 0.03) & (freqs > 0)
        errors.extend(np.abs(1200 * np.log2(freqs[inside] / (440 * 2 ** ((midi - 69) / 12)))))
    assert len(errors) > 0.5 * sum(max(0, (end - onset - 0.08) / 0.01) for onset, end, _ in notes)
    assert np.median(errors) <= 50


def test_syllables_change_pitch_on_their_notes_onsets(notes, pitch_track):
    """Where the tune steps by 2+ semitones between joined notes, the sung pitch crosses halfway on time."""
    times, freqs = pitch_track
    offsets = []
    for (_, end, low), (onset, after, high) in zip(notes, notes[1:], strict=False):
        if onset - end > 0.1 or abs(high - low) < 2 or after - onset < 0.15:
            continue
        window = (times > onset - 0.15) & (times < onset + 0.15) & (freqs > 0)
        midi = 69 + 12 * np.log2(freqs[window] / 440)
        middle = (low + high) / 2
        crossed = np.nonzero(np.sign(midi - middle) == np.sign(high - low))[0]
        if len(crossed):
            offsets.append(times[window][crossed[0]] - onset)
    assert len(offsets) >= 10
    assert np.median(np.abs(offsets)) <= 0.03
    assert np.mean(np.abs(offsets) <= 0.06) >= 0.9


def test_every_line_starts_on_its_first_note(notes, lead):
    for line in lines_of(notes):
        onset = line[0][0]
        span = lead[int((onset - 0.3) * SR) : int((onset + 0.3) * SR)]
        envelope = np.sqrt(np.convolve(span**2, np.ones(220) / 220, mode="same"))
        loud = np.nonzero(envelope > 0.25 * envelope.max())[0]
        assert abs(loud[0] / SR - 0.3) <= 0.06, (
            f"line at {onset:.2f} s starts {loud[0] / SR - 0.3:+.3f} s off"
        )


def test_every_lyric_line_is_sung(song, notes, lead, pitch_track):
    times, freqs = pitch_track
    lines = lines_of(notes)
    sung_lines = [line for _, _, texts in song.arrangement["info"]["plan"] for line in texts]
    assert len(lines) == len(sung_lines) >= 8
    whole = rms(lead)
    for line in lines:
        start, end = line[0][0], line[-1][1]
        voiced = np.mean(freqs[(times >= start) & (times <= end)] > 0)
        assert voiced >= 0.5 and rms(lead[int(start * SR) : int(end * SR)]) >= 0.5 * whole


def test_the_voice_is_silent_where_the_melody_rests(notes, lead):
    first = notes[0][0]
    assert np.max(np.abs(lead[: int((first - 0.4) * SR)])) == 0.0  # the intro, before the first breath
    sung = rms(lead[int(first * SR) : int(notes[-1][1] * SR)])
    rests = [
        (end, onset)
        for (_, end, _), (onset, _, _) in zip(notes, notes[1:], strict=False)
        if onset - end > 1.6
    ]
    for end, onset in rests:
        quiet = lead[int((end + 0.9) * SR) : int((onset - 0.4) * SR)]
        assert rms(quiet) < 0.003 * sung


def test_chorus_harmonies_are_quieter_and_on_the_backing_stem(stems):
    lead, backing = stems.tracks["lead_vocals"], stems.tracks["backing_vocals"]
    assert 0 < rms(backing) < rms(lead)


def test_sung_stems_still_sum_to_the_mix(song, stems):
    names = [n for n in engine.STEM_NAMES if n in stems.tracks and n not in ("mix", "background")]
    total = sum(stems.tracks[n] for n in names)
    assert 20 * np.log10(rms(total - song.audio) / rms(song.audio)) <= -40
    assert np.allclose(
        stems.tracks["background"], stems.tracks["mix"] - stems.tracks["lead_vocals"], atol=1e-6
    )


def test_same_request_and_seed_give_the_same_bytes(song):
    again = sing(LYRICS, duration=50.0)
    assert again.audio.tobytes() == song.audio.tobytes()


def test_wordless_voice_is_still_a_choice():
    wordless = sing(LYRICS, duration=12.0, singing="wordless")
    assert wordless.metadata["singing"] == "wordless" and "does not pronounce" in wordless.metadata["voice"]
    with pytest.raises(ValueError, match="singing"):
        engine.SongRequest("pop", lyrics=LYRICS, singing="rap")


def test_instrumental_songs_have_no_voice():
    result = sing(LYRICS, duration=12.0, instrumental=True)
    assert result.metadata["singing"] is None and result.metadata["voice_gender"] is None
    stems = engine.stems(engine.Source(arrangement=result.arrangement), "full")
    assert "lead_vocals" not in stems.tracks or rms(stems.tracks["lead_vocals"]) == 0.0


def test_russian_lyrics_are_sung_in_russian():
    result = sing("Я люблю тебя, моя звезда\nТы со мной сегодня навсегда", duration=12.0)
    assert result.metadata["sung_language"] == "ru"
    lead = engine.stems(engine.Source(arrangement=result.arrangement), "full").tracks["lead_vocals"]
    assert rms(lead) > 0.01


def test_lyrics_in_a_script_without_a_voice_fall_back_to_the_wordless_voice():
    result = sing("สวัสดีครับ ฉันรักเธอ\nคืนนี้เราจะเต้นรำ", duration=12.0)
    assert result.metadata["singing"] == "words" and result.metadata["sung_language"] is None
    assert "wordless voice" in " ".join(result.metadata["notes"])
    assert "does not pronounce" in result.metadata["voice"]
    assert rms(engine.stems(engine.Source(arrangement=result.arrangement), "full").tracks["lead_vocals"]) > 0


def test_labels_directions_and_emoji_are_not_sung():
    lyrics = (
        "Verse 1:\nWalking 2 the store at 5 p.m. (x2)\n🔥🔥🔥\n...\n"
        "[Chorus]\nDr. Smith is in (x2)\nBridge -\nLa la la"
    )
    result = sing(lyrics, duration=20.0)
    sung = [line for _, _, texts in result.arrangement["info"]["plan"] for line in texts]
    assert sung[:2] == ["Walking 2 the store at 5 p.m.", "Dr. Smith is in"]
    assert set(sung) <= {"Walking 2 the store at 5 p.m.", "Dr. Smith is in", "La la la"}
    assert result.metadata["sung_language"] == "en"


def test_a_lyric_sheet_longer_than_the_song_is_fitted_with_a_note():
    stanza = "\n".join(f"Line number {i} of a very long song about the sea" for i in range(8))
    lyrics = "\n\n".join(f"[Verse {v}]\n{stanza}" for v in range(1, 20))[:5000]
    result = sing(lyrics, duration=20.0)
    assert result.duration == pytest.approx(20.0, abs=0.01)
    assert any("left out" in note for note in result.metadata["notes"])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Te quiero, mi amor, con todo el corazón", "es"),
        ("Je t'aime, mon amour, pour toujours dans la nuit", "fr"),
        ("Ich liebe dich, und du bist nicht allein", "de"),
        ("Ti amo, amore mio, sono con te nel cuore", "it"),
        ("Eu te amo, você é a minha canção", "pt"),
        ("Я люблю тебя", "ru"),
        ("Я кохаю тебе, моя їжачка", "uk"),
        ("You and I are dancing in the night", "en"),
    ],
)
def test_the_language_of_the_lyrics_picks_the_voice(text, code):
    assert detect_language(text)[0] == code


def test_synthesis_needs_no_system_package_and_no_download(tmp_path):
    """eSpeak NG's library and voice data come from the espeakng-loader wheel; the singer runs offline."""
    import espeakng_loader

    library, data = library_paths()
    wheel = Path(espeakng_loader.__file__).parent
    assert library.is_relative_to(wheel) and data.is_relative_to(wheel)
    for code, (voice, _, _) in LANGUAGES.items():
        assert (data / f"{code}_dict").is_file(), f"no {voice} dictionary in the wheel"
    requirements = (Path(__file__).parents[2] / "requirements.txt").read_text()
    assert "espeakng-loader>=" in requirements and "praat-parselmouth>=" in requirements
    script = (
        "import sys; sys.path.insert(0, 'emulator/engine'); from singer.espeak import espeak; "
        "s = espeak().speak('hello world', 'en-us', 120); "
        "maps = open('/proc/self/maps').read(); "
        "print(len(s.samples), sum('libespeak-ng' in line for line in maps.splitlines()), "
        "any('libespeak-ng' in line and '/usr/lib' in line for line in maps.splitlines()))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "ESPEAK_DATA_PATH": str(tmp_path / "nothing"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    samples, mapped, system = done.stdout.split()
    assert int(samples) > 10000 and int(mapped) > 0 and system == "False"


def test_edits_of_a_sung_song_still_sing_its_words():
    short = sing(LYRICS, duration=16.0)
    assert short.metadata["voice_gender"] == "female"
    source = engine.Source(arrangement=short.arrangement)
    swapped = engine.swap_vocals(source, "deep male baritone")
    assert swapped.metadata["sung_language"] == "en" and swapped.metadata["voice_gender"] == "male"
    lead = engine.stems(engine.Source(arrangement=swapped.arrangement), "full").tracks["lead_vocals"][:, 0]
    pitch = parselmouth.Sound(lead.astype(np.float64), SR).to_pitch(0.01, 60.0, 1000.0)
    voiced = pitch.selected_array["frequency"][pitch.selected_array["frequency"] > 0]
    assert len(voiced) > 100 and np.median(voiced) < 260  # a male register
    extension = engine.extend(source, 12.0)  # only the new music, continuing the lyrics
    assert extension.metadata["sung_language"] == "en"
    sung_on = engine.stems(engine.Source(arrangement=extension.arrangement), "full").tracks["lead_vocals"]
    original = engine.stems(source, "full").tracks["lead_vocals"]
    assert rms(sung_on) > 0.3 * rms(original)


def test_a_mixed_voice_is_a_woman_and_a_man_singing():
    duet = sing(LYRICS, duration=30.0, voice_gender="mixed")
    lead = engine.stems(engine.Source(arrangement=duet.arrangement), "full").tracks["lead_vocals"][:, 0]
    pitch = parselmouth.Sound(lead.astype(np.float64), SR).to_pitch(0.01, 60.0, 1000.0)
    voiced = pitch.selected_array["frequency"][pitch.selected_array["frequency"] > 0]
    # Alone, the woman never sings below G3 (196 Hz) nor the man above E4 (330 Hz) in this song.
    assert np.mean(voiced < 196) > 0.04 and np.mean(voiced > 330) > 0.1
