"""Step 4: risk as threat times vulnerability, on the assessment's own matrix, and the heat map."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safelane.risk.models import LegThreat, Level, Node, RiskAssessment, Vulnerability
from safelane.risk.selectors.threats import threats
from safelane.risk.selectors.vulnerabilities import category_names, vulnerabilities

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


@dataclass(frozen=True)
class Risk:
    node: Node
    category: int
    category_name: str
    threat: int | None
    vulnerability: int
    score: int | None
    band: str
    rating: Vulnerability  # the vulnerability rating scored, which an action treats


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
                v,
            )
        )
    return sorted(found, key=lambda r: (-(r.score or 0), r.node.pk, r.category))


# The one palette of risk bands, for the page, the PDF and Word alike.
BAND_COLOURS = {"high": "#b42318", "medium": "#d69e2e", "low": "#1f7a4d", "unrated": "#6b7785"}
EMPTY_SHARE = 0.25  # an empty cell of the heat map is its band's colour, pale


def heat_colour(band: str, count: int) -> str:
    """A heat-map cell's fill as #rrggbb: its band's colour, pale where no risk falls."""
    colour = BAND_COLOURS[band]
    if count:
        return colour
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    pale = [round(255 - (255 - c) * EMPTY_SHARE) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in pale)


@dataclass(frozen=True)
class HeatCell:
    threat: int
    vulnerability: int
    count: int
    band: str  # the band of threat times vulnerability on this assessment's matrix

    @property
    def colour(self) -> str:
        return heat_colour(self.band, self.count)

    @property
    def text_colour(self) -> str:
        return "#ffffff" if self.count else "#1d2733"


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
