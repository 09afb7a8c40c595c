"""Field inspections' reads that pages, the API and exports share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from safelane.inspections.models import Checklist, ChecklistPoint

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def checklists(org: Organisation) -> QuerySet[Checklist]:
    """Every checklist of the organisation, archived ones last, with how many points each has."""
    return (
        Checklist.objects.for_org(org)
        .annotate(point_count=Count("points"))
        .order_by("archived_at", "title", "pk")
    )


def checklist_points(org: Organisation, checklist: Checklist) -> list[ChecklistPoint]:
    return list(ChecklistPoint.objects.for_org(org).filter(checklist=checklist))


def with_points(org: Organisation) -> QuerySet[Checklist]:
    """Live checklists with their points read in one more query."""
    return (
        Checklist.objects.for_org(org)
        .live()
        .prefetch_related(Prefetch("points", queryset=ChecklistPoint.objects.for_org(org)))
    )
