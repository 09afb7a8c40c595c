"""Reads of the evidence library shared by its pages, the assessments and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safelane.evidence.models import (
    Evidence,
    EvidenceLink,
    EvidenceQuerySet,
    EvidenceVersion,
    expired_q,
    expiring_q,
)
from safelane.evidence.subjects import SUBJECTS, Subject
from safelane.orgs.dashboard import Tile
from safelane.orgs.search import Result

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

ATTACH_PAGE_SIZE = 10


def latest_versions(org: Organisation) -> QuerySet[EvidenceVersion]:
    return EvidenceVersion.objects.for_org(org).order_by("evidence_id", "-number")


def _documents(org: Organisation) -> EvidenceQuerySet:
    qs: EvidenceQuerySet = (
        Evidence.objects.for_org(org)
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=latest_versions(org)), "links")
    )
    return qs


def library(org: Organisation) -> EvidenceQuerySet:
    """The documents in the library (not archived)."""
    return _documents(org).active()


def archived(org: Organisation) -> EvidenceQuerySet:
    """The documents archived out of the library, kept on record."""
    qs: EvidenceQuerySet = _documents(org).filter(archived_at__isnull=False)
    return qs


def links_with_evidence(org: Organisation) -> QuerySet[EvidenceLink]:
    """The organisation's links, each with its evidence and the evidence's versions (newest
    first), for prefetching onto the records they support."""
    return (
        EvidenceLink.objects.for_org(org)
        .select_related("evidence")
        .prefetch_related(Prefetch("evidence__versions", queryset=latest_versions(org)))
    )


def links_to(org: Organisation, subjects: QuerySet[Any]) -> QuerySet[EvidenceLink]:
    """The links to any record of `subjects` (a queryset of one registered kind)."""
    return links_with_evidence(org).filter(
        subject_type=SUBJECTS.content_type(subjects.model), subject_id__in=subjects.values("pk")
    )


def links_of(org: Organisation, subject: Any) -> list[EvidenceLink]:
    return list(links_to(org, type(subject).objects.for_org(org).filter(pk=subject.pk)))


@dataclass(frozen=True)
class Supported:
    """A record a document supports, as its page shows it."""

    link: EvidenceLink
    label: str
    url: str
    noun: str = ""


def supported(org: Organisation, evidence: Evidence) -> list[Supported]:
    """What a document supports: each link's record named and linked by its own app."""
    links = list(
        EvidenceLink.objects.for_org(org)
        .filter(evidence=evidence)
        .order_by("criterion_ident", "pk")
    )
    records = SUBJECTS.load(org, [(link.subject_type_id, link.subject_id) for link in links])
    out: list[Supported] = []
    seen: set[str] = set()  # one line per thing supported, however many links say it
    for link in links:
        record = records.get((link.subject_type_id or 0, link.subject_id or 0))
        kind = SUBJECTS.of(record) if record is not None else None
        item = (
            Supported(link, kind.label(record), kind.url(org, record), str(kind.noun))
            if kind is not None
            else Supported(link, "", "")
        )
        key = item.url or f"criterion:{link.criterion_ident}"
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def link_page(org: Organisation, link: EvidenceLink) -> str:
    """Where a link is seen: the page of the record it supports, else the document's."""
    subject = link.subject
    kind = SUBJECTS.of(subject) if subject is not None else None
    if kind is not None:
        return kind.url(org, subject) + "#evidence"
    return reverse("evidence:detail", args=[org.slug, link.evidence_id])


def subject_kind(obj: Any) -> Subject | None:
    return SUBJECTS.of(obj)


def find_subject(org: Organisation, token: object) -> tuple[Subject, Any] | None:
    """The record a page names as "kind:id" (such as "response:12"), in this organisation."""
    return SUBJECTS.find(org, token)


def attach_url(org: Organisation, subject: Any) -> str:
    kind = SUBJECTS.of(subject)
    assert kind is not None, f"{type(subject).__name__} is not an evidence subject"
    return reverse(f"evidence:attach_{kind.name}", args=[org.slug, subject.pk])


def matching(qs: EvidenceQuerySet, text: str) -> EvidenceQuerySet:
    """The documents of `qs` whose title or description holds `text`, or linked to a criterion
    whose ID is `text` (the library's search box, the attach picker, the organisation's search)."""
    return qs.filter(
        Q(title__icontains=text) | Q(description__icontains=text) | Q(links__criterion_ident=text)
    ).distinct()


def search(org: Organisation, text: str, *, subject: Any, page: object = 1) -> Page[Evidence]:
    """Library documents whose title, description or criterion matches `text`, not yet linked
    to `subject`, a page at a time (for the attach picker)."""
    linked = EvidenceLink.objects.for_org(org).filter(
        subject_type=SUBJECTS.content_type(subject), subject_id=subject.pk
    )
    qs = library(org).exclude(pk__in=linked.values("evidence_id"))
    text = text.strip()
    if text:
        qs = matching(qs, text)
    return Paginator(qs.order_by("title", "pk"), ATTACH_PAGE_SIZE).get_page(str(page or 1))


def review_counts(org: Organisation) -> dict[str, int]:
    """How many documents of the library there are, how many are past their review date and
    how many are due soon: counted in the database (one query), never loaded."""
    return (
        Evidence.objects.for_org(org)
        .active()
        .aggregate(
            total=Count("pk"),
            expired=Count("pk", filter=expired_q()),
            expiring=Count("pk", filter=expiring_q()),
        )
    )


def dashboard_tile(org: Organisation, user: User) -> Tile:
    counts = review_counts(org)
    return Tile(
        title=_("Evidence library"),
        figure=ngettext("%(n)s document", "%(n)s documents", counts["total"])
        % {"n": counts["total"]},
        detail=_("%(expired)s past their review date · %(expiring)s due for review soon")
        % {"expired": counts["expired"], "expiring": counts["expiring"]},
        url=reverse("evidence:list", args=[org.slug]),
        tone="bad" if counts["expired"] else ("warn" if counts["expiring"] else "ok"),
        link_text=_("Open the library"),
    )


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Documents of the library whose title or description holds `text`, or linked to a
    criterion whose ID is `text`."""
    rows = matching(library(org), text).order_by("title", "pk")[:limit]
    return [
        Result(
            title=e.title,
            url=reverse("evidence:detail", args=[org.slug, e.pk]),
            detail=e.description,
        )
        for e in rows
    ]
