"""Rhythm tables: drum kits and notes (General MIDI percussion map, channel 10), grooves, bass and comp patterns."""

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
