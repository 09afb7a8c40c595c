"""The matcher: which listed names a partner's name may be, with a score from 0 to 1.

- Every listed name is normalised when its list is loaded (`normalise.tokens`: accents, case,
  punctuation, abbreviations and legal forms are gone) and the matcher indexes the stored tokens
  in memory: an inverted index from token to names, a delete-one index over the vocabulary
  (SymSpell) and three-letter prefix and suffix buckets, so that a token with a typo or two still
  finds its names, and an index of adjacent tokens written together ("ALNASER" meets "AL NASER").
- A token weighs by its rarity in the lists (inverse document frequency, from 0.2 to 1). Generic
  words ("trading", "group", "international", ...) weigh a quarter of that; legal forms,
  articles and conjunctions next to nothing. Only a partner's distinctive tokens look candidates
  up, so a name of generic words alone meets only a listed name of the same words.
- A candidate is scored by aligning tokens one to one, in any order: each pair by its edit
  similarity (rapidfuzz's optimal string alignment distance; 1 edit allowed from 4 letters,
  2 from 7, 3 from 12). A partner's token that is no word of the lists (a typo too far for the
  index) may still pair with a leftover listed token, at their plain similarity if that is a
  half or more. The score is a weighted Dice coefficient: agreeing weight over all weight, where
  a partner token the listed name lacks counts twice as much as a listed token the partner
  lacks (lists spell names out in full; a partner's extra distinctive word is the sign of
  another company). At least one distinctive token must agree, or else every token on both
  sides.
- Candidates that could not reach the threshold even if every token agreed are set aside
  before they are aligned (an upper bound of the score), so that most names cost a few index
  lookups.
- When both sides know them, a different country lowers the score by 0.1 and a different kind
  (an individual against an organisation) by 0.15; an unknown lowers nothing.
"""

from __future__ import annotations

import gc
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import log
from typing import TypeVar

from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract, extractOne

from safelane.screening.normalise import (
    ABBREVIATIONS,
    GENERIC,
    LEGAL_PARTS,
    LEGAL_WORDS,
    SINGULAR,
    STOPWORDS,
    tokens,
)

MATCHER_VERSION = "1"
DEFAULT_THRESHOLD = 0.8
COUNTRY_MISMATCH = 0.1
KIND_MISMATCH = 0.15
# Between an organisation and a vessel or aircraft (a shipping line and its ship share a name).
CRAFT_MISMATCH = 0.05
# What an unmatched token costs, against the weight of a pair that agrees.
QUERY_EXTRA = 2.0
LIST_EXTRA = 1.0
GENERIC_FACTOR = 0.25
SILENT_WEIGHT = 0.05  # legal forms, articles, conjunctions
INITIAL_WEIGHT = 0.15
MIN_WEIGHT = 0.2
# A token this similar to a listed one is read as it (its weight, its class), and agreeing
# on a distinctive token means at least this similarity.
RESOLVED = 0.8
# Below this plain similarity, tokens left over after the alignment do not pair at all.
LOOSE = 0.5
# Candidates scored in full per name (the most promising first), and hits kept per name.
CANDIDATES = 40
LIMIT = 25
_CACHE_SIZE = 200_000

_SILENT = STOPWORDS | LEGAL_WORDS | LEGAL_PARTS

T = TypeVar("T")


@dataclass(frozen=True)
class ListedEntry:
    """What the matcher keeps of a list entry."""

    pk: int
    list: str
    entry_id: str
    kind: str
    countries: frozenset[str]
    name: str
    fingerprint: str = ""
    snapshot_id: int = 0


@dataclass(frozen=True)
class ListedName:
    """One name (as listed or an alias) of a list entry, with its normalised tokens."""

    entry: ListedEntry
    name: str
    tokens: tuple[str, ...]
    is_alias: bool = False
    alias_type: str = ""


@dataclass(frozen=True)
class Match:
    entry: ListedEntry
    matched_name: str  # the name or alias, as listed, that matched
    score: float  # 0..1, three decimals
    reasons: tuple[str, ...]
    is_alias: bool = False

    @property
    def list(self) -> str:
        return self.entry.list

    @property
    def entry_id(self) -> str:
        return self.entry.entry_id


def allowed_edits(length: int) -> int:
    """Typos a token of `length` letters may carry and still be the same word."""
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length <= 11:
        return 2
    return 3


def similarity(distance: int, length: int) -> float:
    """How alike two tokens `distance` edits apart are; the longer one has `length` letters."""
    return 1.0 - 0.8 * distance / length


def is_distinctive(token: str) -> bool:
    """Whether a token can make a match on its own (a generic word or a legal form cannot)."""
    return len(token) > 1 and token not in GENERIC and token not in _SILENT


def _remember(cache: dict[str, T], key: str, value: T, size: int = _CACHE_SIZE) -> T:
    if len(cache) >= size:
        cache.clear()
    cache[key] = value
    return value


def kind_penalty(query: str | None, listed: str) -> float:
    if not query or query == "unknown" or listed == "unknown" or query == listed:
        return 0.0
    if "individual" in (query, listed):
        return KIND_MISMATCH
    return CRAFT_MISMATCH


# A pair of aligned tokens: similarity, query positions, listed positions (bit masks).
Pair = tuple[float, int, int]


@dataclass(frozen=True)
class _Word:
    """What the matcher knows of one token of a partner's name (cached per token)."""

    near: dict[str, float]  # listed (or known) tokens it may be, with their similarity
    weight: float
    distinctive: bool
    unknown: bool  # neither a listed token nor a known word: maybe a typo beyond repair


@dataclass
class _Query:
    tokens: list[str]
    words: list[_Word]
    weights: list[float]
    counted: list[float]  # the weights that count when unmatched (legal forms and the like do not)
    total: float  # sum of `counted`
    distinctive: int  # bit mask of the distinctive tokens
    searched: list[tuple[int, dict[str, float]]]  # (position, near) of the tokens with a `near`
    unknown: list[int]  # positions of unknown tokens
    # Tokens that are two adjacent listed tokens written together, and the reverse.
    split: dict[int, str]
    joined: dict[str, tuple[int, int]]
    generic: float = 0.0  # counted weight of the generic tokens
    silent: float = 0.0  # weight of legal forms, articles and conjunctions
    loose: float = 0.0  # the most that leftover pairs of unknown tokens can add


class Matcher:
    """An in-memory index of listed names. Build it once per process (services.matcher())."""

    def __init__(self, names: Iterable[ListedName]) -> None:
        # Hundreds of thousands of small objects, none in a cycle: the cyclic garbage
        # collector would only walk them again and again while they are made.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(names)
        finally:
            if collecting:
                gc.enable()

    def _build(self, names: Iterable[ListedName]) -> None:
        self.names: list[ListedName] = [n for n in names if n.tokens]
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)
        for number, listed in enumerate(self.names):
            for token in dict.fromkeys(listed.tokens):
                postings[token].append(number)
            for left, right in itertools.pairwise(listed.tokens):
                joined[left + right].append(number)
        self.postings = dict(postings)
        self.joined = dict(joined)
        self.size = max(len(self.names), 2)
        self._weights: dict[str, float] = {}
        self.name_weights = [tuple(self.weight(t) for t in n.tokens) for n in self.names]
        self.name_counted = [
            tuple(w if w > SILENT_WEIGHT else 0.0 for w in weights) for weights in self.name_weights
        ]
        self.name_totals = [sum(counted) for counted in self.name_counted]
        # All the weight of each listed name, legal forms and articles included.
        self.name_whole = [sum(weights) for weights in self.name_weights]
        deletes: dict[str, list[str]] = defaultdict(list)
        prefixes: dict[str, list[str]] = defaultdict(list)
        suffixes: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= 4 and not token.isdigit():
                for i in range(len(token)):
                    deletes[token[:i] + token[i + 1 :]].append(token)
            if len(token) >= 6:
                prefixes[token[:3]].append(token)
                suffixes[token[-3:]].append(token)
        # Generic words and legal forms the lists may not hold, so that a partner's typo in one
        # ("Shippign", "Limitd") reads as that word, not as a distinctive unknown word.
        self.known: dict[str, str] = {}
        expansions = (w for ws in ABBREVIATIONS.values() for w in ws)
        for word in (*GENERIC, *LEGAL_WORDS, *LEGAL_PARTS, *SINGULAR, *expansions):
            if word not in self.postings and len(word) >= 4 and word not in self.known:
                self.known[word] = SINGULAR.get(word, word)
                for i in range(len(word)):
                    deletes[word[:i] + word[i + 1 :]].append(word)
        self.deletes = dict(deletes)
        self.prefixes = dict(prefixes)
        self.suffixes = dict(suffixes)
        self._fuzzy: dict[str, dict[str, float]] = {}
        self._words: dict[str, _Word] = {}
        self._shares: dict[str, dict[int, float]] = {}

    def __len__(self) -> int:
        return len(self.names)

    # Tokens

    def weight(self, token: str) -> float:
        """How much `token` says about who a party is, from 0 to 1."""
        value = self._weights.get(token)
        if value is None:
            if token in _SILENT:
                value = SILENT_WEIGHT
            elif len(token) == 1:
                value = INITIAL_WEIGHT
            else:
                df = len(self.postings.get(token, ()))
                rarity = log((self.size + 1) / (df + 0.5)) / log(self.size + 1)
                value = min(1.0, max(MIN_WEIGHT, rarity))
                if token in GENERIC:
                    value *= GENERIC_FACTOR
            if len(self._weights) < _CACHE_SIZE:
                self._weights[token] = value
        return value

    def fuzzy(self, token: str) -> dict[str, float]:
        """The listed (or known) tokens that `token` may be, typos allowed, with similarity."""
        found = self._fuzzy.get(token)
        if found is not None:
            return found
        found = {token: 1.0} if token in self.postings else {}
        if token in self.known:
            found[self.known[token]] = 1.0
        if token in STOPWORDS or token.isdigit() or not allowed_edits(len(token) + 1):
            return _remember(self._fuzzy, token, found)
        near: set[str] = set(self.deletes.get(token, ()))
        for i in range(len(token)):
            variant = token[:i] + token[i + 1 :]
            if variant in self.postings or variant in self.known:
                near.add(variant)
            near.update(self.deletes.get(variant, ()))
        if len(token) >= 5:
            # Two edits that the delete-one index cannot see (one near each end, say).
            for bucket in (self.prefixes.get(token[:3]), self.suffixes.get(token[-3:])):
                if bucket:
                    near.update(
                        choice
                        for choice, _distance, _index in extract(
                            token, bucket, scorer=OSA.distance, score_cutoff=2, limit=None
                        )
                    )
        near.discard(token)
        for other in sorted(near):
            if other.isdigit():
                continue
            length = max(len(token), len(other))
            limit = allowed_edits(length)
            distance = OSA.distance(token, other, score_cutoff=limit)
            if distance <= limit:
                sim = similarity(distance, length)
                other = self.known.get(other, other)
                if sim > found.get(other, 0.0):
                    found[other] = sim
        return _remember(self._fuzzy, token, found)

    def _word(self, token: str) -> _Word:
        word = self._words.get(token)
        if word is None:
            near = self.fuzzy(token)
            # A token the lists do not hold but that surely is a typo of one they do (or of a
            # generic word) weighs as that token.
            read_as = token
            if token not in self.postings and is_distinctive(token) and near:
                best, sim = max(near.items(), key=lambda item: (item[1], item[0]))
                if sim >= RESOLVED:
                    read_as = best
            unknown = token not in self.postings and token not in self.known
            word = _Word(near, self.weight(read_as), is_distinctive(read_as), unknown)
            _remember(self._words, token, word)
        return word

    def _share(self, token: str, word: _Word) -> dict[int, float]:
        """The listed names a distinctive token points to, with its weight times similarity."""
        share = self._shares.get(token)
        if share is None:
            share = {}
            for other, sim in word.near.items():
                gain = word.weight * sim
                for number in self.postings.get(other, ()):
                    if gain > share.get(number, 0.0):
                        share[number] = gain
            for number in self.joined.get(token, ()):
                share[number] = word.weight
            _remember(self._shares, token, share, _CACHE_SIZE // 10)
        return share

    def _query(self, name: str) -> _Query:
        words = tokens(name)
        query = _Query(words, [], [], [], 0.0, 0, [], [], {}, {})
        for i, token in enumerate(words):
            info = self._word(token)
            weight = info.weight
            query.words.append(info)
            query.weights.append(weight)
            if weight > SILENT_WEIGHT:
                query.counted.append(weight)
                query.total += weight
                if info.distinctive:
                    query.distinctive |= 1 << i
                else:
                    query.generic += weight
            else:
                query.counted.append(0.0)
                query.silent += weight
            if info.near:
                query.searched.append((i, info.near))
            if info.unknown:
                query.unknown.append(i)
                # The most a leftover pair can add (see _align): l / (l + 1) for l letters.
                query.loose += weight * len(token) / (len(token) + 1)
            if token in self.joined:
                query.split[i] = token
            if i:
                together = words[i - 1] + token
                if together in self.postings:
                    query.joined.setdefault(together, (i - 1, i))
        return query

    # Candidates

    def _candidates(self, query: _Query, threshold: float) -> tuple[list[int], dict[int, float]]:
        """The listed names worth scoring, and the weight each shares with the query (at
        most: similarity times weight of the distinctive tokens it holds)."""
        if not query.distinctive:
            return self._generic_candidates(query), {}
        shares = [
            self._share(token, word)
            for token, word in zip(query.tokens, query.words, strict=True)
            if word.distinctive
        ]
        shared: dict[int, float] = dict(shares[0]) if len(shares) == 1 else {}
        if len(shares) > 1:
            get = shared.get
            for share in shares:
                for number, gain in share.items():
                    shared[number] = get(number, 0.0) + gain
        for together, (i, k) in query.joined.items():
            if (query.distinctive >> i | query.distinctive >> k) & 1:
                gain = query.weights[i] + query.weights[k]
                for number in self.postings[together]:
                    shared[number] = shared.get(number, 0.0) + gain
        if not shared:
            return [], shared
        generic = sum(w for i, w in enumerate(query.weights) if not query.distinctive >> i & 1)
        # With similar weights on both sides a score is about the shared weight over the total
        # at best; half the threshold leaves room for typos and leftover pairs.
        needed = 0.5 * threshold * sum(query.weights) - generic
        # And no alignment can beat every listed and generic token agreeing, with the unknown
        # tokens pairing as well as they possibly could (see _beyond_reach).
        reach = query.generic + query.silent + query.loose
        total = query.total + query.silent
        whole = self.name_whole
        ranked = [
            number
            for number, gain in shared.items()
            if gain >= needed
            and gain + reach + whole[number] >= threshold * (total + whole[number]) - 1e-9
        ]
        if len(ranked) <= CANDIDATES:
            return ranked, shared
        # Too many share the distinctive words ("Iran ..."): the other words and the length
        # of the listed name decide which are worth scoring.
        eligible = set(ranked)
        bonus: dict[int, float] = {}
        for weight, word in zip(query.weights, query.words, strict=True):
            if word.distinctive or not word.near:
                continue
            gains: dict[int, float] = {}
            for other, sim in word.near.items():
                gain = weight * sim
                for number in self.postings.get(other, ()):
                    if number in eligible and gain > gains.get(number, 0.0):
                        gains[number] = gain
            for number, gain in gains.items():
                bonus[number] = bonus.get(number, 0.0) + gain
        top = heapq.nlargest(
            CANDIDATES,
            ranked,
            key=lambda n: (
                shared[n] + bonus.get(n, 0.0),
                -abs(len(self.names[n].tokens) - len(query.tokens)),
            ),
        )
        return top, shared

    def _generic_candidates(self, query: _Query) -> list[int]:
        """For a name of generic words only: the listed names holding its rarest word (they
        must then agree on every word, see _align)."""
        options = []
        for token, word in zip(query.tokens, query.words, strict=True):
            if token in _SILENT or not word.near:
                continue
            holding = {n for other in word.near for n in self.postings.get(other, ())}
            options.append((len(holding), sorted(holding)))
        if not options:
            return []
        rarest = min(options, key=lambda option: option[0])[1]
        size = len(query.tokens)
        close = [n for n in rarest if abs(len(self.names[n].tokens) - size) <= 1]
        return close[: CANDIDATES * 5]

    # Scoring

    def _align(self, query: _Query, number: int) -> tuple[float, list[Pair]]:
        """The score of `query` against one listed name, and the token pairs that agreed."""
        listed = self.names[number].tokens
        weights = self.name_weights[number]
        counted = self.name_counted[number]
        qweights = query.weights
        qcounted = query.counted
        # (similarity, weight of both sides, query mask, listed mask, counted query and
        # listed weight)
        pairs: list[tuple[float, float, int, int, float, float]] = []
        for i, near in query.searched:
            weight = qweights[i]
            for j, token in enumerate(listed):
                sim = near.get(token)
                if sim:
                    pairs.append(
                        (sim, weight + weights[j], 1 << i, 1 << j, qcounted[i], counted[j])
                    )
        if query.split:
            for j in range(len(listed) - 1):
                together = listed[j] + listed[j + 1]
                for i, word in query.split.items():
                    if word == together:
                        pairs.append(
                            (
                                1.0,
                                qweights[i] + weights[j] + weights[j + 1],
                                1 << i,
                                3 << j,
                                qcounted[i],
                                counted[j] + counted[j + 1],
                            )
                        )
        if query.joined:
            for j, token in enumerate(listed):
                both = query.joined.get(token)
                if both:
                    i, k = both
                    pairs.append(
                        (
                            1.0,
                            qweights[i] + qweights[k] + weights[j],
                            1 << i | 1 << k,
                            1 << j,
                            qcounted[i] + qcounted[k],
                            counted[j],
                        )
                    )
        pairs.sort(reverse=True)
        used_q = used_c = 0
        agreed = paired = matched_q = matched_c = 0.0
        chosen: list[Pair] = []
        distinctive = False
        for sim, weight, qmask, cmask, q_counted, c_counted in pairs:
            if qmask & used_q or cmask & used_c:
                continue
            used_q |= qmask
            used_c |= cmask
            agreed += sim * weight
            paired += weight
            matched_q += q_counted
            matched_c += c_counted
            chosen.append((sim, qmask, cmask))
            if sim >= RESOLVED and qmask & query.distinctive:
                distinctive = True
        # A partner's token that is no word of the lists may be a typo too far for the index:
        # it pairs with a leftover listed token by plain similarity, if that is half or more.
        left = [i for i in query.unknown if not used_q >> i & 1]
        if left and used_c != (1 << len(listed)) - 1:
            loose = sorted(
                (
                    (
                        OSA.normalized_similarity(query.tokens[i], listed[j], score_cutoff=LOOSE),
                        i,
                        j,
                    )
                    for i in left
                    for j in range(len(listed))
                    if not used_c >> j & 1 and counted[j]
                ),
                reverse=True,
            )
            for sim, i, j in loose:
                if sim < LOOSE:
                    break
                if used_q >> i & 1 or used_c >> j & 1:
                    continue
                used_q |= 1 << i
                used_c |= 1 << j
                weight = qweights[i] + weights[j]
                agreed += sim * weight
                paired += weight
                matched_q += qcounted[i]
                matched_c += counted[j]
                chosen.append((sim, 1 << i, 1 << j))
        # What is left unmatched (legal forms and the like do not count).
        extra_q = max(0.0, query.total - matched_q)
        extra_c = max(0.0, self.name_totals[number] - matched_c)
        if not distinctive and (
            extra_q > 1e-9 or extra_c > 1e-9 or any(sim < RESOLVED for sim, _q, _c in chosen)
        ):
            # Generic words alone: a match only if every word agrees, on both sides.
            return 0.0, chosen
        total = paired + QUERY_EXTRA * extra_q + LIST_EXTRA * extra_c
        return (agreed / total if total else 0.0), chosen

    def _beyond_reach(
        self, query: _Query, number: int, shared: dict[int, float], penalty: float, threshold: float
    ) -> bool:
        """Whether no alignment of `query` with this listed name can reach `threshold`: not even
        with every listed token and every generic token agreeing, and the unknown tokens
        pairing as well as they possibly could. Cheaper than the alignment itself."""
        theirs = self.name_whole[number]
        agreed = shared.get(number, 0.0) + query.generic + query.silent + theirs
        total = query.total + query.silent + theirs
        needed = (threshold + penalty) * total - 1e-9
        if agreed + query.loose < needed:
            return True
        if agreed >= needed or not query.loose:
            return False
        listed = self.names[number].tokens
        for i in query.unknown:
            found = extractOne(
                query.tokens[i], listed, scorer=OSA.normalized_similarity, score_cutoff=LOOSE
            )
            if found:
                agreed += query.weights[i] * found[1]
        return agreed < needed

    def match(
        self,
        name: str,
        *,
        country: str | None = None,
        kind: str | None = None,
        threshold: float | None = None,
        limit: int | None = LIMIT,
    ) -> list[Match]:
        """The list entries `name` may be, best first, each with the name that matched best.

        `country` is an ISO alpha-2 code and `kind` "entity", "individual", "vessel" or
        "aircraft"; either may be None when unknown.
        """
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        query = self._query(name)
        if not query.tokens:
            return []
        country = (country or "").upper() or None
        best: dict[int, tuple[float, int, list[Pair]]] = {}
        numbers, shared = self._candidates(query, threshold)
        for number in numbers:
            listed = self.names[number]
            entry = listed.entry
            penalty = kind_penalty(kind, entry.kind) if kind else 0.0
            if country and entry.countries and country not in entry.countries:
                penalty += COUNTRY_MISMATCH
            # _candidates applied the bound without a penalty and with the most unknown words
            # could add; with a penalty, or what they actually add, it may be out of reach.
            if (
                shared
                and (penalty or query.loose)
                and self._beyond_reach(query, number, shared, penalty, threshold)
            ):
                continue
            score, chosen = self._align(query, number)
            if score <= 0:
                continue
            score -= penalty
            if score + 1e-9 < threshold:
                continue
            previous = best.get(entry.pk)
            if (
                previous is None
                or score > previous[0]
                or (score == previous[0] and not listed.is_alias)
            ):
                best[entry.pk] = (score, number, chosen)
        ranked = sorted(best.values(), key=lambda b: (-b[0], self.names[b[1]].entry.entry_id))
        if limit is not None:
            ranked = ranked[:limit]
        return [
            Match(
                entry=self.names[number].entry,
                matched_name=self.names[number].name,
                score=round(max(0.0, min(1.0, score)), 3),
                reasons=self._reasons(query, self.names[number], chosen, country, kind),
                is_alias=self.names[number].is_alias,
            )
            for score, number, chosen in ranked
        ]

    def _reasons(
        self,
        query: _Query,
        listed: ListedName,
        chosen: list[Pair],
        country: str | None,
        kind: str | None,
    ) -> tuple[str, ...]:
        exact = []
        near = []
        for sim, qmask, cmask in sorted(chosen, key=lambda pair: pair[1] & -pair[1]):
            ours = " ".join(t for i, t in enumerate(query.tokens) if qmask >> i & 1)
            theirs = " ".join(t for j, t in enumerate(listed.tokens) if cmask >> j & 1)
            if sim >= 1.0:
                exact.append(theirs)
            else:
                near.append(f"{ours} ~ {theirs}")
        reasons = []
        if exact:
            reasons.append(_("Words in common: %(tokens)s") % {"tokens": ", ".join(exact)})
        if near:
            reasons.append(_("Spelled alike: %(tokens)s") % {"tokens": ", ".join(near)})
        if listed.is_alias:
            reasons.append(
                _("Matched another name it is listed under (%(type)s)")
                % {"type": listed.alias_type or "aka"}
            )
        entry = listed.entry
        if country and entry.countries:
            if country in entry.countries:
                reasons.append(_("Same country: %(country)s") % {"country": country})
            else:
                reasons.append(
                    _("Different country: ours %(country)s, listed %(listed)s")
                    % {"country": country, "listed": ", ".join(sorted(entry.countries))}
                )
        if kind_penalty(kind, entry.kind):
            reasons.append(_("Listed as another kind of party (%(kind)s)") % {"kind": entry.kind})
        return tuple(reasons)
