"""The synthetic singer: eSpeak NG speaks the lyrics, Praat's PSOLA moves each syllable onto its note.

Self-contained (it imports nothing from the rest of the engine) because it runs in a child process of
its own; emulator/engine/vocals.py turns an arrangement into the score it sings.
"""
