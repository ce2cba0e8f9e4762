"""The Cover page in AppTest against the real built-in server: Suno covers of library songs and uploads,
every Producer operation with its fields, the replace section on the waveform, uploads checked before
anything is sent, and the result beside the original."""

import pytest

from lib import uploads
from tests.app.edit_helpers import done, newest_task, sent, shown, song_in_app
from tests.app.helpers import library_of, messages, run_until
from tests.contract.contract_support import wav_bytes as wav


def upload(at, data: bytes, name: str, key: str = "cover.source"):
    at.radio(key=f"{key}.from").set_value("Upload a file").run()
    at.file_uploader(key=f"{key}.file").set_value((name, data, "audio/wav")).run()
    return at


def upload_clips(library, owner):
    return library.clips_frame(owner, models=(uploads.UPLOAD_MODEL,))


def test_an_uploaded_wav_is_kept_once_and_covered(open_app, make_key, data_dir, emulator):
    key = make_key(credits=100)
    at = open_app(key)
    at.switch_page("app_pages/cover.py").run()
    upload(at, wav(3.0), "hum.wav")
    library, owner = library_of(data_dir, key)
    kept = upload_clips(library, owner)
    assert kept["title"].tolist() == ["hum"] and kept["cached"].tolist() == [True]
    assert at.get("audio"), "the upload is not playable"
    assert at.run().radio(key="cover.source.from").value == "Upload a file", "the upload was put away"
    upload(at, wav(3.0), "hum again.wav")
    assert any("not uploaded again" in c.value for c in at.caption)
    assert len(upload_clips(library, owner)) == 1

    at.text_input(key="cover.style").set_value("jazz with piano")
    at.radio(key="cover.voice").set_value("Male").run()
    at.button(key="cover.submit").click().run()
    task = newest_task(library, owner, "suno.cover_music")
    assert sent(emulator, task)["clip_id"] == kept["clip_id"].iloc[0]
    assert (sent(emulator, task)["style"], sent(emulator, task)["voice_gender"]) == (
        "jazz with piano",
        "male",
    )
    run_until(at, done(library, owner, task.task_id))
    at.run()
    assert library.task(owner, task.task_id).status == "completed"
    assert any(c.value.startswith("Original") for c in at.caption), "the cover is not beside the original"


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"just some notes I wrote\n" * 40, "song.mp3", "does not look like audio"),
        (b"", "empty.wav", "empty"),
        (wav(30 * 60, rate=2000), "long.wav", "30 minutes"),
        (wav(1.0) + b"\0" * (uploads.MAX_UPLOAD_BYTES + 1), "huge.wav", "upload limit"),
    ],
)
def test_bad_uploads_get_one_sentence_and_nothing_is_sent(
    open_app, make_key, data_dir, client_for, data, name, words
):
    key = make_key(credits=100)
    at = open_app(key)
    at.switch_page("app_pages/cover.py").run()
    upload(at, data, name)
    assert any(words in shown(w.value) for w in at.warning), messages(at)
    at.button(key="cover.submit").click().run()
    assert any("Please add a song to cover" in m for m in messages(at))
    library, owner = library_of(data_dir, key)
    assert upload_clips(library, owner).empty
    assert client_for(key).get_credits().available == 100


def test_the_card_action_opens_cover_on_the_clip(open_app, make_key, data_dir):
    key = make_key(credits=100)
    at = song_in_app(open_app(key))
    library, owner = library_of(data_dir, key)
    clip_id = library.clips_frame(owner)["clip_id"].iloc[0]
    at.button(key=f"create.latest.{clip_id}.open.cover and edit").click().run()
    assert at.selectbox(key="cover.source.clip").value == clip_id
    at.button(key="cover.submit").click().run()
    assert "Please add a style first." in messages(at)


OPERATIONS = {  # label on the page -> (operation, text inputs to fill, fields the server must receive)
    "Cover in a new style": ("cover", {"cover.producer_style": "jazz version"}, {"style": "jazz version"}),
    "Extend": ("extend", {}, {"duration": 30}),
    "Replace a section": (
        "replace",
        {"cover.replace_description": "guitar solo"},
        {"start_time": 3.5, "end_time": 6.5, "text": "guitar solo"},
    ),
    "Swap the vocals": (
        "swap_vocals",
        {"cover.voice_description": "male soul"},
        {"voice_description": "male soul"},
    ),
    "Swap the instrumental": (
        "swap_instrumentals",
        {"cover.instrumental_description": "acoustic guitar"},
        {"instrumental_description": "acoustic guitar"},
    ),
    "Variation": ("variation", {}, {"variation_type": "style"}),
}


def test_every_producer_operation_sends_its_fields(open_app, make_key, data_dir, emulator):
    key = make_key(tier="enterprise", credits=1000)
    at = open_app(key)
    at.radio(key="create.mode").set_value("Producer").run()
    at.text_area(key="create.producer_description").set_value("energetic EDM track with drops")
    at.slider(key="create.producer_duration").set_value(10)
    at.button(key="create.submit").click().run()
    library, owner = library_of(data_dir, key)
    finished = {"models": ("producer",), "statuses": ("completed",)}
    run_until(at, lambda _at: not library.clips_frame(owner, **finished).empty)
    clip_id = library.clips_frame(owner, **finished)["clip_id"].iloc[0]

    at.switch_page("app_pages/cover.py").run()
    at.radio(key="cover.kind").set_value("Producer edit").run()
    at.selectbox(key="cover.producer_source.clip").set_value(clip_id).run()
    for label, (operation, inputs, expected) in OPERATIONS.items():
        # A task finishing during a run reruns the app before the page sees a click: let the last one finish.
        run_until(at, lambda _at: not library.pending_tasks(owner))
        at.selectbox(key="cover.operation").set_value(label).run()
        at.button(key="cover.producer.submit").click().run()
        if inputs:
            assert any(m.startswith("Please add") for m in messages(at)), (label, messages(at))
        for widget_key, value in inputs.items():
            at.text_input(key=widget_key).set_value(value)
        if label == "Replace a section":
            at.slider(key="cover.region").set_value((3.5, 6.5)).run()
            assert any(a.start_time == 3 for a in at.get("audio")), "the section is not playable alone"
        at.button(key="cover.producer.submit").click().run()
        assert not at.exception, label
        params = sent(emulator, newest_task(library, owner, "producer.create_music"))
        assert (params["clip_id"], params["operation"]) == (clip_id, operation), (label, messages(at))
        assert {name: params[name] for name in expected} == expected, label


def test_a_producer_upload_goes_through_producers_route_and_is_offered_for_producer_edits(
    open_app, make_key, data_dir, emulator
):
    key = make_key(credits=100)
    at = open_app(key)
    at.switch_page("app_pages/cover.py").run()
    at.radio(key="cover.kind").set_value("Producer edit").run()
    upload(at, wav(3.0), "riff.wav", key="cover.producer_source")
    library, owner = library_of(data_dir, key)
    audio_id = upload_clips(library, owner)["clip_id"].iloc[0]
    assert audio_id.startswith("producer_audio_"), "not uploaded through producer.upload_music"
    at.text_input(key="cover.producer_style").set_value("jazz version")
    at.button(key="cover.producer.submit").click().run()
    task = newest_task(library, owner, "producer.create_music")
    assert (task.params["audio_id"], task.params["operation"]) == (audio_id, "cover")
    assert sent(emulator, task)["style"] == "jazz version"

    at.radio(key="cover.producer_source.from").set_value("A song from my library").run()
    assert at.selectbox(key="cover.producer_source.clip").value == audio_id, "the upload is not offered"
