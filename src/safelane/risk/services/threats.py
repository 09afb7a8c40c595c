"""Step 2: threats rated per country (kept in the organisation's country table for next year)
and per leg, the table itself and its CSV import."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from safelane.core.errors import DomainError
from safelane.core.imports import RowsRefusedError, read_csv
from safelane.core.records import create_record, delete_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.partners import services as partner_services
from safelane.risk.models import (
    CountryThreat,
    Leg,
    LegThreat,
    Level,
    Node,
    RiskAssessment,
    ThreatRating,
    ThreatType,
)
from safelane.risk.services.documenting import locked

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

LEVEL_CODES = {
    "h": Level.HIGH,
    "high": Level.HIGH,
    "m": Level.MEDIUM,
    "medium": Level.MEDIUM,
    "l": Level.LOW,
    "low": Level.LOW,
}


@dataclass(frozen=True)
class Rated:
    """One cell of a rating grid: the level chosen (None: no rating) and the version of the
    stored rating the person saw (0: there was none)."""

    level: int | None
    seen: int | None = None  # None: the caller does not ask for the check (a script)


STALE = gettext_lazy(
    "Someone else changed these ratings while you were editing: %(what)s. Nothing was saved; "
    "the page now shows their ratings."
)


def _stale(stored: Any, cell: Rated) -> bool:
    """Whether saving `cell` would silently undo someone else's change to `stored`."""
    if cell.seen is None:
        return False
    if stored is None:
        return cell.seen != 0 and cell.level is not None
    return stored.version != cell.seen and stored.level != cell.level


def _refuse_stale(
    existing: dict[tuple[Any, str], Any],
    levels: dict[tuple[Any, str], Rated],
    name: Callable[[Any], str],
) -> None:
    """Refuse the whole grid if any of its cells would undo someone else's change."""
    stale = [
        f"{name(row)} {ThreatType(threat).label}"
        for (row, threat), cell in levels.items()
        if _stale(existing.get((row, threat)), cell)
    ]
    if stale:
        raise DomainError(STALE % {"what": ", ".join(stale)})


def _keep_in_table(
    org: Organisation,
    actor: User,
    table: dict[tuple[str, str], CountryThreat],
    key: tuple[str, str],
    values: dict[str, Any],
) -> None:
    """Write one (country, threat) rating into the organisation's country table: update the
    row `table` holds for it, or create one and remember it there."""
    if key in table:
        update_record(org=org, actor=actor, obj=table[key], expected_version=None, values=values)
    else:
        country, threat = key
        table[key] = create_record(
            org=org,
            actor=actor,
            obj=CountryThreat(organisation=org, country=country, threat=threat, **values),
        )


def save_threat_grid(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    countries: dict[tuple[str, str], Rated],
    sources: dict[str, str],
    legs: dict[tuple[int, str], Rated],
) -> None:
    """The threat step's grid as one change: the countries' ratings (and their sources) and the
    legs' own ratings, all saved or, if any cell is refused, none."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        assessment = locked(org, assessment)
        _save_threats(
            org=org, actor=actor, assessment=assessment, levels=countries, sources=sources
        )
        _save_leg_threats(org=org, actor=actor, assessment=assessment, levels=legs)
        partner_services.country_levels_changed(org)


def _save_threats(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    levels: dict[tuple[str, str], Rated],
    sources: dict[str, str],
) -> None:
    """Store the ratings of this assessment (None clears one) and keep the organisation's
    country table up to date with what was rated."""
    today = timezone.localdate()
    mapped = {
        str(code)
        for code in Node.objects.for_org(org)
        .filter(assessment=assessment)
        .values_list("country", flat=True)
    }
    if any(country not in mapped for country, _threat in levels):
        raise DomainError(_("Rate the countries on this assessment's map."))
    with transaction.atomic():
        existing = {
            (t.country.code, t.threat): t
            for t in ThreatRating.objects.for_org(org)
            .filter(assessment=assessment)
            .select_for_update()
        }
        _refuse_stale(existing, levels, lambda country: country)
        table = {(t.country.code, t.threat): t for t in CountryThreat.objects.for_org(org)}
        for (country, threat), cell in levels.items():
            stored = existing.get((country, threat))
            if cell.level is None:
                if stored is not None:
                    delete_record(org=org, actor=actor, obj=stored)
                continue
            values = {"level": cell.level, "sources": sources.get(country, ""), "rated_on": today}
            if stored is not None:
                if stored.level == cell.level and stored.sources == values["sources"]:
                    continue  # unchanged: keep the date it was rated on
                update_record(
                    org=org, actor=actor, obj=stored, expected_version=None, values=values
                )
            else:
                create_record(
                    org=org,
                    actor=actor,
                    obj=ThreatRating(
                        organisation=org,
                        assessment=assessment,
                        country=country,
                        threat=threat,
                        **values,
                    ),
                )
            shared = {
                "level": cell.level,
                "sources": sources.get(country, ""),
                "assessed_on": today,
            }
            _keep_in_table(org, actor, table, (country, threat), shared)


def _save_leg_threats(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    levels: dict[tuple[int, str], Rated],
) -> None:
    """Rate threats on legs; None takes a rating away (the leg is then rated as its countries)."""
    legs = {leg.pk: leg for leg in Leg.objects.for_org(org).filter(assessment=assessment)}
    if any(leg_id not in legs for leg_id, _threat in levels):
        raise DomainError(_("Choose legs of this assessment's map."))
    with transaction.atomic():
        existing = {
            (t.leg_id, t.threat): t
            for t in LegThreat.objects.for_org(org)
            .filter(assessment=assessment)
            .select_for_update()
        }
        _refuse_stale(existing, levels, lambda leg_id: str(legs[leg_id]))
        for (leg_id, threat), cell in levels.items():
            stored = existing.get((leg_id, threat))
            if cell.level is None:
                if stored is not None:
                    delete_record(org=org, actor=actor, obj=stored)
            elif stored is None:
                create_record(
                    org=org,
                    actor=actor,
                    obj=LegThreat(
                        organisation=org,
                        assessment=assessment,
                        leg=legs[leg_id],
                        threat=threat,
                        level=cell.level,
                    ),
                )
            elif stored.level != cell.level:
                update_record(
                    org=org,
                    actor=actor,
                    obj=stored,
                    expected_version=None,
                    values={"level": cell.level},
                )


def save_country_threat(
    *,
    org: Organisation,
    actor: User,
    obj: CountryThreat | None,
    values: dict[str, Any],
    expected_version: int | None,
) -> CountryThreat:
    """Add or correct one rating of the organisation's country threat table."""
    require_role(org, actor, Role.CONTRIBUTOR)
    clash = CountryThreat.objects.for_org(org).filter(
        country=values["country"], threat=values["threat"]
    )
    if obj is not None:
        clash = clash.exclude(pk=obj.pk)
    if clash.exists():
        raise DomainError(
            _("This country already has a rating for that threat: change that one."),
            field="threat",
        )
    if obj is None:
        saved = create_record(org=org, actor=actor, obj=CountryThreat(organisation=org, **values))
    else:
        saved = update_record(
            org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
        )
    partner_services.country_levels_changed(org)
    return saved


def delete_country_threat(*, org: Organisation, actor: User, obj: CountryThreat) -> None:
    """Remove a rating from the table; assessments keep the ratings they made."""
    require_role(org, actor, Role.CONTRIBUTOR)
    delete_record(org=org, actor=actor, obj=obj)
    partner_services.country_levels_changed(org)


def import_country_threats(*, org: Organisation, actor: User, content: bytes) -> int:
    """Load the threat table from CSV (country, threat, level, sources, assessed_on). All rows or none."""
    require_role(org, actor, Role.CONTRIBUTOR)
    table_read = read_csv(content, required={"country", "threat", "level"})
    codes = dict(countries)
    names = {str(name).lower(): code for code, name in countries}
    problems, rows = [], []
    for number, row in table_read.rows:
        raw = (row.get("country") or "").strip()
        country = raw.upper() if raw.upper() in codes else names.get(raw.lower())
        threat = (row.get("threat") or "").strip().lower()
        level = LEVEL_CODES.get((row.get("level") or "").strip().lower())
        try:
            assessed = datetime.date.fromisoformat(
                (row.get("assessed_on") or "").strip() or timezone.localdate().isoformat()
            )
        except ValueError:
            assessed = None
        if country is None:
            problems.append(
                _("Row %(row)s: '%(value)s' is not a country.") % {"row": number, "value": raw}
            )
        if threat not in ThreatType.values:
            problems.append(
                _("Row %(row)s: '%(value)s' is not a threat (%(allowed)s).")
                % {"row": number, "value": threat, "allowed": ", ".join(ThreatType.values)}
            )
        if level is None:
            problems.append(
                _("Row %(row)s: the level must be High, Medium or Low.") % {"row": number}
            )
        if assessed is None:
            problems.append(_("Row %(row)s: the date must be YYYY-MM-DD.") % {"row": number})
        elif not datetime.date(2000, 1, 1) <= assessed <= timezone.localdate():
            problems.append(
                _("Row %(row)s: the date must be between 2000 and today.") % {"row": number}
            )
        rows.append((country, threat, level, (row.get("sources") or "").strip(), assessed))
    if problems:
        raise RowsRefusedError(problems)
    with transaction.atomic():
        table = {(t.country.code, t.threat): t for t in CountryThreat.objects.for_org(org)}
        for country, threat, level, sources, assessed in rows:
            assert country is not None
            values = {"level": level, "sources": sources, "assessed_on": assessed}
            _keep_in_table(org, actor, table, (country, threat), values)
        partner_services.country_levels_changed(org)
    return len(rows)
