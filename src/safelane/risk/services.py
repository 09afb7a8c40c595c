"""Writes of the risk assessment: starting one (from last year's), the map, the ratings, the
country threat table and its CSV import, actions from risks, finalising."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from safelane.actions import selectors as action_selectors
from safelane.actions import services as action_services
from safelane.catalog import selectors as catalog
from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, update_record
from safelane.risk import selectors
from safelane.risk.models import (
    CountryThreat,
    Leg,
    LegThreat,
    Level,
    Node,
    RiskAssessment,
    ThreatRating,
    ThreatType,
    Vulnerability,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.actions.models import Action
    from safelane.orgs.models import Organisation

LEVEL_CODES = {
    "h": Level.HIGH,
    "high": Level.HIGH,
    "m": Level.MEDIUM,
    "medium": Level.MEDIUM,
    "l": Level.LOW,
    "low": Level.LOW,
}


def review_interval(org: Organisation) -> datetime.timedelta:
    """Yearly; highway carriers more often (every six months, Safelane's default; adjust the date)."""
    held = {e.entity_type for e in catalog.org_entity_types(org)}
    return datetime.timedelta(days=182 if held & {"HC", "LH"} else 365)


def start_assessment(
    *,
    org: Organisation,
    actor: User,
    title: str,
    year: int,
    from_assessment: RiskAssessment | None = None,
) -> RiskAssessment:
    """A new assessment; from last year's it copies the map, the ratings and the vulnerabilities."""
    if from_assessment is not None:
        from_assessment = RiskAssessment.objects.for_org(org).get(pk=from_assessment.pk)
    with transaction.atomic():
        values: dict[str, Any] = {
            "title": title,
            "year": year,
            "started_from": from_assessment,
            "next_due": timezone.localdate() + review_interval(org),
        }
        if from_assessment is not None:
            values.update(
                participants=from_assessment.participants,
                method_note=from_assessment.method_note,
                high_from=from_assessment.high_from,
                medium_from=from_assessment.medium_from,
            )
        assessment = create_record(
            org=org, actor=actor, obj=RiskAssessment(organisation=org, **values)
        )
        if from_assessment is None:
            return assessment
        nodes = {}
        for node in Node.objects.for_org(org).filter(assessment=from_assessment):
            nodes[node.pk] = Node.objects.create(
                organisation=org,
                assessment=assessment,
                name=node.name,
                kind=node.kind,
                operator=node.operator,
                city=node.city,
                country=node.country,
            )
        old_legs = list(Leg.objects.for_org(org).filter(assessment=from_assessment))
        new_legs = Leg.objects.bulk_create(
            [
                Leg(
                    organisation=org,
                    assessment=assessment,
                    flow=leg.flow,
                    origin=nodes[leg.origin_id],
                    destination=nodes[leg.destination_id],
                    mode=leg.mode,
                    custodian=leg.custodian,
                    rests=leg.rests,
                    documents=leg.documents,
                )
                for leg in old_legs
            ]
        )
        legs = {old.pk: new for old, new in zip(old_legs, new_legs, strict=True)}
        LegThreat.objects.bulk_create(
            [
                LegThreat(
                    organisation=org,
                    assessment=assessment,
                    leg=legs[t.leg_id],
                    threat=t.threat,
                    level=t.level,
                )
                for t in LegThreat.objects.for_org(org).filter(assessment=from_assessment)
            ]
        )
        ThreatRating.objects.bulk_create(
            [
                ThreatRating(
                    organisation=org,
                    assessment=assessment,
                    country=t.country,
                    threat=t.threat,
                    level=t.level,
                    sources=t.sources,
                    rated_on=t.rated_on,
                )
                for t in ThreatRating.objects.for_org(org).filter(assessment=from_assessment)
            ]
        )
        Vulnerability.objects.bulk_create(
            [
                Vulnerability(
                    organisation=org,
                    assessment=assessment,
                    node=nodes[v.node_id],
                    category=v.category,
                    level=v.level,
                    suggested=v.suggested,
                    reason=v.reason,
                )
                for v in Vulnerability.objects.for_org(org).filter(assessment=from_assessment)
            ]
        )
    return assessment


def _flag_change(org: Organisation, actor: User, assessment: RiskAssessment, what: str) -> None:
    from safelane.risk.tasks import send_review_notice

    assessment = RiskAssessment.objects.for_org(org).get(pk=assessment.pk)
    if assessment.finalised_at is not None:
        first_change = not assessment.needs_review
        reason = (assessment.needs_review + "\n" if assessment.needs_review else "") + what
        update_record(
            org=org,
            actor=actor,
            obj=assessment,
            expected_version=None,
            values={"needs_review": reason},
        )
        if first_change:
            # One notice per documented assessment; later changes add to the same list.
            transaction.on_commit(lambda: send_review_notice.enqueue(org.pk, assessment.pk))


def add_node(
    *, org: Organisation, actor: User, assessment: RiskAssessment, values: dict[str, Any]
) -> Node:
    with transaction.atomic():
        node = create_record(
            org=org, actor=actor, obj=Node(organisation=org, assessment=assessment, **values)
        )
        # Its vulnerabilities start at the suggested levels (step 3 confirms or adjusts them).
        refresh_vulnerabilities(
            org=org,
            assessment=assessment,
            suggestions=selectors.suggested_levels(org, [node]),
            actor=actor,
        )
        _flag_change(org, actor, assessment, _("New point on the map: %(node)s") % {"node": node})
    return node


def _moved(before: Any, after: Any, fields: tuple[str, ...]) -> bool:
    """Whether a change touched what the map shows (and so what was assessed)."""
    return any(getattr(before, f) != getattr(after, f) for f in fields)


def update_node(
    *,
    org: Organisation,
    actor: User,
    node: Node,
    expected_version: int | None,
    values: dict[str, Any],
) -> Node:
    """Correct a point; on a documented assessment a new name, kind or country flags it."""
    with transaction.atomic():
        stored = Node.objects.for_org(org).get(pk=node.pk)
        before = str(stored)
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        if _moved(stored, updated, ("name", "kind", "country")):
            _flag_change(
                org,
                actor,
                updated.assessment,
                _("Point changed: %(before)s is now %(after)s")
                % {"before": before, "after": updated},
            )
    return updated


def _delete_legs(org: Organisation, actor: User, legs: Any) -> None:
    """Delete legs with their own threat ratings, each in the audit trail."""
    for leg in legs:
        for rating in LegThreat.objects.for_org(org).filter(leg=leg):
            delete_record(org=org, actor=actor, obj=rating)
        delete_record(org=org, actor=actor, obj=leg)


def delete_node(*, org: Organisation, actor: User, node: Node) -> None:
    """Remove a point with the legs that reach it and its ratings, all in the audit trail."""
    with transaction.atomic():
        node = Node.objects.for_org(org).select_related("assessment").get(pk=node.pk)
        _flag_change(
            org, actor, node.assessment, _("Point removed from the map: %(node)s") % {"node": node}
        )
        _delete_legs(
            org,
            actor,
            Leg.objects.for_org(org).filter(Q(origin=node) | Q(destination=node)),
        )
        for rating in Vulnerability.objects.for_org(org).filter(node=node):
            delete_record(org=org, actor=actor, obj=rating)
        delete_record(org=org, actor=actor, obj=node)


def _check_leg_ends(values: dict[str, Any], assessment_id: int) -> None:
    """A leg joins two different points of its own assessment's map."""
    origin, destination = values["origin"], values["destination"]
    if origin == destination:
        raise DomainError(_("A leg goes from one point to another."), field="destination")
    if {origin.assessment_id, destination.assessment_id} != {assessment_id}:
        raise DomainError(_("Choose points of this assessment's map."))


def add_leg(
    *, org: Organisation, actor: User, assessment: RiskAssessment, values: dict[str, Any]
) -> Leg:
    _check_leg_ends(values, assessment.pk)
    with transaction.atomic():
        leg = create_record(
            org=org, actor=actor, obj=Leg(organisation=org, assessment=assessment, **values)
        )
        _flag_change(org, actor, assessment, _("New leg: %(leg)s") % {"leg": leg})
    return leg


def update_leg(
    *,
    org: Organisation,
    actor: User,
    leg: Leg,
    expected_version: int | None,
    values: dict[str, Any],
) -> Leg:
    stored = Leg.objects.for_org(org).get(pk=leg.pk)
    _check_leg_ends(values, stored.assessment_id)
    with transaction.atomic():
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        if _moved(stored, updated, ("origin_id", "destination_id", "mode")):
            _flag_change(
                org, actor, updated.assessment, _("Leg changed: %(leg)s") % {"leg": updated}
            )
    return updated


def delete_leg(*, org: Organisation, actor: User, leg: Leg) -> None:
    with transaction.atomic():
        leg = Leg.objects.for_org(org).select_related("assessment").get(pk=leg.pk)
        _flag_change(org, actor, leg.assessment, _("Leg removed: %(leg)s") % {"leg": leg})
        _delete_legs(org, actor, [leg])


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


def save_threats(
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


def save_leg_threats(
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
        return create_record(org=org, actor=actor, obj=CountryThreat(organisation=org, **values))
    return update_record(
        org=org, actor=actor, obj=obj, expected_version=expected_version, values=values
    )


def delete_country_threat(*, org: Organisation, actor: User, obj: CountryThreat) -> None:
    """Remove a rating from the table; assessments keep the ratings they made."""
    delete_record(org=org, actor=actor, obj=obj)


def import_country_threats(*, org: Organisation, actor: User, content: bytes) -> int:
    """Load the threat table from CSV (country, threat, level, sources, assessed_on). All rows or none."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The file is not UTF-8 text.")) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"country", "threat", "level"} - set(reader.fieldnames or [])
    if missing:
        raise DomainError(
            _("Row 1: the columns %(cols)s are missing.") % {"cols": ", ".join(sorted(missing))}
        )
    codes = dict(countries)
    names = {str(name).lower(): code for code, name in countries}
    problems, rows = [], []
    for number, row in enumerate(reader, start=2):
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
        rows.append((country, threat, level, (row.get("sources") or "").strip(), assessed))
    if problems:
        raise DomainError("\n".join(str(p) for p in problems))
    with transaction.atomic():
        table = {(t.country.code, t.threat): t for t in CountryThreat.objects.for_org(org)}
        for country, threat, level, sources, assessed in rows:
            assert country is not None
            values = {"level": level, "sources": sources, "assessed_on": assessed}
            _keep_in_table(org, actor, table, (country, threat), values)
    return len(rows)


def refresh_vulnerabilities(
    *,
    org: Organisation,
    assessment: RiskAssessment,
    suggestions: dict[tuple[int, int], int],
    actor: User | None = None,
) -> None:
    """Create a rating for every point and MSC category that has none, at the suggested level,
    each in the audit trail."""
    have = set(
        Vulnerability.objects.for_org(org)
        .filter(assessment=assessment)
        .values_list("node_id", "category")
    )
    with transaction.atomic():
        for (node_id, category), level in suggestions.items():
            if (node_id, category) not in have:
                create_record(
                    org=org,
                    actor=actor,
                    obj=Vulnerability(
                        organisation=org,
                        assessment=assessment,
                        node_id=node_id,
                        category=category,
                        level=level,
                        suggested=level,
                    ),
                )


def save_vulnerabilities(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    changes: dict[int, tuple[int, str, int]],
) -> None:
    """`changes`: vulnerability id -> (level, reason, version seen; 0 if unknown). Moving away
    from the suggestion needs a reason; a row someone else changed meanwhile is refused."""
    with transaction.atomic():
        rows = {
            v.pk: v
            for v in Vulnerability.objects.for_org(org)
            .filter(assessment=assessment)
            .select_related("node")
            .select_for_update(of=("self",))
        }
        wanted = {
            pk: (level, reason.strip() if level != rows[pk].suggested else "", seen)
            for pk, (level, reason, seen) in changes.items()
            if pk in rows
        }
        stale = [
            f"{rows[pk].node.name} / {rows[pk].category}"
            for pk, (level, reason, seen) in wanted.items()
            if seen
            and rows[pk].version != seen
            and (rows[pk].level, rows[pk].reason) != (level, reason)
        ]
        if stale:
            raise DomainError(STALE % {"what": ", ".join(stale)})
        problems = [
            _("%(node)s, category %(cat)s: give the reason for changing the suggested level.")
            % {"node": rows[pk].node.name, "cat": rows[pk].category}
            for pk, (level, reason, _seen) in wanted.items()
            if level != rows[pk].suggested and not reason
        ]
        if problems:
            raise DomainError("\n".join(str(p) for p in problems))
        for pk, (level, reason, _seen) in wanted.items():
            if (rows[pk].level, rows[pk].reason) != (level, reason):
                update_record(
                    org=org,
                    actor=actor,
                    obj=rows[pk],
                    expected_version=None,
                    values={"level": level, "reason": reason},
                )


def action_from_risk(
    *,
    org: Organisation,
    actor: User,
    assessment: RiskAssessment,
    node: Node,
    category: int,
    category_name: str,
) -> tuple[Action, bool]:
    """The action that treats one risk: a new one, or (False) the one already planned."""
    planned = action_selectors.for_risks(org, [node.pk]).get((node.pk, category))
    if planned is not None:
        return planned, False
    action = action_services.create_action(
        org=org,
        actor=actor,
        values={
            "title": _("Reduce the %(category)s risk at %(node)s")
            % {"category": category_name, "node": node.name},
            "description": _("From the risk assessment %(title)s.") % {"title": assessment.title},
            "source": "risk",
            "risk_point": node,
            "risk_category": category,
            "priority": "high",
            "kind": "procedure",
        },
    )
    return action, True


def finalise(
    *, org: Organisation, actor: User, assessment: RiskAssessment, values: dict[str, Any]
) -> RiskAssessment:
    return update_record(
        org=org,
        actor=actor,
        obj=assessment,
        expected_version=None,
        values={**values, "finalised_at": timezone.now(), "needs_review": ""},
    )
