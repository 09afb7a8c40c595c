"""Step 2: threats rated per country and per leg."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from safelane.risk.models import CountryThreat, LegThreat, RiskAssessment, ThreatRating, ThreatType

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


# Readers of what other apps have seen (incidents) that bears on the threat ratings: each gives
# (threat type code, sentence) pairs. The page shows them as suggestions; a person rates.
HintReader = Callable[["Organisation"], list[tuple[str, Any]]]
_hint_readers: list[HintReader] = []


def register_threat_hints(reader: HintReader) -> None:
    """Let another app suggest what to weigh when rating threats (called from its `ready()`)."""
    if reader not in _hint_readers:
        _hint_readers.append(reader)


def threat_hints(org: Organisation) -> list[tuple[Any, Any]]:
    """(threat label, sentence) for every registered reader's suggestions."""
    labels = dict(ThreatType.choices)
    return [
        (labels.get(code, code), text) for reader in _hint_readers for code, text in reader(org)
    ]
