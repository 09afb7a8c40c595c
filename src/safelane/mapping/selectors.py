"""Reads of mapped documents: the list, the review of one reading (by criterion or in document
order), the highlighted passages, and the criteria no document evidences (likely gaps)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from safelane.assessments import selectors as assessments
from safelane.mapping.models import Decision, MappedDocument, Passage, Proposal, State

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

PAGE_SIZE = 20
PER_CRITERION = 12  # passages shown for one criterion, best first
NOT_APPLICABLE = "not-applicable"  # an answer a person has said does not apply


def documents(org: Organisation) -> QuerySet[MappedDocument]:
    """Every reading, newest first, with its proposals counted by decision."""
    return (
        MappedDocument.objects.for_org(org)
        .select_related("evidence", "evidence_version", "cycle", "job")
        .annotate(
            to_review=Count(
                "passages__proposals", filter=Q(passages__proposals__decision=Decision.PENDING)
            ),
            accepted=Count(
                "passages__proposals", filter=Q(passages__proposals__decision=Decision.ACCEPTED)
            ),
            rejected=Count(
                "passages__proposals", filter=Q(passages__proposals__decision=Decision.REJECTED)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def highlight(text: str, spans: list[list[int]]) -> SafeString:
    """The passage with the words that matched marked, everything else escaped."""
    out: list[str] = []
    at = 0
    for start, end in sorted((max(0, a), min(len(text), b)) for a, b in spans):
        if start < at or start >= end:
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@dataclass(frozen=True)
class CriterionRow:
    ident: str
    answer: Any
    proposals: list[Proposal]
    total: int  # proposals of this criterion in the document, shown or not


@dataclass(frozen=True)
class Review:
    document: MappedDocument
    by: str  # "criterion" or "document"
    page: Page[Any]
    gaps: list[Any]  # answers of criteria with no passage in this document


def _answers(org: Organisation, document: MappedDocument) -> dict[str, Any]:
    return {a.criterion_ident: a for a in assessments.answers(org, document.cycle)}


def _proposals(org: Organisation, document: MappedDocument) -> QuerySet[Proposal]:
    return (
        Proposal.objects.for_org(org)
        .filter(passage__document=document)
        .select_related("passage", "decided_by")
    )


def review(org: Organisation, document: MappedDocument, *, by: str, page: str | None) -> Review:
    answers = _answers(org, document)
    with_passage = set(_proposals(org, document).values_list("criterion_ident", flat=True))
    gaps = _without_passage(answers.values(), _not_rejected(_proposals(org, document)))
    if by == "document":
        passages = (
            Passage.objects.for_org(org)
            .filter(document=document)
            .prefetch_related(
                Prefetch("proposals", queryset=Proposal.objects.for_org(org).order_by("rank"))
            )
        )
        shown = Paginator(passages, PAGE_SIZE).get_page(page)
        for passage in shown.object_list:
            for proposal in passage.proposals.all():
                answer = answers.get(proposal.criterion_ident)
                proposal.answer = answer
    else:
        idents = [i for i in answers if i in with_passage]
        shown = Paginator[Any](idents, PAGE_SIZE).get_page(page)
        grouped: dict[str, list[Proposal]] = {}
        on_page = list(shown.object_list)
        totals = dict(
            _proposals(org, document)
            .filter(criterion_ident__in=on_page)
            .values_list("criterion_ident")
            .annotate(n=Count("pk"))
            .values_list("criterion_ident", "n")
        )
        # The best PER_CRITERION passages of each criterion on the page: a long document can
        # propose hundreds for one criterion, which belong to the document-order view.
        best = (
            _proposals(org, document)
            .filter(criterion_ident__in=on_page)
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=[F("criterion_ident")],
                    order_by=[F("score").desc(), F("pk")],
                )
            )
            .filter(place__lte=PER_CRITERION)
            .order_by("-score", "pk")
        )
        for proposal in best:
            grouped.setdefault(proposal.criterion_ident, []).append(proposal)
        shown.object_list = [
            CriterionRow(ident, answers[ident], grouped.get(ident, []), totals.get(ident, 0))
            for ident in shown.object_list
        ]
    return Review(document, by, shown, gaps)


def _not_rejected(proposals: QuerySet[Proposal]) -> set[str]:
    """The criteria these proposals give a passage to: a rejected passage counts as none."""
    return set(
        proposals.exclude(decision=Decision.REJECTED).values_list("criterion_ident", flat=True)
    )


def _without_passage(answers: Iterable[Any], found: set[str]) -> list[Any]:
    """Likely gaps: the answers, not marked as not applying, whose criterion has no passage."""
    return [a for a in answers if a.criterion_ident not in found and a.status != NOT_APPLICABLE]


def likely_gaps(org: Organisation, cycle: Any) -> list[Any]:
    """The assessment's answers that no read document has a passage for, for the list page:
    where to look next, or what to write from scratch."""
    found = _not_rejected(
        Proposal.objects.for_org(org).filter(
            passage__document__cycle=cycle, passage__document__state=State.DONE
        )
    )
    return _without_passage(assessments.answers(org, cycle), found)


def job_destination(org: Organisation) -> tuple[str, str]:
    return str(_("Review the proposals")), reverse("mapping:list", args=[org.slug])
