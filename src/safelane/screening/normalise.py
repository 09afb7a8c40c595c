"""Names reduced to the tokens that identify a party, the same way on both sides of a match.

A listed name is normalised once, when its list is loaded (the form is stored with it); a
partner's name is normalised when it is screened. Both go through `tokens()`:

1. fold: compatibility decomposition (NFKD) with the accents dropped, letters that do not
   decompose spelled out (ß -> ss, ø -> o, ...), lower case;
2. apostrophes inside a word vanish (O'Brien -> obrien; BIS writes them as "?"), `&` is "and",
   every other mark separates words, and runs of single letters join (S.A. -> sa, U S A -> usa);
3. abbreviations are written out (Intl -> international, Mfg -> manufacturing, Co -> company);
4. legal forms at either end are dropped (Co., Ltd., Company Limited, S.A. de C.V., GmbH, OOO...),
   so that "Acme Trading Co., Ltd." and "ACME TRADING COMPANY LIMITED" are the same tokens.

The word lists (legal forms, abbreviations, generic words) are data, in data/words/*.txt. Bump
NORMALISER_VERSION whenever the output of `tokens()` changes (this code or those files): the
matcher then normalises stored names again instead of trusting the stored form.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

NORMALISER_VERSION = 1

# Letters that NFKD leaves alone, and marks that stand for an apostrophe.
_SPELLED_OUT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "\u0131": "i",  # dotless i
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",  # left single quotation mark
        "\u02bc": "'",  # modifier letter apostrophe
        "\u02bb": "'",  # modifier letter turned comma
        "`": "'",
        "\u00b4": "'",  # acute accent
        # Windows-1252 quotes that reached a UTF-8 file as C1 control characters (the CSL has them).
        "\x91": "'",
        "\x92": "'",
    }
)
# BIS writes an apostrophe as "?" ("O?BRIEN").
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[^\W_])['?](?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")
_CONJUNCTION_LETTERS = frozenset("ye")
# What may stand between single letters that join: a dot, a slash (A/S) or spaces; not a dot
# and a space ("S.A. W" is "sa", "w").
_JOINING = re.compile(r"[./]|\s+")
# BIS entries end with this clause; it says nothing about who the party is.
_SUCCESSOR_CLAUSE = re.compile(
    r"\band any successors?,? sub-units?,? or subsidiar(?:y|ies) thereof\b"
)

WORDS = Path(__file__).resolve().parent / "data" / "words"


def _lines(name: str) -> list[list[str]]:
    """The words of each line of data/words/<name>.txt, comments left out."""
    text = (WORDS / f"{name}.txt").read_text(encoding="utf-8")
    return [words for line in text.splitlines() if (words := line.partition("#")[0].split())]


def _set(name: str) -> frozenset[str]:
    return frozenset(word for line in _lines(name) for word in line)


# Written-out forms of abbreviations (Intl -> international, Co -> company, Y -> and).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    line[0]: tuple(line[1:]) for line in _lines("abbreviations")
}
# Plurals and variants of generic words, so that "Industries" meets "Industry".
SINGULAR: dict[str, str] = {line[0]: line[1] for line in _lines("singular")}
# Legal forms: a name's last tokens when they say how the company is incorporated, the forms
# that come first (Russian, Indonesian usage), and those of several tokens (S.A. de C.V.).
LEGAL_WORDS = _set("legal-forms")
_LEADING_WORDS = _set("legal-leading")
_LEGAL_PHRASES = frozenset(tuple(line) for line in _lines("legal-phrases"))
# For each word that may end (or open) a legal form, the lengths of those forms, longest first.
_ENDING: dict[str, tuple[int, ...]] = {}
_OPENING: dict[str, tuple[int, ...]] = {}
for _form in [*_LEGAL_PHRASES, *((w,) for w in LEGAL_WORDS)]:
    _ENDING[_form[-1]] = tuple(sorted({*_ENDING.get(_form[-1], ()), len(_form)}, reverse=True))
for _form in [*_LEGAL_PHRASES, *((w,) for w in _LEADING_WORDS)]:
    _OPENING[_form[0]] = tuple(sorted({*_OPENING.get(_form[0], ()), len(_form)}, reverse=True))
# Short forms that are also syllables of personal names go only when two tokens remain.
_AMBIGUOUS = _set("legal-ambiguous")
# Words of legal forms that weigh nothing wherever they stand, without being dropped alone.
LEGAL_PARTS = _set("legal-parts")
# Words that say what kind of business a party is, not which one.
GENERIC = _set("generic")
STOPWORDS = _set("stopwords")


def fold(text: str) -> str:
    """Lower case, without accents and with special letters spelled out."""
    text = text.translate(_SPELLED_OUT)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text.lower()


def _words(text: str) -> list[str]:
    text = _SUCCESSOR_CLAUSE.sub(" ", fold(text))
    text = _APOSTROPHE_IN_WORD.sub("", text).replace("&", " and ")
    words = _WORD.findall(text)
    if all(len(word) > 1 for word in words):
        return words
    return _join_letters(text)


def _join_letters(text: str) -> list[str]:
    """The words of `text` with runs of single letters joined: S.A. -> sa, U S A -> usa,
    H & H -> hh; but not when more than a dot or a space parts them ("A.S., S.R.L." is "as",
    "srl"), and not the conjunctions y and e ("Servicio y S.A." is "servicio", "y", "sa")."""
    found = list(_WORD.finditer(text))
    words: list[str] = []
    run: list[str] = []
    for i, match in enumerate(found):
        word = match.group()
        if run and not _JOINING.fullmatch(text, found[i - 1].end(), match.start()):
            words.append("".join(run))
            run = []
        if len(word) == 1 and word.isalpha() and word not in _CONJUNCTION_LETTERS:
            run.append(word)
            continue
        following = found[i + 1].group() if i + 1 < len(found) else ""
        if word == "and" and run and len(following) == 1 and following.isalpha():
            continue
        if run:
            words.append("".join(run))
            run = []
        words.append(word)
    if run:
        words.append("".join(run))
    return words


def _spelled_out(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        for part in ABBREVIATIONS.get(word, (word,)):
            out.append(SINGULAR.get(part, part))
    return out


def _is_legal(words: tuple[str, ...], singles: frozenset[str], left: int) -> bool:
    """Whether `words` are a legal form that may go, leaving `left` tokens."""
    if len(words) > 1:
        return words in _LEGAL_PHRASES
    word = words[0]
    return (word in singles or words in _LEGAL_PHRASES) and (word not in _AMBIGUOUS or left >= 2)


def _strip_legal_forms(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while end > 1:
        last = words[end - 1]
        if last == "and" and end < len(words):
            end -= 1  # "Smith & Co." loses "Co." and then its "&"
            continue
        size = next(
            (
                n
                for n in _ENDING.get(last, ())
                if n < end and _is_legal(tuple(words[end - n : end]), LEGAL_WORDS, end - n)
            ),
            0,
        )
        if not size:
            break
        end -= size
    while end - start > 1:
        size = next(
            (
                n
                for n in _OPENING.get(words[start], ())
                if n < end - start
                and _is_legal(tuple(words[start : start + n]), _LEADING_WORDS, end - start - n)
            ),
            0,
        )
        if not size:
            break
        start += size
    return words[start:end]


def tokens(name: str) -> list[str]:
    """The tokens that identify a party named `name`, in the name's order."""
    return _strip_legal_forms(_spelled_out(_words(name)))


def normalise(name: str) -> str:
    """The normalised form stored with a listed name: its tokens joined by spaces."""
    return " ".join(tokens(name))
