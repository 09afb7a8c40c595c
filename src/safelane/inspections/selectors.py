"""Field inspections' reads that pages, the API and exports share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.actions import services as action_services
from safelane.evidence import services as evidence_services
from safelane.inspections.models import (
    Checklist,
    ChecklistPoint,
    Inspection,
    Outcome,
    Photo,
    PointResult,
    Site,
)

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


def sites(org: Organisation) -> QuerySet[Site]:
    return Site.objects.for_org(org)


def inspections(org: Organisation) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(org).select_related("site", "inspector", "supervisor")


def inspection_results(org: Organisation, inspection: Inspection) -> list[PointResult]:
    """The inspection's points with their photos' documents, in two more queries."""
    photos = Photo.objects.for_org(org).select_related("evidence")
    return list(
        PointResult.objects.for_org(org)
        .filter(inspection=inspection)
        .prefetch_related(Prefetch("photos", queryset=photos))
    )


def _inspection_label(inspection: Inspection) -> str:
    return str(inspection)


def _inspection_url(org: Organisation, inspection: Inspection) -> str:
    return reverse("inspections:inspection", args=[org.slug, inspection.pk])


def _inspection_criterion(inspection: Inspection) -> str:
    criteria = inspection.checklist.criteria if inspection.checklist_id else []
    return str(criteria[0]) if criteria else "5.5"


def evidence_subject() -> evidence_services.Subject:
    """An inspection's photos support the checklist's first criterion (5.3, 6.7, 8.1) and each
    photographed point's own criteria."""
    return evidence_services.Subject(
        name="inspection",
        model=Inspection,
        label=_inspection_label,
        url=_inspection_url,
        related=("checklist",),
        noun=_("Inspection"),
        criterion=_inspection_criterion,
    )


def _action_initial(inspection: Inspection) -> dict[str, Any]:
    failed = list(
        PointResult.objects.for_org(inspection.organisation)
        .filter(inspection=inspection, outcome=Outcome.FAIL)
        .order_by("position")
    )
    criteria = list(dict.fromkeys(c for r in failed for c in r.criteria))
    lines = "\n".join(f"- {r.title}: {r.note}" for r in failed)
    return {
        "title": str(_("Inspection exception: %(what)s") % {"what": inspection})[:200],
        "description": str(
            _("Failed at %(site)s, found by %(name)s:")
            % {"site": inspection.site.name, "name": inspection.signed_name}
        )
        + "\n"
        + lines,
        "criteria": criteria,
    }


def action_origin() -> action_services.Origin:
    """How the action plan names an inspection an action comes from."""
    return action_services.Origin(
        name="inspection",
        model=Inspection,
        label=_inspection_label,
        url=_inspection_url,
        initial=_action_initial,
        treats=gettext_lazy("comes from the inspection %(label)s"),
    )


def matching(org: Organisation, where: dict[str, Any]) -> QuerySet[Inspection]:
    """The inspections the list's filters (cleaned) ask for."""
    found = inspections(org)
    if where.get("q"):
        text = " ".join(str(where["q"]).split())
        found = found.filter(
            Q(tractor__icontains=text)
            | Q(trailer__icontains=text)
            | Q(container__icontains=text.replace(" ", ""))
            | Q(seals__icontains=text)
        )
    if where.get("site"):
        found = found.filter(site=where["site"])
    if where.get("conveyance"):
        found = found.filter(checklist__conveyance=where["conveyance"])
    if where.get("result") == "failed":
        found = found.filter(failed__gt=0)
    elif where.get("result") == "passed":
        found = found.filter(failed=0)
    if where.get("after"):
        found = found.filter(recorded_at__date__gte=where["after"])
    if where.get("before"):
        found = found.filter(recorded_at__date__lte=where["before"])
    return found
