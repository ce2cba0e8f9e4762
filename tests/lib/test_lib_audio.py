"""Audio helpers on real audio made with pydub and the bundled ffmpeg."""

import io
import zipfile

import pytest
from pydub import AudioSegment
from pydub.generators import Sine

from lib.audio import duration_seconds, peaks, sniff_audio, zip_files


def encoded(segment: AudioSegment, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    segment.export(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def tone() -> AudioSegment:
    """One second of a 440 Hz tone at half scale (-6 dBFS), then one second of silence."""
    return Sine(440).to_audio_segment(duration=1000, volume=-6.02) + AudioSegment.silent(
        1000, frame_rate=44100
    )


@pytest.mark.parametrize(
    ("fmt", "options", "expected"),
    [
        ("mp3", {}, "mp3"),
        ("wav", {}, "wav"),
        ("flac", {}, "flac"),
        ("ogg", {}, "ogg"),
        ("adts", {"codec": "aac"}, "aac"),
        ("ipod", {"codec": "aac"}, "mp4"),
        ("aiff", {}, "aiff"),
    ],
)
def test_sniff_knows_audio_by_its_bytes_not_its_name(tone, fmt, options, expected):
    assert sniff_audio(encoded(tone, fmt, **options), "song.txt") == expected


def without_id3_tag(data: bytes) -> bytes:
    size = int.from_bytes(bytes(b & 0x7F for b in data[6:10]), "big")  # ID3v2 sizes are "syncsafe"
    return data[10 + size :]


def test_an_mp3_without_id3_tag_is_known_by_its_frame_sync(tone):
    data = without_id3_tag(encoded(tone, "mp3"))
    assert data[0] == 0xFF
    assert sniff_audio(data, "raw.mp3") == "mp3"
    assert duration_seconds(data, "mp3") == pytest.approx(2.0, abs=0.06)


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, b"%PDF-1.7\n", b"hello, this is a text file", b"PK\x03\x04zip"],
)
def test_non_audio_gets_a_sentence_naming_the_file(data):
    with pytest.raises(ValueError, match=r"^holiday\.mp3 does not look like audio; upload an MP3, WAV"):
        sniff_audio(data, "holiday.mp3")


def test_empty_and_oversized_files_are_refused_before_decoding(tone):
    with pytest.raises(ValueError, match="is empty"):
        sniff_audio(b"", "blank.wav")
    data = encoded(tone, "wav")
    with pytest.raises(ValueError, match=r"big\.wav is 0\.2 MB, over the 0\.1 MB upload limit"):
        sniff_audio(data, "big.wav", max_bytes=100_000)
    assert sniff_audio(data, "big.wav", max_bytes=len(data)) == "wav"


@pytest.mark.parametrize(
    ("export_as", "options", "tolerance"),
    [
        ("wav", {}, 0.001),
        ("mp3", {}, 0.06),
        ("ogg", {}, 0.03),
        ("flac", {}, 0.001),
        ("ipod", {"codec": "aac"}, 0.06),
    ],
)
def test_duration_in_seconds(tone, export_as, options, tolerance):
    data = encoded(tone, export_as, **options)
    assert duration_seconds(data, sniff_audio(data)) == pytest.approx(2.0, abs=tolerance)


def test_peaks_follow_the_loudness_over_time(tone):
    levels = peaks(encoded(tone, "wav"), "wav", 10)
    assert len(levels) == 10
    assert all(level == pytest.approx(0.5, abs=0.01) for level in levels[:5])
    assert levels[5:] == [0.0] * 5


def test_peaks_of_a_stereo_mp3_are_between_zero_and_one(tone):
    levels = peaks(encoded(tone.set_channels(2), "mp3"), "mp3", 50)
    assert len(levels) == 50 and max(levels) < 1.0
    assert max(levels[:20]) > 0.4 and max(levels[30:]) < 0.01


def test_damaged_audio_gets_a_sentence_not_a_traceback():
    with pytest.raises(ValueError, match="could not be read as MP3"):
        duration_seconds(b"ID3" + b"\x00" * 50, "mp3")
    with pytest.raises(ValueError, match="at least one bar"):
        peaks(b"", "wav", 0)


def test_zip_keeps_bytes_and_makes_names_safe_and_unique():
    archive = zipfile.ZipFile(
        io.BytesIO(
            zip_files([("a/b.mp3", b"1"), ("A_b.mp3", b"2"), ("..", b"3"), ("x:y", b"4"), ("a_b.mp3", b"5")])
        )
    )
    assert archive.namelist() == ["a_b.mp3", "A_b (2).mp3", "audio", "x_y", "a_b (3).mp3"]
    assert [archive.read(n) for n in archive.namelist()] == [b"1", b"2", b"3", b"4", b"5"]
