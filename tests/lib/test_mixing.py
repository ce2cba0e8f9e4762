"""The mixer (lib.mixing): real stems from the built-in server; synthetic ones where values are exact."""

import math
import time
import wave
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from lib import mixing
from lib import stems as stems_lib
from lib.client import AIMusicClient
from lib.mixing import SILENT, Channel

RATE = 8000


def rms(audio) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def db(ratio: float) -> float:
    return 20 * math.log10(ratio)


def correlation(a, b) -> float:
    n = min(len(a), len(b))
    a, b = np.asarray(a[:n], dtype=np.float64), np.asarray(b[:n], dtype=np.float64)
    return float(np.sum(a * b) / math.sqrt(np.sum(a * a) * np.sum(b * b)))


def samples(path) -> np.ndarray:
    layout = mixing.wav_layout(path)
    raw = np.fromfile(path, dtype="<i2", offset=layout.offset, count=layout.frames * layout.channels)
    return raw.reshape(-1, layout.channels).astype(np.float64) / mixing.FULL_SCALE


def write_wav(path, audio: np.ndarray, rate: int = RATE):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(audio.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.rint(audio * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def server_stems(emulator, tmp_path_factory):
    """A 10 s song of the built-in server split into every part: {name: decoded WAV}, "mix" included."""
    folder = tmp_path_factory.mktemp("server-stems")
    key = emulator.create_key(tier="pro", credits=200)
    with AIMusicClient(api_key=key, base_url=emulator.base_url) as client:
        # A fixed seed: parts of one song share its harmony and rhythm, so how far a muted part correlates
        # with the rest varies with the song (|r| up to 0.05 over random seeds, the limit below).
        song = client.suno.create_music(
            description="folk song with guitar, piano, drums and bass", duration=10, seed=7
        )
        clip = client.wait_for_task(song.task_id, timeout=300).clips[0]
        split = client.wait_for_task(client.suno.stems_full(clip.id).task_id, timeout=300)
        wavs = {}
        for name, url in stems_lib.links_of(split).items():
            (folder / f"{name}.mp3").write_bytes(client.download(url))
            wavs[name] = mixing.decoded(folder / f"{name}.mp3")
    return wavs


@pytest.fixture
def parts(server_stems):
    return {n: p for n, p in server_stems.items() if n not in stems_lib.WHOLE_SONG}


def test_every_stem_at_0_db_sums_to_the_servers_mix(parts, server_stems, tmp_path):
    assert {"lead_vocals", "drums", "bass"} <= set(parts)
    ours = samples(mixing.render(parts, {}, tmp_path / "all.wav").path)
    theirs = samples(server_stems["mix"])
    assert len(ours) == len(theirs)
    assert abs(db(rms(ours) / rms(theirs))) <= 0.5
    assert db(rms(ours - theirs) / rms(theirs)) < -20  # what is left is mp3 coding noise of the stems


def test_a_muted_stem_is_absent_from_the_mix(parts, tmp_path):
    vocals = samples(parts["lead_vocals"])
    with_vocals = samples(mixing.render(parts, {}, tmp_path / "all.wav").path)
    muted = mixing.render(parts, {"lead_vocals": Channel(mute=True)}, tmp_path / "muted.wav")
    assert correlation(with_vocals, vocals) > 0.3
    assert abs(correlation(samples(muted.path), vocals)) < 0.05
    others = sum(samples(p) for n, p in parts.items() if n != "lead_vocals")
    assert np.abs(samples(muted.path) - others).max() < 1e-3


def test_solo_keeps_only_the_soloed_stems(parts, tmp_path):
    soloed = {"drums": Channel(solo=True), "bass": Channel(solo=True), "piano": Channel(gain_db=6.0)}
    result = samples(mixing.render(parts, soloed, tmp_path / "rhythm.wav").path)
    expected = samples(parts["drums"]) + samples(parts["bass"])
    assert np.abs(result - expected).max() < 1e-3


def test_gains_in_db_apply_exactly(tmp_path):
    noise = np.random.default_rng(1).uniform(-0.1, 0.1, size=(RATE, 2))
    stem = write_wav(tmp_path / "noise.wav", noise)
    for gain in (-12.0, -6.0, -1.0, 0.0, 3.0, 6.0):
        out = samples(mixing.render({"n": stem}, {"n": Channel(gain_db=gain)}, tmp_path / f"{gain}.wav").path)
        assert db(rms(out) / rms(samples(stem))) == pytest.approx(gain, abs=0.01)
    silent = mixing.render({"n": stem}, {"n": Channel(gain_db=SILENT)}, tmp_path / "silent.wav")
    assert not samples(silent.path).any()


def test_independent_stems_mix_as_their_weighted_sum_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(mixing, "CHUNK_FRAMES", 1000)
    rng = np.random.default_rng(2)
    a, b = rng.uniform(-0.2, 0.2, size=(RATE, 2)), rng.uniform(-0.2, 0.2, size=(RATE // 2, 2))
    wavs = {"a": write_wav(tmp_path / "a.wav", a), "b": write_wav(tmp_path / "b.wav", b)}
    out = samples(mixing.render(wavs, {"b": Channel(gain_db=-6.0)}, tmp_path / "mix.wav").path)
    expected = samples(wavs["a"])
    expected[: len(b)] += samples(wavs["b"]) * 10 ** (-6 / 20)
    assert len(out) == RATE  # the shorter stem ends early, the mix does not
    assert np.abs(out - expected).max() <= 1.5 / mixing.FULL_SCALE
    assert (
        abs(correlation(samples(mixing.render(wavs, {"b": Channel(mute=True)}, tmp_path / "m.wav").path), b))
        < 0.05
    )


def test_the_in_memory_mix_agrees_with_solo_and_mute_rules():
    a, b, c = (np.full((4, 1), v, dtype=np.float32) for v in (0.1, 0.2, 0.4))
    sources = {"a": a, "b": b, "c": c}
    assert mixing.mix(sources, {})[0, 0] == pytest.approx(0.7)
    assert mixing.mix(sources, {"b": Channel(mute=True)})[0, 0] == pytest.approx(0.5)
    assert mixing.mix(sources, {"b": Channel(solo=True), "c": Channel(solo=True, mute=True)})[
        0, 0
    ] == pytest.approx(0.2)


def test_a_mix_louder_than_full_scale_is_clipped_and_says_so(tmp_path):
    loud = write_wav(tmp_path / "loud.wav", np.full((RATE, 2), 0.8))
    rendered = mixing.render({"x": loud, "y": loud}, {}, tmp_path / "mix.wav")
    assert rendered.clipped and rendered.peak == pytest.approx(1.6, abs=1e-3)
    assert samples(rendered.path).max() == pytest.approx(1.0, abs=1e-4)
    assert rendered.seconds == 1.0


def test_gains_above_plus_6_db_are_refused():
    assert mixing.db_to_gain(SILENT) == 0.0
    assert mixing.db_to_gain(6.0) == pytest.approx(1.9953, abs=1e-4)
    with pytest.raises(ValueError, match=r"\+6 dB"):
        mixing.db_to_gain(7.0)


def test_settings_survive_json_with_silence_and_name_their_render():
    settings = {
        "vocals": Channel(gain_db=SILENT),
        "drums": Channel(3.0, solo=True),
        "bass": Channel(mute=True),
    }
    data = mixing.settings_to_json(settings)
    assert data["vocals"]["gain_db"] is None
    assert mixing.settings_from_json(data) == settings
    assert mixing.settings_key(settings) == mixing.settings_key(mixing.settings_from_json(data))
    assert mixing.settings_key(settings) != mixing.settings_key({**settings, "bass": Channel()})


def test_presets_follow_the_stems_a_song_has():
    full = mixing.presets(["lead_vocals", "backing_vocals", "drums", "bass", "piano"])
    assert set(full) == {"Instrumental only", "A cappella", "Drums and bass"}
    assert mixing.gains(full["Instrumental only"]) == {
        "lead_vocals": 0.0, "backing_vocals": 0.0, "drums": 1.0, "bass": 1.0, "piano": 1.0,
    }  # fmt: skip
    assert [n for n, g in mixing.gains(full["A cappella"]).items() if g] == ["lead_vocals", "backing_vocals"]
    assert [n for n, g in mixing.gains(full["Drums and bass"]).items() if g] == ["drums", "bass"]
    assert set(mixing.presets(["vocals", "instrumental"])) == {"Instrumental only", "A cappella"}


def test_damaged_or_foreign_files_are_refused_with_a_sentence(tmp_path):
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"ID3" + b"\x00" * 200)
    with pytest.raises(ValueError, match="could not be read"):
        mixing.decoded(bad)
    (tmp_path / "cut.wav").write_bytes(
        write_wav(tmp_path / "whole.wav", np.zeros((100, 2))).read_bytes()[:100]
    )
    with pytest.raises(ValueError, match="cut short"):
        mixing.wav_layout(tmp_path / "cut.wav")
    with pytest.raises(ValueError, match="not a WAV"):
        mixing.wav_layout(bad)
    with pytest.raises(ValueError, match="no stems"):
        mixing.render({}, {}, tmp_path / "nothing.wav")


def test_a_file_whose_path_means_something_to_ffmpeg_decodes_to_its_own_samples(tmp_path):
    folder = tmp_path / "it's: a [song], part; one=1 \\ two"
    folder.mkdir()
    audio = np.random.default_rng(3).uniform(-0.5, 0.5, size=(RATE, 2))
    source = write_wav(folder / "drums.mp3.src", audio)  # any audio ffmpeg reads; a WAV keeps samples exact
    assert np.abs(samples(mixing.decoded(source)) - samples(source)).max() == 0


def test_stems_of_another_layout_are_decoded_again_to_match_the_first(tmp_path):
    rng = np.random.default_rng(4)
    sources = {
        "a": write_wav(tmp_path / "a.src", rng.uniform(-0.5, 0.5, size=(RATE, 2))),
        "b": write_wav(tmp_path / "b.src", rng.uniform(-0.5, 0.5, size=(2 * RATE, 1)), rate=2 * RATE),
    }
    layouts = {name: mixing.wav_layout(path) for name, path in mixing.decode_all(sources).items()}
    assert {(lay.rate, lay.channels, lay.frames) for lay in layouts.values()} == {(RATE, 2, RATE)}


def test_one_file_asked_for_by_two_threads_at_once_is_decoded_once(tmp_path, monkeypatch):
    source = write_wav(tmp_path / "a.src", np.zeros((RATE, 2)))
    decode, runs = mixing._decode, []

    def slow_decode(*args):
        runs.append(args)
        time.sleep(0.3)  # the second thread asks meanwhile
        decode(*args)

    monkeypatch.setattr(mixing, "_decode", slow_decode)
    with ThreadPoolExecutor(2) as pool:
        wavs = list(pool.map(mixing.decoded, [source, source]))
    assert len(runs) == 1
    assert wavs[0] == wavs[1] and mixing.wav_layout(wavs[0]).frames == RATE
