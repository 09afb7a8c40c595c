"""Step 2: threats rated per country and per leg."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safelane.risk.models import CountryThreat, LegThreat, RiskAssessment, ThreatRating

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


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


def country_levels(org: Organisation) -> dict[str, int]:
    """The highest threat level the organisation's country table gives each country (for the
    risk tiers of business partners)."""
    found: dict[str, int] = {}
    for code, level in CountryThreat.objects.for_org(org).values_list("country", "level"):
        found[str(code)] = max(found.get(str(code), 0), level)
    return found
