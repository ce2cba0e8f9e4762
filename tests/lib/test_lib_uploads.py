"""Checks of a person's own audio before any request, and the library's memory of what was uploaded."""


import pytest

from lib import uploads
from lib.workspace import owner_id
from tests.contract.contract_support import wav_bytes

OWNER = owner_id("uploads-test")


def test_a_good_wav_passes_with_its_length_hash_and_an_mp3_for_the_cache():
    checked = uploads.check_upload(wav_bytes(2.0), "my take.wav")
    assert checked.fmt == "wav" and abs(checked.seconds - 2.0) < 0.01
    assert checked.title == "my take"
    assert checked.mp3[:3] == b"ID3" or checked.mp3[0] == 0xFF
    assert checked.digest == uploads.check_upload(wav_bytes(2.0), "renamed.wav").digest


@pytest.mark.parametrize(
    ("data", "options", "words"),
    [
        (b"", {}, "empty"),
        (b"these are just words, not a song\n" * 20, {}, "does not look like audio"),
        (b"ID3" + b"\x00" * 400, {}, "could not be read"),
        (wav_bytes(2.0, amplitude=0), {}, "silent"),
        (wav_bytes(0.4), {}, "less than a second"),
        (wav_bytes(3.0), {"max_seconds": 2.0}, "minutes"),
        (wav_bytes(3.0), {"max_bytes": 1000}, "upload limit"),
    ],
)
def test_bad_files_are_named_in_one_sentence(data, options, words):
    with pytest.raises(ValueError, match=words) as caught:
        uploads.check_upload(data, "song.mp3", **options)
    assert str(caught.value).count(". ") == 0, "one sentence"


def test_a_thirty_minute_recording_is_over_the_length_cap():
    with pytest.raises(ValueError, match="30 minutes"):
        uploads.check_upload(wav_bytes(30 * 60, rate=2000), "long.wav")


def test_a_file_over_the_size_cap_is_refused_before_decoding():
    big = wav_bytes(1.0) + b"\x00" * (uploads.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(ValueError, match="upload limit"):
        uploads.check_upload(big, "big.wav")


def test_an_upload_becomes_an_upload_clip_with_cached_audio_and_is_found_again_by_its_bytes(library):
    kept = uploads.Uploads(library)
    checked = uploads.check_upload(wav_bytes(2.0), "demo.wav")
    assert kept.earlier(OWNER, checked.digest, "suno") is None
    clip = kept.record(OWNER, checked, route="suno", audio_id="uploaded_abc")
    assert clip.model == "upload" and clip.title == "demo" and clip.cached
    assert clip.audio_path.read_bytes() == checked.mp3
    assert kept.earlier(OWNER, checked.digest, "suno").clip_id == "uploaded_abc"
    assert kept.earlier(OWNER, checked.digest, "producer") is None, "another route needs its own upload"
    assert kept.earlier(owner_id("someone else"), checked.digest, "suno") is None
    assert kept.routes(OWNER) == {"uploaded_abc": "suno"}
    frame = library.clips_frame(OWNER, models=("upload",))
    assert frame["clip_id"].tolist() == ["uploaded_abc"]


def test_a_deleted_upload_is_uploaded_again(library):
    kept = uploads.Uploads(library)
    checked = uploads.check_upload(wav_bytes(2.0), "demo.wav")
    kept.record(OWNER, checked, route="producer", audio_id="producer_audio_1")
    library.delete_clip(OWNER, "producer_audio_1")
    assert kept.earlier(OWNER, checked.digest, "producer") is None
