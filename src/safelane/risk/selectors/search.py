"""The risk assessment in the organisation's search: the points of its maps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from safelane.orgs.search import Result
from safelane.risk.models import Node

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


def search_results(org: Organisation, text: str, limit: int) -> list[Result]:
    """Map points whose name, operator or city holds `text`, newest assessment first."""
    rows = (
        Node.objects.for_org(org)
        .filter(Q(name__icontains=text) | Q(operator__icontains=text) | Q(city__icontains=text))
        .select_related("assessment")
        .order_by("-assessment__pk", "name", "pk")[:limit]
    )
    return [
        Result(
            title=f"{node.name} · {node.assessment.title}",
            url=reverse("risk:detail", args=[org.slug, node.assessment_id]) + "#map",
            detail=", ".join(part for part in (node.operator, node.city) if part),
        )
        for node in rows
    ]
