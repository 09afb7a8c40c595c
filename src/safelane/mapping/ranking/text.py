"""Words out of a passage: accents folded, stopwords dropped, stems in English or Spanish, each
word with its character range in the original text (for highlighting)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import snowballstemmer  # type: ignore[import-untyped]
import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
LANGUAGES = ("en", "es")
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Token:
    stem: str
    folded: str
    start: int
    end: int


def fold(text: str) -> tuple[str, list[int]]:
    """Lower case without accents, and for each character of the result the index of the
    character it came from (NFKD can turn one character into several)."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            out.append(char.lower())
            where.append(index)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if not unicodedata.combining(part):
                out.append(part.lower())
                where.append(index)
    return "".join(out), where


@cache
def stopwords() -> dict[str, frozenset[str]]:
    data = yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))
    return {
        lang: frozenset(fold(str(w).lower())[0] for w in data[lang]) | {"on", "off"}
        for lang in LANGUAGES
    }


_STEMMERS = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}


@cache
def kept_whole() -> dict[str, frozenset[str]]:
    data = yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))
    return {lang: frozenset(fold(str(w))[0] for w in data["keep"][lang]) for lang in LANGUAGES}


@cache
def stem(word: str, lang: str) -> str:
    if word.isdigit() or len(word) < 3 or word in kept_whole()[lang]:
        return word
    return str(_STEMMERS[lang].stemWord(word))


def words(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their ranges in `text`."""
    folded, where = fold(text)
    found = []
    for match in WORD.finditer(folded):
        start = where[match.start()]
        end = where[match.end() - 1] + 1
        found.append((match.group(), start, end))
    return found


def detect(text: str) -> str:
    """English or Spanish, by the stopwords of each that the text uses (English on a tie)."""
    lists = stopwords()
    counts = dict.fromkeys(LANGUAGES, 0)
    for word, _start, _end in words(text[:3000]):
        for lang in LANGUAGES:
            if word in lists[lang]:
                counts[lang] += 1
    return "es" if counts["es"] > counts["en"] else "en"


def tokens(text: str, lang: str) -> list[Token]:
    """The content words of `text` in `lang`, stemmed, stopwords of both languages left out
    (a Spanish manual quotes English terms and the other way round)."""
    lists = stopwords()
    drop = lists[lang] | (lists["en"] if lang == "es" else lists["es"])
    return [
        Token(stem(word, lang), word, start, end)
        for word, start, end in words(text)
        if word not in drop and not (len(word) == 1 and not word.isdigit())
    ]
