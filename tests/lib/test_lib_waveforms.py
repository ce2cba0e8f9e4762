"""Waveform peaks are measured once per audio file, kept beside it, and deleted with their clip."""

import json
import os

from lib import uploads, waveforms
from lib.workspace import owner_id
from tests.contract.contract_support import wav_bytes as wav

OWNER = owner_id("waveforms-test")


def test_peaks_are_kept_beside_the_audio_and_read_back_until_the_audio_changes(tmp_path):
    song = tmp_path / "clip_1.wav"
    song.write_bytes(wav(2.0))
    measured = waveforms.cached_peaks(song, 50)
    assert len(measured) == 50 and max(measured) > 0.2
    kept = waveforms.peaks_path(song)
    saved = json.loads(kept.read_text())
    kept.write_text(json.dumps({**saved, "peaks": [0.5] * 50}))
    assert waveforms.cached_peaks(song, 50) == [0.5] * 50, "the kept peaks were not used"
    assert len(waveforms.cached_peaks(song, 20)) == 20, "another bar count is measured anew"
    os.utime(song, (saved["modified"] + 10, saved["modified"] + 10))
    assert waveforms.cached_peaks(song, 50) == measured, "a changed file is measured again"


def test_the_peaks_file_goes_with_its_clip(library):
    clip = uploads.Uploads(library).record(
        OWNER, uploads.check_upload(wav(2.0), "a.wav"), route="suno", audio_id="uploaded_1"
    )
    waveforms.cached_peaks(clip.audio_path, 30)
    assert waveforms.peaks_path(clip.audio_path).is_file()
    library.delete_clip(OWNER, clip.clip_id)
    assert not waveforms.peaks_path(clip.audio_path).exists()
