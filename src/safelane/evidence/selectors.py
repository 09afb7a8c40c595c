"""Reads of the evidence library shared by its pages, the assessments and the exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from safelane.evidence.models import Evidence, EvidenceLink, EvidenceQuerySet, EvidenceVersion

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def latest_versions() -> QuerySet[EvidenceVersion]:
    return EvidenceVersion.objects.order_by("evidence_id", "-number")


def library(org: Organisation) -> EvidenceQuerySet:
    qs: EvidenceQuerySet = (
        Evidence.objects.for_org(org)
        .active()
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=latest_versions()), "links")
    )
    return qs


def links_with_evidence() -> QuerySet[EvidenceLink]:
    return EvidenceLink.objects.select_related("evidence").prefetch_related(
        Prefetch("evidence__versions", queryset=latest_versions())
    )


def links_for_cycle(org: Organisation, cycle_id: int) -> QuerySet[EvidenceLink]:
    return links_with_evidence().filter(organisation=org, response__cycle_id=cycle_id)


def expiring(org: Organisation) -> tuple[list[Evidence], list[Evidence]]:
    base = Evidence.objects.for_org(org).active().order_by("review_date")
    return list(base.expired()), list(base.expiring())
