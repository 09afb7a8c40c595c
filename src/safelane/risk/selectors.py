"""Reads of risk assessments: the map, the ratings, the risks, the heat map and comparisons."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safelane.assessments import selectors as assessment_selectors
from safelane.catalog import selectors as catalog
from safelane.orgs.dashboard import Tile
from safelane.orgs.models import Membership, Role
from safelane.risk.models import (
    Leg,
    LegThreat,
    Level,
    Node,
    NodeKind,
    RiskAssessment,
    ThreatRating,
    ThreatType,
    Vulnerability,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

CATEGORIES = range(1, 13)


def assessments(org: Organisation) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.for_org(org).select_related("started_from")


def nodes(org: Organisation, assessment: RiskAssessment) -> list[Node]:
    return list(Node.objects.for_org(org).filter(assessment=assessment))


def legs(org: Organisation, assessment: RiskAssessment) -> list[Leg]:
    return list(
        Leg.objects.for_org(org)
        .filter(assessment=assessment)
        .select_related("origin", "destination")
    )


def threats(org: Organisation, assessment: RiskAssessment) -> list[ThreatRating]:
    return list(ThreatRating.objects.for_org(org).filter(assessment=assessment))


def leg_threat_records(
    org: Organisation, assessment: RiskAssessment
) -> dict[tuple[int, str], LegThreat]:
    """The ratings on legs, by (leg id, threat)."""
    return {
        (t.leg_id, t.threat): t
        for t in LegThreat.objects.for_org(org).filter(assessment=assessment)
    }


def leg_threats(org: Organisation, assessment: RiskAssessment) -> dict[tuple[int, str], int]:
    """The levels rated on legs, by (leg id, threat)."""
    return {key: t.level for key, t in leg_threat_records(org, assessment).items()}


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


def suggested_levels(org: Organisation, node_list: list[Node]) -> dict[tuple[int, int], int]:
    """Own facilities: from the latest self-assessment (gaps raise the level). Partners: medium
    until partner questionnaires can say more."""
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
    return {
        (node.pk, category): own_levels[category] if node.kind == NodeKind.OWN else Level.MEDIUM
        for node in node_list
        for category in CATEGORIES
    }


@dataclass(frozen=True)
class Risk:
    node: Node
    category: int
    category_name: str
    threat: int | None
    vulnerability: int
    score: int | None
    band: str


def band(score: int | None, assessment: RiskAssessment) -> str:
    if score is None:
        return "unrated"
    if score >= assessment.high_from:
        return "high"
    return "medium" if score >= assessment.medium_from else "low"


# Which threats weigh on which MSC category: cybersecurity meets cyber threats, agricultural
# security meets agricultural ones, every other category meets the security threats.
CATEGORY_THREATS = {4: ("cyber",), 8: ("agricultural",)}
SECURITY_THREATS = ("terrorism", "contraband", "human-smuggling", "organised-crime", "conditions")


def risks(
    org: Organisation,
    assessment: RiskAssessment,
    vulnerability_list: list[Vulnerability] | None = None,
) -> list[Risk]:
    """Risk = the highest relevant threat rated for the point's country times the point's
    vulnerability in the category."""
    rated: dict[tuple[str, str], int] = {
        (t.country.code, t.threat): t.level for t in threats(org, assessment)
    }
    names = category_names()
    if vulnerability_list is None:
        vulnerability_list = vulnerabilities(org, assessment)
    country_of = {v.node_id: v.node.country.code for v in vulnerability_list}
    # A point also bears the threats rated on the legs that bring or take its cargo.
    exposure: dict[tuple[int, str], int] = {}
    for origin_id, destination_id, threat_type, level in (
        LegThreat.objects.for_org(org)
        .filter(assessment=assessment)
        .values_list("leg__origin_id", "leg__destination_id", "threat", "level")
    ):
        for node_id in (origin_id, destination_id):
            exposure[(node_id, threat_type)] = max(exposure.get((node_id, threat_type), 0), level)
    found = []
    for v in vulnerability_list:
        code = country_of[v.node_id]
        relevant = [
            max(rated.get((code, threat), 0), exposure.get((v.node_id, threat), 0))
            for threat in CATEGORY_THREATS.get(v.category, SECURITY_THREATS)
            if (code, threat) in rated or (v.node_id, threat) in exposure
        ]
        threat = max(relevant) if relevant else None
        score = threat * v.level if threat else None
        found.append(
            Risk(
                v.node,
                v.category,
                names.get(v.category, str(v.category)),
                threat,
                v.level,
                score,
                band(score, assessment),
            )
        )
    return sorted(found, key=lambda r: (-(r.score or 0), r.node.pk, r.category))


@dataclass(frozen=True)
class HeatCell:
    threat: int
    vulnerability: int
    count: int
    band: str  # the band of threat times vulnerability on this assessment's matrix


def heat_map(risk_list: list[Risk], assessment: RiskAssessment) -> list[list[HeatCell]]:
    """Counts by threat (rows, high first) and vulnerability (columns, low first), each cell
    coloured by the band its score falls in on the assessment's matrix."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for r in risk_list:
        if r.threat:
            counts[(r.threat, r.vulnerability)] += 1
    return [
        [
            HeatCell(
                threat,
                vulnerability,
                counts[(threat, vulnerability)],
                band(threat * vulnerability, assessment),
            )
            for vulnerability in (Level.LOW, Level.MEDIUM, Level.HIGH)
        ]
        for threat in (Level.HIGH, Level.MEDIUM, Level.LOW)
    ]


@dataclass(frozen=True)
class MapPoint:
    node: Node
    x: int
    y: int


@dataclass(frozen=True)
class MapLine:
    leg: Leg
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class SupplyChainMap:
    width: int
    height: int
    points: list[MapPoint]
    lines: list[MapLine]


def chain_map(node_list: list[Node], leg_list: list[Leg]) -> SupplyChainMap:
    """Points in columns by how many legs lead to them, so cargo flows left to right."""
    depth = {n.pk: 0 for n in node_list}
    for _round in range(len(node_list)):
        changed = False
        for leg in leg_list:
            if depth.get(leg.destination_id, 0) < depth.get(leg.origin_id, 0) + 1 <= len(node_list):
                depth[leg.destination_id] = depth[leg.origin_id] + 1
                changed = True
        if not changed:
            break
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in node_list:
        columns[depth[node.pk]].append(node)
    box_w, box_h, gap_x, gap_y = 170, 54, 60, 26
    points = {}
    for col, members in sorted(columns.items()):
        for row, node in enumerate(members):
            points[node.pk] = MapPoint(node, 10 + col * (box_w + gap_x), 10 + row * (box_h + gap_y))
    lines = [
        MapLine(
            leg,
            points[leg.origin_id].x + box_w,
            points[leg.origin_id].y + box_h // 2,
            points[leg.destination_id].x,
            points[leg.destination_id].y + box_h // 2,
        )
        for leg in leg_list
        if leg.origin_id in points and leg.destination_id in points
    ]
    width = 20 + (max(columns) + 1 if columns else 1) * (box_w + gap_x)
    height = 20 + max((len(m) for m in columns.values()), default=1) * (box_h + gap_y)
    return SupplyChainMap(width, height, list(points.values()), lines)


CHANGE_KINDS = {
    "point": _("Point"),
    "leg": _("Leg"),
    "threat": _("Threat"),
    "leg-threat": _("Threat on a leg"),
    "vulnerability": _("Vulnerability"),
}


@dataclass(frozen=True)
class Difference:
    kind: str
    subject: str
    before: str
    after: str

    @property
    def kind_label(self) -> str:
        return str(CHANGE_KINDS[self.kind])


def compare(org: Organisation, older: RiskAssessment, newer: RiskAssessment) -> list[Difference]:
    """Points and legs added or gone; threat and vulnerability ratings that moved."""
    out: list[Difference] = []
    old_nodes = {str(n) for n in nodes(org, older)}
    new_nodes = {str(n) for n in nodes(org, newer)}
    out += [Difference("point", n, n, "") for n in sorted(old_nodes - new_nodes)]
    out += [Difference("point", n, "", n) for n in sorted(new_nodes - old_nodes)]
    old_legs, new_legs = legs(org, older), legs(org, newer)
    old_keys, new_keys = {str(x) for x in old_legs}, {str(x) for x in new_legs}
    out += [Difference("leg", k, k, "") for k in sorted(old_keys - new_keys)]
    out += [Difference("leg", k, "", k) for k in sorted(new_keys - old_keys)]

    labels = dict(ThreatType.choices)
    level_names = {value: str(label) for value, label in Level.choices}

    def moved(kind: str, subject: str, before: int | None, after: int | None) -> None:
        if before != after:
            out.append(
                Difference(
                    kind,
                    subject,
                    level_names.get(before or 0, ""),
                    level_names.get(after or 0, ""),
                )
            )

    old_t = {(t.country.code, t.threat): t.level for t in threats(org, older)}
    for t in threats(org, newer):
        subject = f"{t.country.name}, {labels[t.threat]}"
        moved("threat", subject, old_t.get((t.country.code, t.threat)), t.level)

    def leg_ratings(leg_list: list[Leg], assessment: RiskAssessment) -> dict[tuple[str, str], int]:
        by_pk = {leg.pk: str(leg) for leg in leg_list}
        return {
            (by_pk[leg_id], threat): level
            for (leg_id, threat), level in leg_threats(org, assessment).items()
        }

    old_lt, new_lt = leg_ratings(old_legs, older), leg_ratings(new_legs, newer)
    for key in sorted(old_lt.keys() | new_lt.keys()):
        moved("leg-threat", f"{key[0]}, {labels[key[1]]}", old_lt.get(key), new_lt.get(key))

    names = category_names()
    old_v = {(v.node.name, v.category): v.level for v in vulnerabilities(org, older)}
    for v in vulnerabilities(org, newer):
        before = old_v.get((v.node.name, v.category))
        if before is not None:
            subject = f"{v.node.name}, {names.get(v.category, str(v.category))}"
            moved("vulnerability", subject, before, v.level)
    return out


# Days before the due date on which managers are reminded; after it, once a week.
REMINDER_DAYS = (30, 7, 0)


def reminder_due(next_due: datetime.date | None, today: datetime.date) -> bool:
    """Whether `today` is a reminder day for an assessment due on `next_due`."""
    if next_due is None:
        return False
    days_left = (next_due - today).days
    return days_left in REMINDER_DAYS or (days_left < 0 and days_left % 7 == 0)


# How far ahead the list page and the dashboard warn that the next assessment is due.
DUE_SOON = datetime.timedelta(days=30)


def newest(org: Organisation) -> RiskAssessment | None:
    """The latest assessment: its date is the one the next assessment is due by."""
    return assessments(org).first()  # ordered newest year first


def due_state(next_due: datetime.date | None, today: datetime.date) -> str | None:
    """ "overdue", "soon" (within DUE_SOON), "later", or None when no date is set."""
    if next_due is None:
        return None
    if next_due < today:
        return "overdue"
    return "soon" if next_due <= today + DUE_SOON else "later"


def assessment_to_remind(org: Organisation, today: datetime.date) -> RiskAssessment | None:
    """The organisation's newest assessment, if today is a day to remind of the next one.

    Only the newest counts: starting next year's assessment gives it a date of its own.
    """
    latest = newest(org)
    if latest is not None and reminder_due(latest.next_due, today):
        return latest
    return None


def people_to_remind(org: Organisation) -> list[str]:
    """E-mail addresses of the organisation's owners and managers."""
    return list(
        Membership.objects.for_org(org)
        .filter(role__in=[Role.OWNER, Role.MANAGER], user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def dashboard_tile(org: Organisation, user: User) -> Tile:
    latest = newest(org)
    url = reverse("risk:list", args=[org.slug])
    if latest is None:
        return Tile(
            title=_("Supply-chain risk assessment"),
            figure=_("Not started"),
            detail=_("CBP expects one at least once a year."),
            url=url,
            tone="warn",
            link_text=_("Start one"),
        )
    state = due_state(latest.next_due, timezone.localdate())
    date = formats.date_format(latest.next_due) if latest.next_due else ""
    detail: str | Promise
    if latest.needs_review:
        detail, tone = _("The map changed since it was documented."), "warn"
    elif state is None:
        detail, tone = _("No date set for the next one."), "warn"
    elif state == "overdue":
        detail, tone = _("The next one was due on %(date)s.") % {"date": date}, "bad"
    elif state == "soon":
        detail, tone = _("The next one is due on %(date)s.") % {"date": date}, "warn"
    else:
        detail, tone = _("Next one due %(date)s.") % {"date": date}, "ok"
    return Tile(
        title=_("Supply-chain risk assessment"),
        figure=latest.title
        if latest.finalised_at
        else _("%(title)s, in progress") % {"title": latest.title},
        detail=detail,
        url=reverse("risk:detail", args=[org.slug, latest.pk]),
        tone=tone,
        link_text=_("Open it"),
    )
