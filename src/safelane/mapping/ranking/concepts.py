"""The domain vocabulary (data/vocabulary.yaml): groups of words and phrases, in English and
Spanish, that name one concept. A passage and a criterion that name the same concept meet on
its id, whatever language and synonym each uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from safelane.mapping.ranking.text import DATA, LANGUAGES, Token, tokens

LONGEST = 5  # words in the longest phrase looked for


@dataclass(frozen=True)
class Vocabulary:
    # (language, stems of the phrase) -> concept ids
    phrases: dict[tuple[str, tuple[str, ...]], tuple[str, ...]]
    # concept id -> criteria the concept points to (the criteria's evidence names it)
    criteria: dict[str, tuple[str, ...]]
    # concept id -> its broader concept ("cctv" -> "security-technology")
    broader: dict[str, str]
    # concepts of what is not supply-chain security (vacation, payroll, fire drills, ISO 9001
    # quality steps): a passage that names them is less likely evidence
    off_topic: frozenset[str] = frozenset()


def _phrase_keys(term: str, languages: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    keys = []
    for lang in languages:
        stems = tuple(t.stem for t in tokens(term, lang))
        # "camera down" without its stopword would be any "camera": a phrase must keep
        # at least two words, or be one word to begin with.
        if stems and (len(stems) > 1 or len(term.split()) == 1):
            keys.append((lang, stems[:LONGEST]))
    return keys


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load((DATA / "vocabulary.yaml").read_text(encoding="utf-8"))
    phrases: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    criteria: dict[str, tuple[str, ...]] = {}
    broader: dict[str, str] = {}
    off_topic: set[str] = set()
    for group in data["concepts"]:
        ident = group["id"]
        if group.get("off_topic"):
            off_topic.add(ident)
        # An English term is looked for among a text's English stems, a Spanish one among its
        # Spanish stems, whatever the text's language (a Spanish SOP says "CCTV" and "tráiler");
        # so the Spanish "guarda" (keeps) is not the English "guard".
        for languages, terms in ((("en",), "en"), (("es",), "es"), (LANGUAGES, "both")):
            for term in group.get(terms, []):
                for key in _phrase_keys(str(term), languages):
                    phrases.setdefault(key, set()).add(ident)
        if group.get("criteria"):
            criteria[ident] = tuple(str(c) for c in group["criteria"])
        if group.get("broader"):
            broader[ident] = str(group["broader"])
    return Vocabulary(
        {k: tuple(sorted(v)) for k, v in phrases.items()}, criteria, broader, frozenset(off_topic)
    )


def find(found: dict[str, list[Token]]) -> list[tuple[str, int, int]]:
    """The concepts named in a text, given its tokens in each language: (concept id, start,
    end), longest phrase first where phrases overlap."""
    vocab = vocabulary()
    hits: list[tuple[str, int, int]] = []
    for lang, toks in found.items():
        stems = [t.stem for t in toks]
        i = 0
        while i < len(toks):
            step = 1
            for n in range(min(LONGEST, len(toks) - i), 0, -1):
                ids = vocab.phrases.get((lang, tuple(stems[i : i + n])))
                if ids:
                    # The longest phrase wins its words: "bolt seal" is a seal, not a bolt.
                    hits.extend((ident, toks[i].start, toks[i + n - 1].end) for ident in ids)
                    step = n
                    break
            i += step
    unique: dict[tuple[str, int], tuple[str, int, int]] = {}
    for ident, start, end in hits:
        unique.setdefault((ident, start), (ident, start, end))
    out = list(unique.values())
    for ident, start, end in list(out):
        parent = vocab.broader.get(ident)
        if parent:
            out.append((parent, start, end))
    return out
