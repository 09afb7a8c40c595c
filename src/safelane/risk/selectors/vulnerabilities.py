"""Step 3: vulnerability ratings per point and MSC category, and the levels suggested for them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from safelane.assessments import selectors as assessment_selectors
from safelane.catalog import selectors as catalog
from safelane.partners import selectors as partner_selectors
from safelane.risk.models import Level, Node, NodeKind, RiskAssessment, Vulnerability

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

CATEGORIES = range(1, 13)


def vulnerabilities(
    org: Organisation, assessment: RiskAssessment, node_list: list[Node] | None = None
) -> list[Vulnerability]:
    """The ratings, each with its point (from `node_list` when the caller has read them)."""
    rows = Vulnerability.objects.for_org(org).filter(assessment=assessment)
    if node_list is None:
        return list(rows.select_related("node"))
    by_pk = {node.pk: node for node in node_list}
    found = list(rows)
    for v in found:
        v.node = by_pk[v.node_id]
    return found


def category_names() -> dict[int, str]:
    version = catalog.current_version()
    return {c.number: c.label for c in catalog.categories(version)} if version else {}


# What a grid column or a message can name a category by where the full name does not fit.
SHORT_NAMES = {
    1: gettext_lazy("Vision"),
    2: gettext_lazy("Risk"),
    3: gettext_lazy("Partners"),
    4: gettext_lazy("Cyber"),
    5: gettext_lazy("Vehicles"),
    6: gettext_lazy("Seals"),
    7: gettext_lazy("Process"),
    8: gettext_lazy("Agri"),
    9: gettext_lazy("Physical"),
    10: gettext_lazy("Access"),
    11: gettext_lazy("People"),
    12: gettext_lazy("Education"),
}


@dataclass(frozen=True)
class CategoryHeading:
    """An MSC category as a column of the vulnerability grid: its number and short name, and
    its full name for the abbreviation's title."""

    number: int
    short: str
    name: str


def category_headings(names: dict[int, str]) -> list[CategoryHeading]:
    return [
        CategoryHeading(c, str(SHORT_NAMES.get(c, c)), names.get(c, str(c))) for c in CATEGORIES
    ]


def category_label(names: dict[int, str], category: int) -> str:
    """A category in a sentence, by number and name ("4. Cybersecurity")."""
    name = names.get(category)
    return f"{category}. {name}" if name else str(category)


# A partner's questionnaire result (its risk tier values) as a vulnerability level.
QUESTIONNAIRE_LEVELS = {"high": Level.HIGH, "medium": Level.MEDIUM, "low": Level.LOW}


def suggested_levels(org: Organisation, node_list: list[Node]) -> dict[tuple[int, int], int]:
    """Own facilities: from the latest self-assessment (gaps raise the level). A partner's
    facility: from its accepted security questionnaire. Any other point: medium."""
    latest = assessment_selectors.cycles(org).first()
    by_category: dict[int, list[str]] = defaultdict(list)
    if latest is not None:
        for r in assessment_selectors.answers(org, latest):
            if r.category:
                by_category[r.category].append(r.status)
    own_levels = {}
    for category in CATEGORIES:
        answered = [
            s for s in by_category.get(category, []) if s not in {"not-started", "not-applicable"}
        ]
        if not answered:
            own_levels[category] = Level.MEDIUM
            continue
        gaps = sum(1 for s in answered if s in {"not-met", "partial"}) / len(answered)
        own_levels[category] = (
            Level.HIGH if gaps >= 0.5 else Level.MEDIUM if gaps > 0 else Level.LOW
        )
    # A partner's facility: what its accepted security questionnaire concluded.
    points = partner_selectors.facility_points(
        org, {node.facility_id for node in node_list if node.facility_id}
    )
    partner_levels = {
        node.pk: QUESTIONNAIRE_LEVELS.get(points[node.facility_id].level, Level.MEDIUM)
        for node in node_list
        if node.facility_id in points
    }

    def suggested(node: Node, category: int) -> int:
        if node.kind == NodeKind.OWN:
            return own_levels[category]
        return partner_levels.get(node.pk, Level.MEDIUM)

    return {
        (node.pk, category): suggested(node, category)
        for node in node_list
        for category in CATEGORIES
    }
