"""How Safelane works out a partner's risk tier, with the reasons a person can check.

A point system, shown whole on the partner's page: the threat rating of the partner's countries
(from the organisation's country threat table, which the risk assessment keeps), whether the
partner holds the cargo, its CTPAT or AEO status, its latest security questionnaire and any
confirmed restricted-party match. A person may set another tier, with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from safelane.partners.models import CUSTODY_TYPES, CtpatStatus, MraProgramme, RiskTier

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation
    from safelane.partners.models import Partner

# Safelane's defaults for how often a partner is reviewed, by tier (CBP expects high-risk
# partners at least once a year; the others are the organisation's call, written in its
# business-partner procedure).
REVIEW_MONTHS = {RiskTier.HIGH: 12, RiskTier.MEDIUM: 24, RiskTier.LOW: 36}
# A status seen this long ago no longer counts as verified.
STATUS_FRESH = datetime.timedelta(days=366)

# Level by country code (1 low, 2 medium, 3 high), as the risk assessment's table rates it;
# the risk app provides it (it sits above this one).
CountryLevels = Callable[["Organisation"], dict[str, int]]
_country_levels: list[CountryLevels] = []


def register_country_levels(provider: CountryLevels) -> None:
    if provider not in _country_levels:
        _country_levels.append(provider)


def country_levels(org: Organisation) -> dict[str, int]:
    levels: dict[str, int] = {}
    for provider in _country_levels:
        for code, level in provider(org).items():
            levels[code] = max(levels.get(code, 0), level)
    return levels


# What each reason says, filled in the reader's language when shown (a reason is stored as
# [points, key, values], so that a tier worked out by a Spanish reader reads in English too).
REASONS = {
    "confirmed": gettext_lazy("A restricted-party match is confirmed: high whatever else."),
    "country-threat": gettext_lazy("The threat in %(country)s is rated %(level)s."),
    "country-unrated": gettext_lazy("No threat rating yet for %(countries)s."),
    "no-country": gettext_lazy("No country recorded."),
    "custody": gettext_lazy("It holds or moves the cargo."),
    "status-verified": gettext_lazy("%(programme)s status verified on %(date)s."),
    "status-stale": gettext_lazy("Its CTPAT or AEO status is not verified in the last year."),
    "no-status": gettext_lazy("No CTPAT or AEO status on record."),
    "questionnaire": gettext_lazy(
        "Its latest security questionnaire (%(date)s) shows %(level)s vulnerability."
    ),
    "no-questionnaire": gettext_lazy("No security questionnaire accepted yet."),
}
LEVEL_WORDS = {3: gettext_lazy("high"), 2: gettext_lazy("medium"), 1: gettext_lazy("low")}


def describe(reason: list[Any]) -> str:
    """A stored reason as a sentence in the reader's language, with its points."""
    points, key, values = reason
    shown = dict(values)
    for name, value in values.items():
        if name == "level":
            shown[name] = str(LEVEL_WORDS.get(value, value))
        elif name == "date" and value:
            shown[name] = date_format(datetime.date.fromisoformat(value))
        elif name in {"country", "countries"}:
            shown[name] = ", ".join(str(Country(code).name) for code in value)
        elif name == "programme":
            shown[name] = str(dict(MraProgramme.choices)[value]) if value else "CTPAT"
    text = str(REASONS.get(key, key)) % shown if key in REASONS else key
    return f"{'+' if points > 0 else ''}{points} · {text}"


@dataclass(frozen=True)
class Assessment:
    tier: str
    reasons: list[list[Any]]  # [points, key, values]
    points: int


def assess(partner: Partner, levels: dict[str, int], today: datetime.date) -> Assessment:
    """The tier `partner` earns, each point with its reason."""
    if partner.screening == "confirmed":
        return Assessment(RiskTier.HIGH, [[99, "confirmed", {}]], 99)
    reasons: list[list[Any]] = []
    codes = [c.code for c in partner.countries]
    rated = {code: levels[code] for code in codes if code in levels}
    if rated:
        worst = max(rated, key=lambda code: rated[code])
        points = {3: 2, 2: 1, 1: 0}[rated[worst]]
        reasons.append([points, "country-threat", {"country": [worst], "level": rated[worst]}])
    elif codes:
        reasons.append([1, "country-unrated", {"countries": codes}])
    else:
        reasons.append([1, "no-country", {}])
    if partner.kind in CUSTODY_TYPES:
        reasons.append([1, "custody", {}])
    verified = partner.status_verified_on
    fresh = verified is not None and today - verified <= STATUS_FRESH
    certified = partner.ctpat_status in {CtpatStatus.CERTIFIED, CtpatStatus.VALIDATED}
    if (certified or partner.mra_programme) and fresh:
        programme = "" if certified else partner.mra_programme
        reasons.append(
            [-2, "status-verified", {"programme": programme, "date": verified.isoformat()}]  # type: ignore[union-attr]
        )
    elif certified or partner.mra_programme:
        reasons.append([0, "status-stale", {}])
    else:
        reasons.append([1, "no-status", {}])
    if partner.assessment_level:
        level = RiskTier(partner.assessment_level)
        points = {RiskTier.HIGH: 2, RiskTier.MEDIUM: 1, RiskTier.LOW: -1}[level]
        on = partner.assessed_on.isoformat() if partner.assessed_on else ""
        reasons.append(
            [
                points,
                "questionnaire",
                {"date": on, "level": {"high": 3, "medium": 2, "low": 1}[level]},
            ]
        )
    elif not (certified or partner.mra_programme):
        reasons.append([1, "no-questionnaire", {}])
    total = sum(points for points, _key, _values in reasons)
    tier = RiskTier.HIGH if total >= 3 else RiskTier.MEDIUM if total >= 1 else RiskTier.LOW
    return Assessment(tier, reasons, total)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def next_review(partner: Partner, tier: str, today: datetime.date) -> datetime.date:
    """From the latest look at the partner (a questionnaire, a verified status); a partner
    nobody has looked at yet is due today."""
    seen = [d for d in (partner.assessed_on, partner.status_verified_on) if d]
    if not seen:  # due since it was added, however often it is worked out again
        return min(partner.next_review or today, today)
    return add_months(max(seen), REVIEW_MONTHS[RiskTier(tier)])
