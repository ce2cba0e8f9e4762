"""The Stems page in AppTest against the real built-in server: split once, reload, mix, zip, bad inputs."""

import io
import time
import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from lib import mixing
from lib.audio import decode
from lib.stems import StemShelf
from tests.app.helpers import describe, has_songs, library_of, messages, run_until

PAGE = "app_pages/stems.py"


@pytest.fixture
def deferred(monkeypatch):
    """The callables behind download buttons (run on click in a browser), by the button's deferred file id."""
    seen = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        seen[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen


def download(at, deferred, key: str) -> bytes:
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    return deferred[button.proto.deferred_file_id]()


def stems_shown(at) -> bool:
    return any(b.key == "stems.play" for b in at.button)


def open_stems_from_card(at):
    """Make a song, then press the Stems button of its card."""
    run_until(describe(at), has_songs)
    (button,) = [b for b in at.button if b.key and b.key.endswith(".open.stems")]
    button.click().run()
    assert not at.exception, at.exception
    return at


def split(at, kind: str):
    at.radio(key="stems.kind").set_value(kind).run()
    at.button(key="stems.split").click().run()
    assert not at.exception and not at.error, messages(at)
    return run_until(at, stems_shown)


def credits_shown(at) -> list[str]:
    return [m.value for m in at.sidebar.metric if m.label == "Credits"]


def chosen_clip(at) -> str:
    return at.selectbox(key="stems.source.clip").value


def samples(path) -> np.ndarray:
    layout = mixing.wav_layout(Path(path))
    raw = np.fromfile(path, dtype="<i2", offset=layout.offset, count=layout.frames * layout.channels)
    return raw.reshape(-1, layout.channels).astype(np.float64) / mixing.FULL_SCALE


def play(at) -> np.ndarray:
    at.button(key="stems.play").click().run()
    assert not at.exception and not at.error, messages(at)
    return samples(at.session_state["stems.rendered"])


def test_a_song_is_split_once_and_a_reload_shows_its_stems_without_paying_again(
    open_app, make_key, client_for, data_dir
):
    key = make_key(credits=100)
    at = open_stems_from_card(open_app(key))
    clip_id = chosen_clip(at)
    assert at.query_params["clip"] in (clip_id, [clip_id])
    assert any("Costs **20** credits" in c.value for c in at.caption), "the price is shown before paying"
    split(at, "basic")
    assert [s.key for s in at.select_slider] == ["stems.gain.vocals", "stems.gain.instrumental"]
    assert len(at.get("audio")) >= 3  # the source's player and one per stem
    assert client_for(key).get_credits().used == 10 + 20

    again = open_app(key)  # a reload: a new session, the page opened on the same song
    again.query_params["clip"] = clip_id
    again.switch_page(PAGE).run()
    assert not again.exception and not again.error, messages(again)
    again.radio(key="stems.kind").set_value("basic").run()
    assert stems_shown(again) and "stems.split" not in [b.key for b in again.button]
    assert any("opening them again costs nothing" in c.value for c in again.caption)
    assert client_for(key).get_credits().used == 10 + 20
    library, owner = library_of(data_dir, key)
    assert [t.call for t in library.results_for(owner, "suno.stems")] == ["suno.stems_basic"]

    again.radio(key="stems.kind").set_value(
        "full"
    ).run()  # the other kind is a split of its own, with its price
    assert "stems.split" in [b.key for b in again.button]
    assert any("Costs **50** credits" in c.value for c in again.caption)


def test_mute_solo_and_presets_change_the_rendered_mix(open_app, make_key, client_for, data_dir):
    key = make_key(credits=100)
    at = split(open_stems_from_card(open_app(key)), "full")
    names = [s.key.removeprefix("stems.gain.") for s in at.select_slider]
    assert {"lead_vocals", "drums", "bass"} <= set(names) and "mix" not in names
    stems = stem_wavs(data_dir, key, chosen_clip(at), "full")

    everything = play(at)
    assert at.get("audio")[-1].proto.url, "the mix has no player"
    at.toggle(key="stems.mute.lead_vocals").set_value(True).run()
    no_vocals = play(at)
    vocals = samples(stems["lead_vocals"])
    assert np.abs(everything - no_vocals - vocals).max() < 2e-3

    at.button(key="stems.preset.drums_and_bass").click().run()
    assert [t.value for t in at.toggle if t.key.startswith("stems.solo.")].count(True) == 2
    rhythm = play(at)
    assert np.abs(rhythm - samples(stems["drums"]) - samples(stems["bass"])).max() < 2e-3

    at.button(key="stems.preset.everything").click().run()
    at.select_slider(key="stems.gain.drums").set_value(-6.0).run()
    softer = play(at)
    assert np.abs(softer - everything - samples(stems["drums"]) * (10 ** (-6 / 20) - 1)).max() < 2e-3
    assert client_for(key).get_credits().used == 10 + 50, "mixing cost credits"
    binary = [
        k for k, v in at.session_state.to_dict().items() if isinstance(v, bytes | bytearray | np.ndarray)
    ]
    assert not binary, f"audio kept in session state: {binary}"


def stem_wavs(data_dir, key: str, clip_id: str, kind: str) -> dict[str, Path]:
    """The decoded WAV of each part the library kept (what the page mixes)."""
    library, owner = library_of(data_dir, key)
    shelf = StemShelf(library)
    return shelf.decoded(owner, shelf.get(owner, clip_id, kind).parts)


def test_the_zip_holds_one_decodable_file_per_stem_and_each_stem_downloads_alone(
    open_app, make_key, deferred
):
    at = split(open_stems_from_card(open_app(make_key(credits=100))), "full")
    names = [s.key.removeprefix("stems.gain.") for s in at.select_slider] + ["mix", "background"]
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("-stems.zip")]
    assert button.proto.label == f"Download the {len(names) - 2} stems and the whole song (zip)"
    assert at.caption[0].value.startswith(f"{len(names) - 2} stems, kept")  # the page counts them alike
    for fmt in ("mp3", "wav"):
        at.radio(key="stems.zip_format").set_value(fmt).run()
        archive = zipfile.ZipFile(io.BytesIO(download(at, deferred, "stems.zip")))
        assert sorted(n.rsplit(" - ", 1)[1] for n in archive.namelist()) == sorted(
            f"{n}.{fmt}" for n in names
        )
        for member in archive.namelist():
            assert decode(archive.read(member), fmt).duration_seconds == pytest.approx(10, abs=0.2)
        at.selectbox(key="stems.one").set_value("drums").run()
        alone = decode(download(at, deferred, "stems.download_one"), fmt)
        assert alone.duration_seconds == pytest.approx(10, abs=0.2)
        drums = next(n for n in archive.namelist() if n.endswith(f" - drums.{fmt}"))
        assert alone.raw_data == decode(archive.read(drums), fmt).raw_data


def test_a_kept_mix_is_a_library_song_that_make_again_remakes_without_credits(
    open_app, make_key, client_for, data_dir
):
    key = make_key(credits=100)
    at = split(open_stems_from_card(open_app(key)), "basic")
    at.button(key="stems.preset.instrumental_only").click().run()
    assert at.toggle(key="stems.mute.vocals").value
    at.button(key="stems.keep").click().run()
    assert not at.exception and not at.error, messages(at)
    library, owner = library_of(data_dir, key)
    (mix_id,) = library.clips_frame(owner, models=("mix",))["clip_id"]
    mix = library.clip(owner, mix_id)
    assert mix.cached and mix.prompt == "Mix: vocals muted" and mix.duration == pytest.approx(10, abs=0.1)
    assert decode(mix.audio_path.read_bytes(), "mp3").duration_seconds == pytest.approx(10, abs=0.05)

    at.session_state["library.focus"] = [mix_id]
    at.switch_page("app_pages/library.py").run()
    assert {b.label for b in at.download_button} >= {"Download MP3", "Download WAV"}
    assert not [b for b in at.button if b.key and b.key.endswith((".make_mid", ".make_wav"))]
    at.button(key=f"library.rerun.{mix_id}").click().run()
    assert not at.exception and not at.error, messages(at)
    again = library.clips_frame(owner, models=("mix",))
    assert len(again) == 2 and set(again["prompt"]) == {"Mix: vocals muted"}
    (new_id,) = set(again["clip_id"]) - {mix_id}
    assert library.clip(owner, new_id).audio_path.read_bytes() == mix.audio_path.read_bytes()
    assert client_for(key).get_credits().used == 10 + 20


def test_a_failed_split_gives_the_credits_back_and_the_page_says_so(slow_emulator, open_app, data_dir):
    key = slow_emulator.create_key(tier="pro", credits=100)
    at = open_stems_from_card(open_app(key, base_url=slow_emulator.base_url))
    at.radio(key="stems.kind").set_value("full").run()
    at.button(key="stems.split").click().run()
    assert any("being split" in i.value for i in at.info), messages(at)
    assert "stems.split" not in [b.key for b in at.button], "a running split can be paid for twice"
    library, owner = library_of(data_dir, key)
    (pending,) = library.pending_tasks(owner)
    failure = {"code": "generation_failed", "message": "The engine could not split this song", "details": {}}
    slow_emulator.runtime.store.fail_task(pending.task_id, failure)

    run_until(at, lambda a: any("last split of this song failed" in e.value for e in a.error))
    assert any(
        "could not split this song" in e.value and "50 credits were given back" in e.value for e in at.error
    )
    assert credits_shown(at) == ["90"]
    assert "stems.split" in [b.key for b in at.button]


def test_stems_of_a_song_deleted_meanwhile_are_not_kept_and_its_link_says_so(
    slow_emulator, open_app, data_dir
):
    key = slow_emulator.create_key(tier="pro", credits=100)
    at = open_stems_from_card(open_app(key, base_url=slow_emulator.base_url))
    clip_id = chosen_clip(at)
    at.button(key="stems.split").click().run()
    library, owner = library_of(data_dir, key)
    assert library.delete_clip(owner, clip_id)  # deleted (in another tab) while it is being split

    run_until(at, lambda a: any("its song was deleted" in e.value for e in a.error))
    assert StemShelf(library).kinds(owner, clip_id) == []
    again = open_app(key, base_url=slow_emulator.base_url)
    again.query_params["clip"] = clip_id  # an old bookmark of the page on that song
    again.switch_page(PAGE).run()
    assert not again.exception
    assert any("is not in your library" in w.value for w in again.warning), messages(again)
    assert not again.get("audio") or not stems_shown(again)


def test_stems_of_an_uploaded_song_are_said_to_be_approximate_and_mix_like_any_other(
    open_app, make_key, client_for
):
    key = make_key(credits=100)
    at = open_app(key)
    at.switch_page(PAGE).run()
    at.radio(key="stems.source.from").set_value("Upload a file").run()
    at.file_uploader(key="stems.source.file").set_value(
        ("my take.wav", recording(seconds=6), "audio/wav")
    ).run()
    assert not at.exception and not at.error, messages(at)
    split(at, "basic")
    assert any("approximate" in i.value for i in at.info), messages(at)
    assert [s.key for s in at.select_slider] == ["stems.gain.vocals", "stems.gain.instrumental"]
    assert len(play(at)) == pytest.approx(6 * 44100, abs=2000)
    assert client_for(key).get_credits().used == 20


def recording(seconds: int) -> bytes:
    """A WAV "recording": a voice-like tone over a bass line and some noise."""
    rate = 44100
    t = np.arange(seconds * rate) / rate
    rng = np.random.default_rng(3)
    audio = (
        0.2 * np.sin(2 * np.pi * 440 * t)
        + 0.2 * np.sin(2 * np.pi * 55 * t)
        + 0.02 * rng.standard_normal(t.size)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.rint(audio * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def test_a_damaged_stem_is_fetched_again_through_a_fresh_link(emulator, open_app, make_key, data_dir):
    key = make_key(credits=100)
    at = open_stems_from_card(open_app(key))
    emulator.configure(link_ttl_seconds=2)
    try:
        split(at, "full")
        library, owner = library_of(data_dir, key)
        shelf = StemShelf(library)
        kept = shelf.get(owner, chosen_clip(at), "full")
        old_links = {s.name: s.url for s in kept.stems}
        kept.stem("drums").path.write_bytes(b"<html>gone</html>")  # not audio at all
        sound = kept.stem("bass").path.read_bytes()
        kept.stem("bass").path.write_bytes(b"ID3" + bytes(len(sound) - 3))  # looks whole, does not decode
        time.sleep(2.5)  # every link the library holds has now expired

        at.run()
        assert not at.exception and not at.warning, messages(at)
        repaired = shelf.get(owner, chosen_clip(at), "full")
        assert repaired.stem("drums").healthy
        assert repaired.stem("drums").url != old_links["drums"], "the expired link was not renewed"
        play(at)
        assert shelf.get(owner, chosen_clip(at), "full").stem("bass").path.read_bytes() == sound
    finally:
        emulator.configure(link_ttl_seconds=24 * 3600)
