"""The engine's lookup tables, one kind of thing per module."""
