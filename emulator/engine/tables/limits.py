"""Limits of a request and fixed facts of the output: sample rate, durations, text sizes, stems, loudness."""

SAMPLE_RATE = 44100
MIN_DURATION = 5.0
MAX_DURATION = 600.0
MAX_TEXT_CHARS = 5000
MAX_LYRICS_CHARS = 5000
MAX_LYRIC_SECTIONS = 8  # longer songs fill with solos and choruses rather than a sixth verse
TARGET_LUFS = -14.0
TRUE_PEAK_CEILING_DBTP = -1.0
STEM_NAMES = (
    "lead_vocals",
    "backing_vocals",
    "drums",
    "bass",
    "piano",
    "guitar",
    "synth",
    "strings",
    "brass",
    "other",
    "mix",
    "background",
)
INSTRUMENT_STEMS = STEM_NAMES[:10]
VOICE_GENDERS = ("female", "male", "mixed")
VARIATION_TYPES = ("style", "melody", "arrangement")
VOICE_SENTENCE = (
    "The voice is a General MIDI soundfont voice patch singing the melody one note per lyric syllable; "
    "it does not pronounce the words."
)
