"""Step 2: threats rated per country and per leg."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safelane.risk.models import LegThreat, RiskAssessment, ThreatRating

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
