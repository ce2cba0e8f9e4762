"""Lyrics: written from a prompt (rhyming, labelled sections), read from a person's text, cut into syllables."""

import random
import re

from .style import detect_moods, normalise_text, text_seed
from .tables.genres import GENRES, MOODS
from .tables.limits import MAX_TEXT_CHARS
from .tables.lyric_banks import (
    BRIDGE_LINES,
    CHORUS_HOOKS,
    DEFAULT_THEMES,
    LYRIC_LINES,
    MAX_THEME_SYLLABLES,
    SECTION_LABELS,
    STRUCTURES,
    THEME_STOP_WORDS,
)

HEADER_RE = re.compile(
    r"^\s*[\[(]?\s*(pre-chorus|prechorus|verse|chorus|hook|refrain|bridge|break|intro|outro)\b[^\]):]*[\])]?\s*:?\s*(.*)$",
    re.IGNORECASE,
)
WIDE_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
LATIN_VOWELS_RE = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+", re.IGNORECASE)
OTHER_VOWELS = set("аеёиоуыэюяαεηιουωاويآ")
# Performance directions, not words: "(x2)", "[x3]", "2x", "(repeat)", "×4" alone or ending a line.
REPEAT_RE = re.compile(
    r"\s*[\[(]?\s*(?:[x×]\s*\d+|\d+\s*[x×]|repeat(?:\s*[x×]?\s*\d+)?)\s*[\])]?\s*$", re.IGNORECASE
)
SINGABLE_RE = re.compile(r"[^\W_]")


def feeling_of(text: str) -> str:
    moods = detect_moods(normalise_text(text))
    dark = [m for m in moods if MOODS[m]["mode"] == "minor"]
    return "dark" if dark and dark[0] == moods[0] else "bright"


def theme_of(prompt: str, feeling: str) -> str:
    """The topic: words after 'about'/'of', else the first content words, else a default."""
    text = normalise_text(prompt).strip()
    match = re.search(r"\b(?:about|of|for)\s+(.+)", text)
    candidates = (match.group(1) if match else text).split()
    genre_words = {w for spec in GENRES.values() for w in spec["words"]}
    mood_words = {w for spec in MOODS.values() for w in spec["words"]}
    words = []
    for word in candidates:
        word = re.sub(r"[^\w'-]", "", word)
        if (
            not word
            or word in THEME_STOP_WORDS
            or word in genre_words
            or word in mood_words
            or any(c.isdigit() for c in word)
        ):
            if words:
                break
            continue
        words.append(word)
        if len(words) == 2:
            break
    while len(words) > 1 and len(syllables(" ".join(words))) > MAX_THEME_SYLLABLES:
        words.pop()
    theme = " ".join(words)[:24].strip()
    return theme or DEFAULT_THEMES[feeling]


def _fill(line: str, theme: str) -> str:
    filled = line.replace("{t}", theme)
    return filled[:1].upper() + filled[1:]


def _stanza(rng: random.Random, bank: tuple, theme: str, used: set, lines: int = 4) -> list[str]:
    families = sorted({family for _, family in bank})
    rng.shuffle(families)
    out = []
    for family in families:
        choices = [line for line, fam in bank if fam == family and line not in used]
        if len(choices) < 2:
            continue
        pair = rng.sample(choices, 2)
        used.update(pair)
        out.extend(_fill(line, theme) for line in pair)
        if len(out) >= lines:
            break
    if len(out) < lines and used:
        used.clear()  # a long song has used every line once: start again
        out += _stanza(rng, bank, theme, used, lines - len(out))
    return out[:lines]


def write_lyrics(prompt: str, style: str = "", seed: int = 0, sections: int = 0) -> dict:
    """One set of lyrics: {"lyrics": text with [Section] headers, "structure": "verse-chorus-..."}.

    `sections` asks for at least that many sections (a long song gets more verses, same chorus).
    """
    feeling = feeling_of(f"{prompt} {style}")
    theme = theme_of(prompt, feeling) if prompt.strip() else DEFAULT_THEMES[feeling]
    rng = random.Random(text_seed("lyrics", prompt, style, seed))
    structure = rng.choice(STRUCTURES)
    while len(structure) < sections:
        structure = (*structure, "verse", "chorus")
    bank = LYRIC_LINES[feeling]
    used: set = set()
    hooks = CHORUS_HOOKS[feeling]
    if len(syllables(theme)) > 2:  # a long theme is sung once per hook line, not twice
        hooks = tuple(h for h in hooks if h.count("{t}") == 1)
    hook = _fill(rng.choice(hooks), theme)
    chorus_body = _stanza(rng, bank, theme, used, lines=2)
    chorus = [hook, *chorus_body, hook]
    bridge = list(BRIDGE_LINES[feeling])
    blocks, verse_number = [], 0
    for name in structure:
        if name == "verse":
            verse_number += 1
            blocks.append(f"[Verse {verse_number}]\n" + "\n".join(_stanza(rng, bank, theme, used)))
        elif name == "chorus":
            blocks.append("[Chorus]\n" + "\n".join(chorus))
        else:
            blocks.append("[Bridge]\n" + "\n".join(bridge))
    return {"lyrics": "\n\n".join(blocks), "structure": "-".join(structure)}


def generate_lyrics(prompt: str, style: str = "", n: int = 1, seed: int = 0) -> list[dict]:
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("Describe what the lyrics should be about (the prompt is empty).")
    if len(prompt) > MAX_TEXT_CHARS or len(style or "") > MAX_TEXT_CHARS:
        raise ValueError(f"The prompt and style must each be at most {MAX_TEXT_CHARS} characters.")
    if not isinstance(n, int) or not 1 <= n <= 10:
        raise ValueError("The number of lyric variations must be between 1 and 10.")
    variations, seen = [], set()
    attempt = 0
    while len(variations) < n:
        lyric = write_lyrics(prompt, style or "", seed=seed * 1000 + attempt)
        attempt += 1
        if lyric["lyrics"] not in seen or attempt > 50:
            seen.add(lyric["lyrics"])
            variations.append(lyric)
    return variations


def parse_lyrics(text: str) -> list[tuple[str, list[str]]]:
    """[(section kind, sung lines)] from a person's lyrics; unlabelled blocks alternate verse/chorus."""
    sections: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    unlabelled = 0
    for raw in (text or "").splitlines():
        line = raw.strip()
        header = HEADER_RE.match(line)
        if header:
            current = (SECTION_LABELS[header.group(1).lower()], [])
            sections.append(current)
            line = header.group(2).strip()
        elif not line:
            current = None
            continue
        line = REPEAT_RE.sub("", line).strip()
        if not SINGABLE_RE.search(line):  # only emoji, dashes or punctuation: nothing to sing
            continue
        if current is None:
            current = ("verse" if unlabelled % 2 == 0 else "chorus", [])
            unlabelled += 1
            sections.append(current)
        current[1].append(line)
    return [(kind, lines) for kind, lines in sections if lines]


def _split_word(word: str) -> list[str]:
    """Vowel groups are syllable nuclei; a consonant between two nuclei starts the second syllable."""
    if WIDE_CHAR_RE.search(word):
        return [c for c in word if c.strip()]
    letters = re.sub(r"[^\w']", "", word)
    if not letters:
        return []
    groups = list(LATIN_VOWELS_RE.finditer(letters))
    if len(groups) > 1 and groups[-1].group().lower() == "e" and groups[-1].end() == len(letters):
        groups = groups[:-1]  # silent final e: "make", "tonight's" stays one nucleus per sound
    if not groups:
        vowels = [i for i, c in enumerate(letters.lower()) if c in OTHER_VOWELS]
        if len(vowels) < 2:
            return [letters]
        cuts = [max(vowels[i - 1] + 1, vowels[i] - 1) for i in range(1, len(vowels))]
    else:
        cuts = []
        for before, after in zip(groups, groups[1:], strict=False):
            cluster = after.start() - before.end()
            cuts.append(after.start() - (1 if cluster >= 1 else 0))
    edges = [0, *cuts, len(letters)]
    return [letters[a:b] for a, b in zip(edges, edges[1:], strict=False) if letters[a:b]]


def word_ends(line: str) -> list[bool]:
    """For each syllable of syllables(line): is it the last one of its word?"""
    flags: list[bool] = []
    for word in line.split():
        count = len(_split_word(word))
        flags.extend([False] * (count - 1) + [True] if count else [])
    return flags


def syllable_count(word: str) -> int:
    """How many notes the composer gives a word (0 for a token without letters or digits)."""
    return len(_split_word(word))


def syllables(line: str) -> list[str]:
    """The syllables of a line (heuristic): vowel groups for alphabets, one per character for CJK."""
    out: list[str] = []
    for word in line.split():
        out.extend(_split_word(word))
    return out
