"""The offline ranker: which criteria a passage of a company's own document evidences.

Lexical, in English and Spanish, without any model or network: each criterion is indexed over
its requirement, guidance and evidence examples in both languages (BM25F: the requirement
weighs more than the guidance), words are stemmed with the Snowball stemmers and their accents
folded, and the domain vocabulary (data/vocabulary.yaml) adds a concept id for every synonym
or translation it knows, so that "videovigilancia" in a Spanish SOP meets "cameras" in an
English-only criterion. Adjacent word pairs count as terms of their own. The raw score is
squashed to 0..1 against the score of the passage's own best possible match, so that one
THRESHOLD separates passages that evidence nothing from real evidence.

An optional second ranker with a local sentence-embedding model is a hook only: see
embedding.py (setting MAPPING_EMBEDDING_MODEL, a path); nothing is downloaded.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from safelane.mapping.ranking import concepts
from safelane.mapping.ranking.text import LANGUAGES, Token, detect, tokens

__all__ = ["THRESHOLD", "CriterionText", "Proposal", "Ranker", "catalog_criteria", "detect"]

# Below this calibrated score the review screen shows no proposal: the passage most likely
# evidences none of the criteria. On the labelled benchmark (bench/mapping.py) about 8 in 10
# passages that evidence nothing (vacation, payroll, ISO 9001, fire drills) score below it, and
# more than 9 real passages in 10 score above it.
THRESHOLD: float = 0.40

# Field weights (BM25F): the requirement says what the criterion asks, the evidence examples
# name the documents a company keeps, the guidance is looser.
FIELDS = {"requirement": 3.0, "evidence": 1.6, "guidance": 1.0, "vocabulary": 2.2}
K1 = 1.2
B = 0.6
CONCEPT_WEIGHT = 1.6  # a concept id in the passage counts more than one of its words
BIGRAM_WEIGHT = 0.7
SCALE = 20.0
LENGTH = 40  # words
LENGTH_POWER = 0.3
OFF_TOPIC_WORDS = 60


@dataclass(frozen=True)
class CriterionText:
    ident: str  # "3.1", or an organisation's own criterion as "own:CODE"
    category: int
    texts: dict[str, list[str]]  # language -> requirement, guidance, evidence examples


@dataclass(frozen=True)
class Proposal:
    ident: str
    score: float  # 0..1, higher is better; comparable across passages and documents
    spans: tuple[tuple[int, int], ...]  # character ranges of the passage that matched


def _terms(toks: list[Token]) -> list[str]:
    out = [t.stem for t in toks]
    out += [f"{a.stem}_{b.stem}" for a, b in itertools.pairwise(toks)]
    return out


def _analyse(text: str, lang: str) -> tuple[list[Token], list[tuple[str, int, int]]]:
    """The passage's tokens in its language and the concepts it names (found with both
    stemmers, since documents mix languages)."""
    own = tokens(text, lang)
    other = "es" if lang == "en" else "en"
    found = concepts.find({lang: own, other: tokens(text, other)})
    return own, found


def _fields(criterion: CriterionText, lang: str) -> dict[str, list[str]]:
    """A criterion's fields as terms for passages in `lang`: its texts in that language (the
    other language's where it has none), and the concepts named in all its texts."""
    texts = criterion.texts.get(lang) or next(iter(criterion.texts.values()), [])
    text_lang = lang if criterion.texts.get(lang) else next(iter(criterion.texts), lang)
    parts = [*list(texts), "", "", ""]
    fields: dict[str, list[str]] = {
        "requirement": [],
        "guidance": [],
        "evidence": [],
        "vocabulary": [],
    }
    names = ["requirement", "guidance"] + ["evidence"] * max(1, len(parts) - 2)
    for name, part in zip(names, parts, strict=False):
        toks = tokens(part, text_lang)
        fields[name] += _terms(toks)
    for any_lang, any_texts in criterion.texts.items():
        for name, part in zip(names, list(any_texts), strict=False):
            own, found = _analyse(part, any_lang)
            del own
            fields[name] += [f"@{ident}" for ident, _s, _e in found]
    return fields


class _Index:
    """One language's inverted index: term -> [(criterion number, BM25F contribution)]."""

    def __init__(self, criteria: Sequence[CriterionText], lang: str) -> None:
        vocab = concepts.vocabulary()
        pointed: dict[str, list[str]] = defaultdict(list)
        for concept, idents in vocab.criteria.items():
            for ident in idents:
                pointed[ident].append(f"@{concept}")
        docs = []
        for criterion in criteria:
            fields = _fields(criterion, lang)
            fields["vocabulary"] += pointed.get(criterion.ident, [])
            docs.append({name: Counter(terms) for name, terms in fields.items()})
        n = max(1, len(docs))
        average = {name: max(1.0, sum(sum(d[name].values()) for d in docs) / n) for name in FIELDS}
        frequency: Counter[str] = Counter()
        for doc in docs:
            frequency.update({term for counts in doc.values() for term in counts})
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, doc in enumerate(docs):
            weighted: dict[str, float] = defaultdict(float)
            for name, counts in doc.items():
                norm = 1 - B + B * sum(counts.values()) / average[name]
                for term, tf in counts.items():
                    weighted[term] += FIELDS[name] * tf / norm
            for term, wtf in weighted.items():
                df = frequency[term]
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                self.postings[term].append((number, idf * wtf * (K1 + 1) / (K1 + wtf)))
        self.best = {term: max(v for _n, v in rows) for term, rows in self.postings.items()}


class Ranker:
    def __init__(self, criteria: Sequence[CriterionText]) -> None:
        self.criteria = list(criteria)
        self.indexes = {lang: _Index(self.criteria, lang) for lang in LANGUAGES}

    def rank(self, text: str, lang: str | None = None, limit: int = 10) -> list[Proposal]:
        """The criteria this passage may evidence, best first (lang None: detected)."""
        found = self.raw(text, lang)
        if found is None:
            return []
        scores, matched, spans, words = found
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [
            Proposal(
                self.criteria[number].ident,
                calibrated(raw, words),
                _merge(s for term in matched[number] for s in spans[term]),
            )
            for number, raw in best
        ]

    def raw(self, text: str, lang: str | None = None) -> Raw | None:
        """Raw scores by criterion number, the terms each matched, the spans of each term,
        and the number of the passage's words."""
        if not self.criteria or not text.strip():
            return None
        lang = lang if lang in LANGUAGES else detect(text)
        index = self.indexes[str(lang)]
        own, found = _analyse(text, str(lang))
        query: dict[str, float] = {}
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for tok in own:
            query[tok.stem] = 1.0
            spans[tok.stem].append((tok.start, tok.end))
        for a, b in itertools.pairwise(own):
            query[f"{a.stem}_{b.stem}"] = BIGRAM_WEIGHT
            spans[f"{a.stem}_{b.stem}"].append((a.start, b.end))
        for ident, start, end in found:
            query[f"@{ident}"] = CONCEPT_WEIGHT
            spans[f"@{ident}"].append((start, end))
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for term, weight in query.items():
            for number, value in index.postings.get(term, ()):
                scores[number] += weight * value
                matched[number].append(term)
        off_topic = concepts.vocabulary().off_topic
        strays = len({ident for ident, _s, _e in found if ident in off_topic})
        # Each off-topic concept (at most two) counts as a shorter passage would not: the
        # score is damped as if the passage were longer by OFF_TOPIC_WORDS words.
        return scores, matched, spans, len(own) + OFF_TOPIC_WORDS * min(strays, 2)


Raw = tuple[dict[int, float], dict[int, list[str]], dict[str, list[tuple[int, int]]], int]


def calibrated(raw: float, words: int) -> float:
    """0..1 from the raw score, damped a little for long passages (which gather more matches
    by chance): SCALE is the damped score at which it reaches one half."""
    damped = raw / (1 + words / LENGTH) ** LENGTH_POWER
    return round(damped / (damped + SCALE), 4)


def _merge(spans: object) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for start, end in sorted(spans):  # type: ignore[call-overload]
        if out and start <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((a, b) for a, b in out)


def catalog_criteria(version: object | None = None) -> list[CriterionText]:
    """The criteria of a catalog edition (the current one by default), in both languages."""
    from safelane.catalog import selectors as catalog

    edition = version if version is not None else catalog.current_version()
    if edition is None:
        return []
    found = []
    for c in catalog.criteria(edition):  # type: ignore[arg-type]
        texts = {"en": [c.requirement, c.guidance, *c.evidence]}
        if c.requirement_es:
            texts["es"] = [c.requirement_es, c.guidance_es, *c.evidence_es]
        found.append(CriterionText(c.ident, c.category.number, texts))
    return found
