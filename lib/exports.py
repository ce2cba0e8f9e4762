"""Which call exports a clip as WAV or MIDI: the rule differs by model, and the page only shows the result."""

from __future__ import annotations

# File extension -> (name shown to a person, MIME type).
EXPORTS: dict[str, tuple[str, str]] = {"wav": ("WAV", "audio/wav"), "mid": ("MIDI", "audio/midi")}
# Songs made on this machine (a kept mix): the server has no copy to export; what exists is kept with them.
LOCAL_MODELS = ("mix",)


def export_call(model: str, ext: str) -> str:
    """The client call (named as in lib.costs) that makes the `ext` export of a clip made by `model`.

    MIDI always comes from Suno's get-midi; WAV is Producer's free download for Producer clips and Suno's paid
    WAV task for everything else.
    """
    if ext not in EXPORTS:
        raise ValueError(f"{ext!r} is not an export the studio offers ({', '.join(EXPORTS)}).")
    if ext == "mid":
        return "suno.get_midi"
    return "producer.download" if model == "producer" else "suno.wav"


def is_task(call: str) -> bool:
    """Whether an export call starts a task (the tray finishes it) rather than answering at once."""
    return call == "suno.wav"
