"""Everything the assessment's page and its reports show, as named parts (no positional tuples),
read with a fixed number of queries however large the map."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.partners import selectors as partner_selectors
from safelane.partners.selectors import FacilityPoint
from safelane.risk.models import (
    CountryThreat,
    Leg,
    LegThreat,
    Level,
    Node,
    ThreatRating,
    ThreatType,
    Vulnerability,
)
from safelane.risk.selectors.map import SupplyChainMap, chain_map, legs, nodes
from safelane.risk.selectors.scoring import HeatCell, Risk, heat_map, risks
from safelane.risk.selectors.threats import leg_threat_records, threat_hints, threats
from safelane.risk.selectors.vulnerabilities import (
    CATEGORIES,
    CategoryHeading,
    category_headings,
    category_names,
    vulnerabilities,
)

if TYPE_CHECKING:
    from django_countries.fields import Country

    from safelane.actions.models import Action
    from safelane.orgs.models import Organisation
    from safelane.risk.models import RiskAssessment


@dataclass(frozen=True)
class ThreatCell:
    """One country's rating of one threat on the grid."""

    threat: str
    label: str
    shown: ThreatRating | CountryThreat | None  # this assessment's rating, else the table's
    seen: int  # the version of this assessment's rating the reader saw (0: none)
    own: ThreatRating | None  # this assessment's own rating, the one the report prints


@dataclass(frozen=True)
class ThreatRow:
    code: str
    country: Country
    cells: list[ThreatCell]
    sources: str
    rated_on: datetime.date | None


@dataclass(frozen=True)
class LegCell:
    """One leg's rating of one threat: its own, or (None) the higher of its countries'."""

    threat: str
    label: str
    rating: LegThreat | None
    default: int  # the countries' level the leg bears when not rated apart (0: none)


@dataclass(frozen=True)
class LegRow:
    leg: Leg
    cells: list[LegCell]

    @property
    def rated(self) -> list[tuple[str, str]]:
        """(threat, level) for each threat rated on the leg itself."""
        return [(c.label, str(c.rating.get_level_display())) for c in self.cells if c.rating]


@dataclass(frozen=True)
class VulnerabilityRow:
    node: Node
    cells: list[Vulnerability | None]  # one per MSC category, 1 to 12


@dataclass(frozen=True)
class AssessmentView:
    assessment: RiskAssessment
    nodes: list[Node]
    legs: list[Leg]
    map: SupplyChainMap
    threat_rows: list[ThreatRow]
    leg_threat_rows: list[LegRow]
    vuln_rows: list[VulnerabilityRow]
    category_names: dict[int, str]
    risks: list[Risk]
    top_risks: list[Risk]
    heat: list[list[HeatCell]]
    threat_types: list[tuple[str, Any]]
    levels: list[tuple[int, Any]]
    categories: list[int]
    category_headings: list[CategoryHeading]
    # Each point with the partner behind it (None when it is not a partner's facility).
    point_rows: list[tuple[Node, FacilityPoint | None]]
    # What other apps suggest for the threat ratings ("2 incidents of tampering ..."), by label.
    threat_hints: list[tuple[Any, Any]]

    @property
    def rated_legs(self) -> list[LegRow]:
        return [row for row in self.leg_threat_rows if row.rated]

    @property
    def unrated(self) -> int:
        return sum(1 for r in self.risks if r.band == "unrated")


def _threat_rows(
    org: Organisation, assessment: RiskAssessment, node_list: list[Node]
) -> tuple[list[ThreatRow], dict[tuple[str, str], int]]:
    countries = sorted({n.country.code: n.country for n in node_list}.items())
    rated = {(t.country.code, t.threat): t for t in threats(org, assessment)}
    table = {(t.country.code, t.threat): t for t in CountryThreat.objects.for_org(org)}
    rows = [
        ThreatRow(
            code=code,
            country=country,
            cells=[
                ThreatCell(
                    threat=value,
                    label=str(label),
                    shown=rated.get((code, value)) or table.get((code, value)),
                    seen=getattr(rated.get((code, value)), "version", 0),
                    own=rated.get((code, value)),
                )
                for value, label in ThreatType.choices
            ],
            sources=next(
                (t.sources for (c, _v), t in rated.items() if c == code and t.sources), ""
            ),
            rated_on=max((t.rated_on for (c, _v), t in rated.items() if c == code), default=None),
        )
        for code, country in countries
    ]
    return rows, {key: t.level for key, t in {**table, **rated}.items()}


def _leg_rows(
    org: Organisation,
    assessment: RiskAssessment,
    leg_list: list[Leg],
    country_level: dict[tuple[str, str], int],
) -> list[LegRow]:
    leg_rated = leg_threat_records(org, assessment)
    return [
        LegRow(
            leg=leg,
            cells=[
                LegCell(
                    threat=value,
                    label=str(label),
                    rating=leg_rated.get((leg.pk, value)),
                    default=max(
                        country_level.get((leg.origin.country.code, value), 0),
                        country_level.get((leg.destination.country.code, value), 0),
                    ),
                )
                for value, label in ThreatType.choices
            ],
        )
        for leg in leg_list
    ]


def _questionnaire_badges(
    node_list: list[Node], points: dict[int, FacilityPoint]
) -> dict[int, tuple[str, str, str]]:
    """The map's tag on each partner's facility: what its security questionnaire concluded."""
    badges = {}
    for node in node_list:
        point = points.get(node.facility_id or 0)
        if point is None:
            continue
        if point.level:
            title = gettext(
                "%(partner)s: security questionnaire accepted on %(date)s, %(level)s"
            ) % {
                "partner": point.partner_name,
                "date": date_format(point.assessed_on),
                "level": point.level_label,
            }
            badges[node.pk] = (point.level_label, point.level, title)
        else:
            title = gettext("%(partner)s: no security questionnaire accepted yet") % {
                "partner": point.partner_name
            }
            badges[node.pk] = (gettext("No questionnaire"), "", title)
    return badges


def assessment_view(org: Organisation, assessment: RiskAssessment) -> AssessmentView:
    """Everything the page and the reports show of one assessment."""
    node_list = nodes(org, assessment)
    leg_list = legs(org, assessment)
    vulns = vulnerabilities(org, assessment, node_list)
    risk_list = risks(org, assessment, vulns)
    threat_rows, country_level = _threat_rows(org, assessment, node_list)
    names = category_names()
    partner_points = partner_selectors.facility_points(
        org, {n.facility_id for n in node_list if n.facility_id}
    )
    by_node: dict[int, dict[int, Vulnerability]] = {}
    for v in vulns:
        by_node.setdefault(v.node_id, {})[v.category] = v
    return AssessmentView(
        assessment=assessment,
        nodes=node_list,
        legs=leg_list,
        map=chain_map(node_list, leg_list, _questionnaire_badges(node_list, partner_points)),
        threat_rows=threat_rows,
        leg_threat_rows=_leg_rows(org, assessment, leg_list, country_level),
        vuln_rows=[
            VulnerabilityRow(n, [by_node.get(n.pk, {}).get(c) for c in CATEGORIES])
            for n in node_list
        ],
        category_names=names,
        risks=risk_list,
        top_risks=[r for r in risk_list if r.band in {"high", "medium"}],
        heat=heat_map(risk_list, assessment),
        threat_types=list(ThreatType.choices),
        levels=list(Level.choices),
        categories=list(CATEGORIES),
        category_headings=category_headings(names),
        point_rows=[(n, partner_points.get(n.facility_id or 0)) for n in node_list],
        threat_hints=threat_hints(org),
    )


@dataclass(frozen=True)
class RiskRow:
    """A medium or high risk on the page, with the action planned for it (if any)."""

    risk: Risk
    action: Action | None


def risk_rows(org: Organisation, view: AssessmentView) -> list[RiskRow]:
    """Every medium and high risk, each with its planned action (None: no action yet), for the
    page and the reports alike."""
    ratings = Vulnerability.objects.for_org(org).filter(
        pk__in=[r.rating.pk for r in view.top_risks]
    )
    planned = action_selectors.planned_for(org, ratings)
    return [RiskRow(r, planned.get(r.rating.pk)) for r in view.top_risks]


def _risk_label(rating: Vulnerability) -> str:
    return gettext("%(point)s, MSC category %(category)s") % {
        "point": rating.node.name,
        "category": rating.category,
    }


def _risk_url(org: Organisation, rating: Vulnerability) -> str:
    return reverse("risk:detail", args=[org.slug, rating.assessment_id]) + "#risks"


def action_origin() -> action_services.Origin:
    """How the action plan names a risk an action treats."""
    return action_services.Origin(
        name="risk",
        model=Vulnerability,
        label=_risk_label,
        url=_risk_url,
        related=("node",),
        treats=gettext_lazy("treats the risk at %(label)s"),
        finished=gettext_lazy(
            "That was the last open action for this risk: rate its vulnerability again (%(url)s)."
        ),
    )
