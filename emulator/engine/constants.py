"""Every lookup table of the engine: genres, moods, progressions, grooves, instruments, voices, words.

Programs are General MIDI program numbers counted from 0 (0 = Acoustic Grand Piano). Drum notes are the
General MIDI percussion map on channel 10. Progressions are Roman numerals relative to the key's tonic
(upper case = major, lower case = minor, "b" = flattened root, suffixes 7, maj7, m7, 9, sus4, dim, 5).
"""

SAMPLE_RATE = 44100
MIN_DURATION = 5.0
MAX_DURATION = 600.0
MAX_TEXT_CHARS = 5000
MAX_LYRICS_CHARS = 5000
MAX_LYRIC_SECTIONS = 8  # longer songs fill with solos and choruses rather than a sixth verse
BEATS_PER_BAR = 4
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

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
NOTE_ALIASES = {"Db": 1, "D#": 3, "Gb": 6, "G#": 8, "A#": 10, "Cb": 11, "B#": 0, "E#": 5, "Fb": 4}
SCALES = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
}
ROMAN_DEGREES = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
CHORD_INTERVALS = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "9": (0, 4, 7, 10, 14),
    "m9": (0, 3, 7, 10, 14),
    "sus4": (0, 5, 7),
    "add9": (0, 4, 7, 14),
    "5": (0, 7, 12),
}

# Drum kits (bank 128 presets of TimGM6mb) and the General MIDI percussion notes we use.
DRUM_KITS = {"standard": 0, "room": 8, "power": 16, "electronic": 24, "tr808": 25, "jazz": 32, "brush": 40}
DRUM_NOTES = {
    "kick": 36,
    "snare": 38,
    "rim": 37,
    "clap": 39,
    "hat": 42,
    "pedal_hat": 44,
    "open_hat": 46,
    "crash": 49,
    "ride": 51,
    "tom_low": 45,
    "tom_mid": 47,
    "tom_high": 50,
    "shaker": 70,
    "tambourine": 54,
    "conga_high": 62,
    "conga_low": 64,
    "bongo": 60,
    "cowbell": 56,
    "clave": 75,
}

# Grooves: one bar of 16 sixteenth-note steps per drum voice; digits are velocity levels (1 soft .. 9 hard).
GROOVES = {
    "pop": {
        "kick": "9000000090900000",
        "snare": "0000900000009000",
        "hat": "5030503050305030",
    },
    "rock": {
        "kick": "9000009090000000",
        "snare": "0000900000009000",
        "hat": "7070707070707070",
    },
    "four_on_floor": {
        "kick": "9000900090009000",
        "clap": "0000800000008000",
        "hat": "0050005000500050",
        "open_hat": "0070007000700070",
    },
    "trap": {
        "kick": "9000000000900000",
        "snare": "0000000090000000",
        "hat": "5353535353535353",
    },
    "boom_bap": {
        "kick": "9000000090100000",
        "snare": "0000900000009000",
        "hat": "5050505050505050",
    },
    "lofi": {
        "kick": "8000000070100000",
        "snare": "0000700000007000",
        "hat": "4030403040304030",
    },
    "swing": {
        "ride": "7000506070005060",
        "pedal_hat": "0000600000006000",
        "kick": "3000000030000000",
    },
    "ballad": {
        "kick": "8000000000800000",
        "rim": "0000600000006000",
        "hat": "4000400040004000",
    },
    "country": {
        "kick": "9000000090000000",
        "snare": "0000800000008000",
        "hat": "6060606060606060",
        "tambourine": "0000500000005000",
    },
    "rnb": {
        "kick": "9000000100900000",
        "snare": "0000900000009000",
        "hat": "5030503050305030",
        "rim": "0000000000010000",
    },
    "metal": {
        "kick": "9050905090509050",
        "snare": "0000900000009000",
        "ride": "7000600070006000",
        "crash": "7000000000000000",
    },
    "reggae": {
        "kick": "0000000090000000",
        "rim": "0000000090000000",
        "hat": "5050505050505050",
    },
    "latin": {
        "kick": "9000009090000090",
        "clave": "7007007000707000",
        "conga_high": "0050005500500055",
        "conga_low": "5000500050005000",
        "shaker": "4444444444444444",
    },
    "folk": {
        "kick": "8000000080000000",
        "shaker": "5353535353535353",
        "rim": "0000600000006000",
    },
    "blues": {
        "kick": "9000000090000000",
        "snare": "0000800000008000",
        "hat": "6006006006006006",
    },
    "cinematic": {
        "tom_low": "9000000000900000",
        "tom_mid": "0000000090000000",
        "crash": "7000000000000000",
    },
}
SWING_GROOVES = {"swing", "blues"}

# Instruments a prompt can name: keyword -> (stem, GM program). Longer keywords are matched first.
INSTRUMENT_WORDS = {
    "grand piano": ("piano", 0),
    "piano": ("piano", 0),
    "keys": ("piano", 4),
    "electric piano": ("piano", 4),
    "rhodes": ("piano", 4),
    "wurlitzer": ("piano", 5),
    "harpsichord": ("piano", 6),
    "organ": ("other", 16),
    "hammond": ("other", 16),
    "acoustic guitar": ("guitar", 25),
    "nylon guitar": ("guitar", 24),
    "classical guitar": ("guitar", 24),
    "spanish guitar": ("guitar", 24),
    "ukulele": ("guitar", 24),
    "electric guitar": ("guitar", 27),
    "clean guitar": ("guitar", 27),
    "jazz guitar": ("guitar", 26),
    "distorted guitar": ("guitar", 30),
    "distortion guitar": ("guitar", 30),
    "heavy guitar": ("guitar", 30),
    "overdrive": ("guitar", 29),
    "guitar solo": ("guitar", 29),
    "guitar": ("guitar", 25),
    "banjo": ("guitar", 105),
    "bass guitar": ("bass", 33),
    "slap bass": ("bass", 36),
    "upright bass": ("bass", 32),
    "double bass": ("bass", 32),
    "synth bass": ("bass", 38),
    "808": ("bass", 38),
    "sub bass": ("bass", 38),
    "bass": ("bass", 33),
    "strings": ("strings", 48),
    "string": ("strings", 48),
    "orchestra": ("strings", 48),
    "orchestral": ("strings", 48),
    "violin": ("strings", 40),
    "viola": ("strings", 41),
    "cello": ("strings", 42),
    "pizzicato": ("strings", 45),
    "brass": ("brass", 61),
    "horns": ("brass", 61),
    "horn": ("brass", 60),
    "french horn": ("brass", 60),
    "trumpet": ("brass", 56),
    "trombone": ("brass", 57),
    "tuba": ("brass", 58),
    "saxophone": ("brass", 65),
    "sax": ("brass", 65),
    "synth": ("synth", 81),
    "synthesizer": ("synth", 81),
    "synth lead": ("synth", 81),
    "lead synth": ("synth", 81),
    "supersaw": ("synth", 81),
    "synth pad": ("synth", 89),
    "pad": ("synth", 89),
    "pads": ("synth", 89),
    "arpeggiator": ("synth", 80),
    "choir": ("backing_vocals", 52),
    "flute": ("other", 73),
    "clarinet": ("other", 71),
    "oboe": ("other", 68),
    "harp": ("other", 46),
    "marimba": ("other", 12),
    "vibraphone": ("other", 11),
    "bells": ("other", 14),
    "glockenspiel": ("other", 9),
    "celesta": ("other", 8),
    "accordion": ("other", 21),
    "harmonica": ("other", 22),
    "sitar": ("other", 104),
    "steel drums": ("other", 114),
    "kalimba": ("other", 108),
    "timpani": ("other", 47),
}
DRUM_WORDS = ("drums", "drum", "beat", "percussion", "808", "kick", "snare", "hi-hat", "hihat", "trap beat")
NO_DRUM_WORDS = ("no drums", "without drums", "drumless", "a cappella", "acapella")
INSTRUMENTAL_WORDS = ("instrumental", "no vocals", "no vocal", "without vocals", "no singing", "karaoke")

# Genre table. Each palette entry is (role, stem, program); roles: comp (rhythmic chords), pad (held
# chords), arp (broken chords), lead (plays the melody when there is no voice, and the solos).
GENRES = {
    "pop": {
        "words": ("pop", "dance pop", "synthpop", "synth-pop", "k-pop", "kpop", "j-pop", "radio"),
        "tempo": (100, 124),
        "mode": "major",
        "progressions": {
            "major": {"verse": "vi IV I V", "chorus": "I V vi IV", "bridge": "IV V iii vi"},
            "minor": {"verse": "i bVI bIII bVII", "chorus": "bVI bVII i i", "bridge": "iv bVI bVII V"},
        },
        "palette": (("comp", "piano", 0), ("pad", "synth", 89), ("lead", "synth", 80), ("arp", "guitar", 27)),
        "bass": ("bass", 33, "pop"),
        "groove": "pop",
        "kit": "standard",
        "comp": "pulse",
    },
    "rock": {
        "words": ("rock", "indie", "alternative", "grunge", "punk", "garage", "stadium"),
        "tempo": (110, 140),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I bVII IV I", "chorus": "IV I V vi", "bridge": "vi IV I V"},
            "minor": {"verse": "i bVII bVI bVII", "chorus": "i bIII bVII iv", "bridge": "bVI bVII i i"},
        },
        "palette": (
            ("comp", "guitar", 29),
            ("arp", "guitar", 27),
            ("pad", "other", 16),
            ("lead", "guitar", 29),
        ),
        "bass": ("bass", 34, "eighths"),
        "groove": "rock",
        "kit": "power",
        "comp": "power",
    },
    "edm": {
        "words": (
            "edm",
            "house",
            "electronic",
            "techno",
            "trance",
            "dance",
            "club",
            "electro",
            "dubstep",
            "disco",
        ),
        "tempo": (122, 128),
        "mode": "minor",
        "progressions": {
            "major": {"verse": "vi IV I V", "chorus": "IV V vi vi", "bridge": "IV IV V V"},
            "minor": {"verse": "i bVI bIII bVII", "chorus": "i bVI bIII bVII", "bridge": "bVI bVI bVII bVII"},
        },
        "palette": (("comp", "synth", 81), ("pad", "synth", 89), ("arp", "synth", 80), ("lead", "synth", 81)),
        "bass": ("bass", 38, "offbeat"),
        "groove": "four_on_floor",
        "kit": "electronic",
        "comp": "stabs",
    },
    "hiphop": {
        "words": ("hip-hop", "hip hop", "hiphop", "rap", "trap", "drill", "boom bap", "grime"),
        "tempo": (84, 96),
        "mode": "minor",
        "progressions": {
            "major": {"verse": "ii7 V7 Imaj7 vi7", "chorus": "IVmaj7 iii7 vi7 V", "bridge": "ii7 ii7 V7 V7"},
            "minor": {"verse": "i bVI i bVII", "chorus": "i iv bVI bVII", "bridge": "bVI bVI V V"},
        },
        "palette": (("arp", "piano", 0), ("pad", "synth", 89), ("lead", "synth", 80)),
        "bass": ("bass", 38, "808"),
        "groove": "trap",
        "kit": "tr808",
        "comp": "sparse",
    },
    "lofi": {
        "words": ("lo-fi", "lofi", "lo fi", "chillhop", "study", "chill beat"),
        "tempo": (72, 88),
        "mode": "minor",
        "progressions": {
            "major": {
                "verse": "Imaj7 vi7 ii7 V7",
                "chorus": "IVmaj7 iii7 ii7 Imaj7",
                "bridge": "ii7 V7 Imaj7 Imaj7",
            },
            "minor": {
                "verse": "im7 iv7 bVIImaj7 bIIImaj7",
                "chorus": "bVImaj7 v7 im7 im7",
                "bridge": "iv7 v7 im7 im7",
            },
        },
        "palette": (("comp", "piano", 4), ("pad", "strings", 49), ("lead", "other", 11)),
        "bass": ("bass", 32, "pop"),
        "groove": "lofi",
        "kit": "jazz",
        "comp": "lazy",
        "swing": 0.3,
    },
    "jazz": {
        "words": ("jazz", "swing", "bebop", "bossa", "big band", "smooth jazz", "lounge"),
        "tempo": (110, 150),
        "mode": "major",
        "progressions": {
            "major": {
                "verse": "ii7 V7 Imaj7 vi7",
                "chorus": "ii7 V7 iii7 vi7",
                "bridge": "IVmaj7 iv7 iii7 VI7",
            },
            "minor": {
                "verse": "iim7 V7 im7 im7",
                "chorus": "iv7 bVII7 bIIImaj7 bVImaj7",
                "bridge": "iim7 V7 im7 V7",
            },
        },
        "palette": (("comp", "piano", 0), ("lead", "brass", 65), ("pad", "guitar", 26)),
        "bass": ("bass", 32, "walking"),
        "groove": "swing",
        "kit": "jazz",
        "comp": "charleston",
        "swing": 0.6,
    },
    "classical": {
        "words": (
            "classical",
            "orchestral",
            "symphony",
            "symphonic",
            "baroque",
            "chamber",
            "string quartet",
            "opera",
        ),
        "tempo": (72, 108),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I IV V I", "chorus": "vi ii V I", "bridge": "IV V iii vi"},
            "minor": {"verse": "i iv V i", "chorus": "bVI iv V i", "bridge": "bIII bVI iv V"},
        },
        "palette": (
            ("pad", "strings", 48),
            ("arp", "other", 46),
            ("lead", "strings", 40),
            ("comp", "brass", 60),
        ),
        "bass": ("strings", 42, "long"),
        "groove": None,
        "kit": "standard",
        "comp": "held",
    },
    "cinematic": {
        "words": ("cinematic", "film", "score", "soundtrack", "trailer", "epic", "heroic"),
        "tempo": (80, 100),
        "mode": "minor",
        "progressions": {
            "major": {"verse": "I V vi IV", "chorus": "IV I V vi", "bridge": "vi IV I V"},
            "minor": {"verse": "i bVI bIII bVII", "chorus": "bVI bIII bVII i", "bridge": "iv bVI bVII bVII"},
        },
        "palette": (
            ("pad", "strings", 48),
            ("comp", "brass", 61),
            ("arp", "piano", 0),
            ("lead", "strings", 40),
        ),
        "bass": ("strings", 42, "long"),
        "groove": "cinematic",
        "kit": "standard",
        "comp": "held",
    },
    "ambient": {
        "words": ("ambient", "meditation", "atmospheric", "drone", "relaxing", "sleep", "spa", "new age"),
        "tempo": (60, 76),
        "mode": "major",
        "progressions": {
            "major": {
                "verse": "Imaj7 IVmaj7 Imaj7 IVmaj7",
                "chorus": "vi7 IVmaj7 Imaj7 V",
                "bridge": "IVmaj7 IVmaj7 Imaj7 Imaj7",
            },
            "minor": {
                "verse": "im9 bVImaj7 im9 bVImaj7",
                "chorus": "iv7 bVImaj7 im9 im9",
                "bridge": "bIIImaj7 bVImaj7 im9 im9",
            },
        },
        "palette": (
            ("pad", "synth", 88),
            ("arp", "other", 11),
            ("lead", "other", 73),
            ("pad", "strings", 49),
        ),
        "bass": ("bass", 38, "long"),
        "groove": None,
        "kit": "standard",
        "comp": "held",
    },
    "folk": {
        "words": ("folk", "acoustic", "singer-songwriter", "campfire", "indie folk", "americana", "celtic"),
        "tempo": (92, 116),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I IV I V", "chorus": "IV I V vi", "bridge": "vi IV I V"},
            "minor": {"verse": "i bVII bVI bVII", "chorus": "bIII bVII i i", "bridge": "iv i bVII i"},
        },
        "palette": (
            ("comp", "guitar", 25),
            ("arp", "guitar", 24),
            ("lead", "other", 73),
            ("pad", "strings", 48),
        ),
        "bass": ("bass", 32, "root_fifth"),
        "groove": "folk",
        "kit": "brush",
        "comp": "strum",
    },
    "country": {
        "words": ("country", "bluegrass", "nashville", "honky", "western"),
        "tempo": (100, 126),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I I IV I", "chorus": "IV I V I", "bridge": "vi IV I V"},
            "minor": {"verse": "i bVII i bVII", "chorus": "bVI bVII i i", "bridge": "iv i bVII i"},
        },
        "palette": (
            ("comp", "guitar", 25),
            ("lead", "guitar", 105),
            ("pad", "other", 16),
            ("arp", "piano", 0),
        ),
        "bass": ("bass", 32, "root_fifth"),
        "groove": "country",
        "kit": "standard",
        "comp": "strum",
    },
    "rnb": {
        "words": ("r&b", "rnb", "r and b", "soul", "neo-soul", "neo soul", "funk", "motown", "gospel"),
        "tempo": (70, 96),
        "mode": "minor",
        "progressions": {
            "major": {
                "verse": "Imaj7 iii7 vi7 IVmaj7",
                "chorus": "IVmaj7 V7 iii7 vi7",
                "bridge": "ii7 V7 Imaj7 Imaj7",
            },
            "minor": {
                "verse": "im7 iv7 bVIImaj7 bIIImaj7",
                "chorus": "bVImaj7 bVII7 im7 im7",
                "bridge": "iv7 v7 bVImaj7 V7",
            },
        },
        "palette": (
            ("comp", "piano", 4),
            ("pad", "strings", 49),
            ("lead", "brass", 65),
            ("arp", "guitar", 27),
        ),
        "bass": ("bass", 33, "pop"),
        "groove": "rnb",
        "kit": "standard",
        "comp": "lazy",
        "swing": 0.2,
    },
    "metal": {
        "words": ("metal", "heavy metal", "thrash", "metalcore", "hardcore", "doom"),
        "tempo": (140, 180),
        "mode": "minor",
        "progressions": {
            "major": {"verse": "I bVII bVI bVII", "chorus": "I IV bVII V", "bridge": "bVI bVII I I"},
            "minor": {
                "verse": "i5 i5 bVI5 bVII5",
                "chorus": "i5 bIII5 bVII5 bVI5",
                "bridge": "iv5 bVI5 V5 V5",
            },
        },
        "palette": (("comp", "guitar", 30), ("lead", "guitar", 30), ("pad", "strings", 48)),
        "bass": ("bass", 34, "eighths"),
        "groove": "metal",
        "kit": "power",
        "comp": "power",
    },
    "reggae": {
        "words": ("reggae", "dub", "ska", "dancehall", "roots"),
        "tempo": (70, 84),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I IV I V", "chorus": "IV V I vi", "bridge": "ii V I I"},
            "minor": {"verse": "i iv i v", "chorus": "bVI bVII i i", "bridge": "iv v i i"},
        },
        "palette": (("comp", "guitar", 27), ("pad", "other", 16), ("lead", "brass", 56)),
        "bass": ("bass", 33, "reggae"),
        "groove": "reggae",
        "kit": "standard",
        "comp": "skank",
    },
    "latin": {
        "words": (
            "latin",
            "salsa",
            "reggaeton",
            "samba",
            "cumbia",
            "bachata",
            "tango",
            "flamenco",
            "mariachi",
        ),
        "tempo": (92, 104),
        "mode": "minor",
        "progressions": {
            "major": {"verse": "I IV V IV", "chorus": "vi IV I V", "bridge": "ii V I I"},
            "minor": {"verse": "i iv V i", "chorus": "i bVII bVI V", "bridge": "iv iv V V"},
        },
        "palette": (
            ("comp", "piano", 0),
            ("arp", "guitar", 24),
            ("lead", "brass", 56),
            ("pad", "strings", 48),
        ),
        "bass": ("bass", 33, "tumbao"),
        "groove": "latin",
        "kit": "standard",
        "comp": "montuno",
    },
    "blues": {
        "words": ("blues", "bluesy", "delta", "shuffle"),
        "tempo": (76, 110),
        "mode": "major",
        "progressions": {
            "major": {"verse": "I7 IV7 I7 V7", "chorus": "IV7 IV7 I7 I7", "bridge": "V7 IV7 I7 V7"},
            "minor": {"verse": "im7 iv7 im7 V7", "chorus": "iv7 iv7 im7 im7", "bridge": "bVI7 V7 im7 V7"},
        },
        "palette": (("comp", "piano", 0), ("lead", "guitar", 29), ("pad", "other", 16), ("arp", "other", 22)),
        "bass": ("bass", 33, "walking"),
        "groove": "blues",
        "kit": "standard",
        "comp": "shuffle",
        "swing": 0.6,
    },
}
DEFAULT_GENRE = "pop"
# Genres whose alternates are used by a style variation.
RELATED_GENRES = {
    "pop": ("rnb", "edm", "folk"),
    "rock": ("metal", "blues", "pop"),
    "edm": ("pop", "hiphop", "ambient"),
    "hiphop": ("rnb", "lofi", "edm"),
    "lofi": ("jazz", "hiphop", "ambient"),
    "jazz": ("lofi", "blues", "latin"),
    "classical": ("cinematic", "ambient", "folk"),
    "cinematic": ("classical", "ambient", "rock"),
    "ambient": ("lofi", "cinematic", "classical"),
    "folk": ("country", "pop", "blues"),
    "country": ("folk", "rock", "blues"),
    "rnb": ("pop", "jazz", "hiphop"),
    "metal": ("rock", "cinematic", "edm"),
    "reggae": ("latin", "pop", "rnb"),
    "latin": ("reggae", "jazz", "pop"),
    "blues": ("jazz", "rock", "country"),
}

# Moods: words -> mode preference, tempo shift (BPM), energy (0..1).
MOODS = {
    "happy": {
        "words": (
            "happy",
            "joy",
            "joyful",
            "cheerful",
            "bright",
            "sunny",
            "fun",
            "playful",
            "summer",
            "party",
            "celebrat",
        ),
        "mode": "major",
        "tempo": 6,
        "energy": 0.75,
    },
    "energetic": {
        "words": (
            "energetic",
            "upbeat",
            "uptempo",
            "driving",
            "powerful",
            "intense",
            "hype",
            "fast",
            "anthem",
        ),
        "mode": None,
        "tempo": 10,
        "energy": 0.95,
    },
    "sad": {
        "words": (
            "sad",
            "melancholy",
            "melancholic",
            "heartbreak",
            "heartbroken",
            "lonely",
            "tears",
            "grief",
            "sorrow",
            "blue ",
            "nostalg",
            "loss",
            "breakup",
            "cry",
        ),
        "mode": "minor",
        "tempo": -12,
        "energy": 0.35,
    },
    "dark": {
        "words": (
            "dark",
            "ominous",
            "sinister",
            "evil",
            "haunting",
            "horror",
            "menacing",
            "gloomy",
            "angry",
            "aggressive",
            "villain",
        ),
        "mode": "minor",
        "tempo": 0,
        "energy": 0.7,
    },
    "epic": {
        "words": ("epic", "heroic", "triumphant", "majestic", "grand", "battle", "victory"),
        "mode": None,
        "tempo": 0,
        "energy": 0.9,
    },
    "calm": {
        "words": (
            "calm",
            "peaceful",
            "gentle",
            "soft",
            "relax",
            "soothing",
            "serene",
            "chill",
            "mellow",
            "quiet",
            "slow",
            "dreamy",
            "lullaby",
        ),
        "mode": None,
        "tempo": -10,
        "energy": 0.3,
    },
    "romantic": {
        "words": ("romantic", "love", "tender", "sweet", "intimate", "sensual", "wedding"),
        "mode": "major",
        "tempo": -6,
        "energy": 0.45,
    },
    "hopeful": {
        "words": ("hopeful", "uplifting", "inspiring", "inspirational", "optimistic", "dream", "rise"),
        "mode": "major",
        "tempo": 2,
        "energy": 0.7,
    },
    "mysterious": {
        "words": ("mysterious", "mystery", "eerie", "suspense", "tense", "spooky"),
        "mode": "minor",
        "tempo": -4,
        "energy": 0.45,
    },
}
DEFAULT_MOOD = "neutral"

# Voices: register (lowest, highest MIDI note) and patch.
VOICE_PATCH = 53  # Voice Oohs
BACKING_PATCH = 52  # Choir Aahs
VOICE_REGISTERS = {"female": (60, 79), "male": (48, 67)}
VOICE_DESCRIPTION_WORDS = {
    "female": ("female", "woman", "women", "girl", "soprano", "alto", "she ", "her "),
    "male": ("male", "man ", "men ", "boy", "baritone", "tenor", "bass voice", "he ", "his "),
    "mixed": ("duet", "mixed", "both", "choir", "group"),
}
VOICE_PATCH_WORDS = {
    "synth voice": 54,
    "robot": 54,
    "vocoder": 54,
    "choir": 52,
    "airy": 91,
    "ethereal": 91,
    "solo vox": 85,
}

# Lyrics: line banks by feeling. "{t}" is the theme; every line ends on a word of its rhyme family.
RHYME_FAMILIES = {
    "ight": ("night", "light", "bright", "tonight", "right", "flight", "sight"),
    "ay": ("day", "way", "stay", "away", "say", "play"),
    "ire": ("fire", "higher", "desire", "wire"),
    "own": ("home", "alone", "known", "own", "stone"),
    "un": ("sun", "run", "one", "done", "fun"),
    "ee": ("free", "sea", "me", "be", "see"),
    "ime": ("time", "mine", "shine", "line", "sign"),
    "ound": ("ground", "sound", "around", "found", "down"),
    "art": ("heart", "start", "apart", "dark"),
    "ain": ("rain", "again", "pain", "remain", "name"),
}
LYRIC_LINES = {
    "bright": (
        ("We are dancing in the {t} tonight", "ight"),
        ("Every window open to the light", "ight"),
        ("Hold me closer, everything is bright", "ight"),
        ("Feel the {t} and it feels so right", "ight"),
        ("Let the music carry us away", "ay"),
        ("Stay forever in the {t} today", "ay"),
        ("Nothing in the world can get in our way", "ay"),
        ("Singing out the words we want to say", "ay"),
        ("Hearts are racing, burning like a fire", "ire"),
        ("Take my hand, we're going higher", "ire"),
        ("Every little spark of our desire", "ire"),
        ("Running with the wind under the sun", "un"),
        ("{t} is calling, come on, let's run", "un"),
        ("All the friends together, we are one", "un"),
        ("We've only just begun to have fun", "un"),
        ("Golden waves are rolling on the sea", "ee"),
        ("Out here we are wild and we are free", "ee"),
        ("You and me, it's where we want to be", "ee"),
        ("Count the stars, we have all the time", "ime"),
        ("Let the colours of the {t} shine", "ime"),
        ("Hand in hand, your heartbeat next to mine", "ime"),
        ("Turn it up and let me hear that sound", "ound"),
        ("Feet are off the ground", "ound"),
        ("Spinning all the {t} around", "ound"),
        ("Open up the windows of your heart", "art"),
        ("This is where the good days start", "art"),
    ),
    "dark": (
        ("Walking on my own into the night", "ight"),
        ("Shadows in the corner of the light", "ight"),
        ("Holding on, I'm losing every fight", "ight"),
        ("Memories of {t} fade away", "ay"),
        ("Every word I never got to say", "ay"),
        ("Colours turning slowly into grey", "ay"),
        ("Burning all the letters in the fire", "ire"),
        ("Falling from a promise on a wire", "ire"),
        ("Empty rooms and nobody at home", "own"),
        ("Counting all the hours on my own", "own"),
        ("Heavy as a heart made out of stone", "own"),
        ("Waiting for the {t} to be known", "own"),
        ("Cold and silent, every song is done", "un"),
        ("Nowhere left to hide and nowhere to run", "un"),
        ("Drifting out alone across the sea", "ee"),
        ("Nothing left of you and nothing left of me", "ee"),
        ("Tell me why it had to be", "ee"),
        ("Slowly I am running out of time", "ime"),
        ("Every broken promise, every sign", "ime"),
        ("Echoes of the {t} all around", "ound"),
        ("Screaming but there isn't any sound", "ound"),
        ("Still I keep on searching, never found", "ound"),
        ("Pieces of a long forgotten heart", "art"),
        ("Every time we end before we start", "art"),
        ("Standing in the middle of the rain", "ain"),
        ("Calling out the {t} again", "ain"),
        ("Learning how to live with all the pain", "ain"),
    ),
}
CHORUS_HOOKS = {
    "bright": (
        "Oh, {t}, {t}, take me higher",
        "{t}, {t}, never let it go",
        "This is our {t}, sing it out loud",
        "Oh oh, {t} in my heart",
    ),
    "dark": (
        "Oh, {t}, where did you go",
        "{t}, {t}, I'm still here",
        "Lost in the {t} tonight",
        "Oh, {t}, don't let me fall",
    ),
}
BRIDGE_LINES = {
    "bright": ("If the night is over, we'll find a way", "Nothing lasts forever, but we have today"),
    "dark": ("When the morning comes, will I see", "All I ever was and all I'll never be"),
}
MAX_THEME_SYLLABLES = 4  # the theme is sung up to twice in a hook line: keep lines singable
DEFAULT_THEMES = {"bright": "summer", "dark": "the night"}
THEME_STOP_WORDS = {
    "a",
    "an",
    "the",
    "song",
    "track",
    "tune",
    "music",
    "about",
    "with",
    "and",
    "of",
    "for",
    "in",
    "on",
    "my",
    "your",
    "our",
    "some",
    "very",
    "feat",
    "featuring",
    "vocals",
    "vocal",
    "voice",
    "singer",
    "beat",
    "bpm",
    "major",
    "minor",
    "key",
    "style",
    "genre",
    "female",
    "male",
    "instrumental",
    "lyrics",
    "to",
    "that",
    "is",
    "at",
    "by",
    "from",
    "into",
    "like",
    "feel",
    "vibe",
    "vibes",
    "version",
    "type",
    "kind",
    "sound",
    "sounds",
    "tempo",
    "slow",
    "fast",
    "mid",
}

# Tables used by the composer, the analysis and the operations.
ALTERNATE_PROGRAMS = {
    0: 4,
    4: 0,
    25: 24,
    24: 25,
    27: 28,
    29: 30,
    48: 49,
    49: 48,
    89: 88,
    88: 90,
    81: 80,
    80: 81,
    61: 60,
    60: 61,
    16: 19,
    46: 11,
    11: 12,
    40: 73,
    73: 71,
    65: 66,
    56: 65,
    105: 25,
}

BASS_PATTERNS = {  # (start beat, length, interval: "r" root, "5" fifth, "8" octave, "n" next root)
    "pop": ((0, 1.4, "r"), (1.5, 0.45, "r"), (2, 0.9, "r"), (3, 0.45, "5"), (3.5, 0.45, "8")),
    "eighths": tuple((i * 0.5, 0.42, "r") for i in range(8)),
    "offbeat": ((0.5, 0.4, "r"), (1.5, 0.4, "8"), (2.5, 0.4, "r"), (3.5, 0.4, "8")),
    "808": ((0, 2.4, "r"), (2.5, 1.4, "r")),
    "walking": ((0, 0.9, "r"), (1, 0.9, "3"), (2, 0.9, "5"), (3, 0.9, "a")),
    "root_fifth": ((0, 1.8, "r"), (2, 1.8, "5")),
    "reggae": ((0, 0.7, "r"), (1.5, 0.45, "3"), (2, 0.9, "5"), (3.5, 0.45, "r")),
    "tumbao": ((0, 0.45, "r"), (1.5, 1.4, "5"), (3, 0.9, "n")),
    "long": ((0, 3.9, "r"),),
}

CELL_STEPS = (1, 1, -1, -1, 2, -2, 0, 3)

COMP_PATTERNS = {  # (start beat, length in beats, accent) per bar
    "pulse": ((0, 0.9, 1.0), (1, 0.45, 0.7), (1.5, 0.9, 0.85), (2.5, 0.45, 0.7), (3, 0.9, 0.85)),
    "power": tuple((i * 0.5, 0.42, 1.0 if i % 2 == 0 else 0.8) for i in range(8)),
    "stabs": ((0.5, 0.3, 1.0), (1.5, 0.3, 0.9), (2.5, 0.3, 1.0), (3.5, 0.3, 0.9)),
    "sparse": ((0, 2.0, 1.0), (2.5, 1.4, 0.8)),
    "lazy": ((0, 1.5, 1.0), (2.5, 1.4, 0.85)),
    "charleston": ((0, 0.6, 1.0), (1.5, 0.45, 0.85), (3.5, 0.4, 0.75)),
    "held": ((0, 4.0, 1.0),),
    "strum": (
        (0, 1.0, 1.0),
        (1, 0.5, 0.8),
        (1.5, 0.5, 0.6),
        (2.5, 0.5, 0.6),
        (3, 0.5, 0.85),
        (3.5, 0.5, 0.6),
    ),
    "skank": ((1, 0.35, 1.0), (3, 0.35, 1.0)),
    "montuno": (
        (0, 0.4, 1.0),
        (1, 0.4, 0.8),
        (1.5, 0.4, 0.9),
        (2.5, 0.4, 0.8),
        (3, 0.4, 0.9),
        (3.5, 0.4, 0.8),
    ),
    "shuffle": tuple((i * 0.5, 0.4, 1.0 if i % 2 == 0 else 0.7) for i in range(8)),
}

LEAD_CENTER = {"guitar": 66, "strings": 74, "brass": 70, "synth": 74, "other": 74, "piano": 72}

LINE_START_DEGREE = {"verse": 2, "chorus": 4, "bridge": 5, "solo": 4, "intro": 4, "outro": 0}

# Krumhansl-Kessler key profiles (tonic first).
MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)

MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)

ROLE_CENTER = {"comp": 62, "pad": 64, "arp": 69, "choir": 66}

# Which roles play in which sections (named instruments play everywhere).
ROLE_SECTIONS = {
    "comp": {"intro", "verse", "chorus", "solo", "outro"},
    "pad": {"intro", "chorus", "bridge", "outro"},
    "arp": {"intro", "chorus", "bridge"},
    "choir": {"chorus", "bridge", "outro"},
}

ROLE_VOLUME = {"comp": 90, "pad": 72, "arp": 80, "choir": 74}  # MIDI CC7: the voice sits on top

SECTION_ENERGY = {"intro": 0.45, "verse": 0.65, "chorus": 1.0, "bridge": 0.55, "solo": 0.85, "outro": 0.5}

SECTION_LABELS = {
    "verse": "verse",
    "pre-chorus": "verse",
    "prechorus": "verse",
    "intro": "verse",
    "outro": "chorus",
    "chorus": "chorus",
    "hook": "chorus",
    "refrain": "chorus",
    "bridge": "bridge",
    "break": "bridge",
}

SEQUENCE_SHIFTS = (1, 2, -1, 0)

STRUCTURES = (
    ("verse", "chorus", "verse", "chorus", "bridge", "chorus"),
    ("verse", "chorus", "verse", "chorus"),
    ("verse", "verse", "chorus", "bridge", "chorus"),
    ("verse", "chorus", "bridge", "chorus"),
)
