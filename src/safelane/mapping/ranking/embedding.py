"""The optional second ranker: a local sentence-embedding model, if an administrator installed
one. A hook only; the default install, the tests and the benchmark do not use it.

Set MAPPING_EMBEDDING_MODEL (read with getattr from django.conf.settings, default "") to the
directory of a sentence-transformers model on this server, and install the library
(`sentence-transformers`, not a Safelane dependency). Nothing is ever downloaded: the model is
opened from that directory with local files only, and when the setting is empty, the directory
missing or the library absent, `embedding_ranker` answers None and the lexical ranker alone
is used.

`EmbeddingRanker.rerank` reorders the lexical ranker's best proposals by the cosine similarity
of the passage to each criterion's texts, blended with the lexical score, so that the scores
stay on the same 0..1 scale and THRESHOLD keeps its meaning.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from safelane.mapping.ranking import CriterionText, Proposal

BLEND = 0.5  # weight of the embedding similarity against the lexical score


def model_path() -> Path | None:
    from django.conf import settings

    configured = str(getattr(settings, "MAPPING_EMBEDDING_MODEL", "") or "")
    path = Path(configured) if configured else None
    return path if path is not None and path.is_dir() else None


def embedding_ranker(criteria: Sequence[CriterionText]) -> EmbeddingRanker | None:
    """The second ranker over these criteria, or None when no local model is set up."""
    path = model_path()
    if path is None:
        return None
    try:
        library = importlib.import_module("sentence_transformers")
    except ImportError:
        return None
    model = library.SentenceTransformer(str(path), local_files_only=True)
    return EmbeddingRanker(model, criteria)


class EmbeddingRanker:
    def __init__(self, model: Any, criteria: Sequence[CriterionText]) -> None:
        self.model = model
        self.idents = [c.ident for c in criteria]
        texts = [" ".join(t for texts in c.texts.values() for t in texts[:2]) for c in criteria]
        self.vectors = model.encode(texts, normalize_embeddings=True)

    def rerank(self, text: str, proposals: list[Proposal]) -> list[Proposal]:
        vector = self.model.encode([text], normalize_embeddings=True)[0]
        where = {ident: n for n, ident in enumerate(self.idents)}
        blended = []
        for p in proposals:
            n = where.get(p.ident)
            similarity = float(self.vectors[n] @ vector) if n is not None else 0.0
            score = (1 - BLEND) * p.score + BLEND * max(0.0, similarity)
            blended.append(Proposal(p.ident, round(score, 4), p.spans))
        return sorted(blended, key=lambda p: -p.score)
