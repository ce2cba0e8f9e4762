"""Which eSpeak NG voice sings a lyric sheet: its script, then its commonest little words, decide."""

import re
import unicodedata

# language code -> (eSpeak voice, English name, frequent short words)
LANGUAGES = {
    "en": ("en-us", "English", "the and you i to a me my we in of it is your on all love be"),
    "es": ("es", "Spanish", "el la de que y en los las mi tu con por para una es no me yo te amor"),
    "fr": ("fr", "French", "le la les de et je tu que un une des est pas pour dans mon moi toi qui"),
    "de": ("de", "German", "der die das und ich du nicht ein eine ist mit mein dich mich wir zu auf"),
    "it": ("it", "Italian", "il la di che e un una per non sono mi ti io tu con nel del amore cuore"),
    "pt": ("pt", "Portuguese", "o a de que e do da em um uma para com não eu você meu minha os as"),
    "ru": ("ru", "Russian", ""),
    "uk": ("uk", "Ukrainian", ""),
}
LATIN_HINTS = {  # letters that (nearly) belong to one language
    "es": "ñ¿¡",
    "pt": "ãõ",
    "de": "ßäöü",
    "fr": "œùûëïÿ",
}
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
UKRAINIAN_RE = re.compile(r"[іїєґІЇЄҐ]")
LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
LETTER_RE = re.compile(r"[^\W\d_]")
WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def detect_language(text: str) -> tuple[str | None, str]:
    """(language code, what the text is written in); code None when no singer voice reads the script."""
    letters = LETTER_RE.findall(text or "")
    if not letters:
        return None, "no letters"
    cyrillic = sum(1 for c in letters if CYRILLIC_RE.match(c))
    latin = sum(1 for c in letters if LATIN_RE.match(c))
    if cyrillic > latin and cyrillic >= len(letters) / 2:
        return ("uk" if UKRAINIAN_RE.search(text) else "ru"), "Cyrillic"
    if latin < len(letters) / 2:
        return None, _script_name(letters)
    lower = text.lower()
    words = WORD_RE.findall(lower)
    scores = {}
    for code, (_, _, common) in LANGUAGES.items():
        if not common:
            continue
        vocabulary = set(common.split())
        scores[code] = sum(1 for w in words if w in vocabulary) + 3 * sum(
            lower.count(c) for c in LATIN_HINTS.get(code, "")
        )
    best = max(scores, key=lambda code: (scores[code], code == "en"))
    return (best if scores[best] > 0 else "en"), "Latin"


def _script_name(letters: list[str]) -> str:
    names = [unicodedata.name(c, "").split(" ")[0] for c in letters]
    commonest = max(set(names), key=names.count) if names else ""
    return commonest.title() or "an unknown script"


def voice_name(language: str, gender: str) -> str:
    """The eSpeak voice with a female or male variant (formants; the pitch is set per line)."""
    base = LANGUAGES[language][0]
    return f"{base}+f2" if gender == "female" else f"{base}+m3"


def language_name(language: str) -> str:
    return LANGUAGES[language][1]
