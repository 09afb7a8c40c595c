"""What changed between an assessment and the one it was started from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from safelane.risk.models import Leg, Level, RiskAssessment, ThreatType
from safelane.risk.selectors.map import legs, nodes
from safelane.risk.selectors.threats import leg_threats, threats
from safelane.risk.selectors.vulnerabilities import category_names, vulnerabilities

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation


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


# What a point or a leg shows besides what names it (the name and country of a point, the ends
# and mode of a leg): a change to one of these is a change of the same point or leg.
POINT_DETAILS = ("kind", "operator", "city", "facility")
LEG_DETAILS = ("flow", "custodian", "rests", "documents")


def _field_text(obj: Any, name: str, blank: str) -> str:
    """A field of a point or leg as the page and the reports show it."""
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display is not None else getattr(obj, name)
    if name == "country":
        value = obj.country.name
    return str(value) if value not in (None, "") else blank


def changed_fields(
    before: Any, after: Any, fields: tuple[str, ...], blank: str = ""
) -> list[tuple[str, str, str]]:
    """Each of `fields` (model field names) that differs: (its label, before, after), as shown;
    an empty value reads as `blank`. One reading for the flag on a documented map and for next
    year's comparison."""
    out = []
    for name in fields:
        field = before._meta.get_field(name)
        if getattr(before, field.attname) != getattr(after, field.attname):
            out.append(
                (
                    str(field.verbose_name),
                    _field_text(before, name, blank),
                    _field_text(after, name, blank),
                )
            )
    return out


def _field_changes(
    kind: str, old: dict[str, Any], new: dict[str, Any], fields: tuple[str, ...]
) -> list[Difference]:
    return [
        Difference(kind, f"{key}, {label}", was, now)
        for key in sorted(old.keys() & new.keys())
        for label, was, now in changed_fields(old[key], new[key], fields)
    ]


def compare(org: Organisation, older: RiskAssessment, newer: RiskAssessment) -> list[Difference]:
    """Points and legs added or gone; threat and vulnerability ratings that moved."""
    out: list[Difference] = []
    old_points = {str(n): n for n in nodes(org, older)}
    new_points = {str(n): n for n in nodes(org, newer)}
    out += [Difference("point", n, n, "") for n in sorted(old_points.keys() - new_points.keys())]
    out += [Difference("point", n, "", n) for n in sorted(new_points.keys() - old_points.keys())]
    out += _field_changes("point", old_points, new_points, POINT_DETAILS)
    old_legs, new_legs = legs(org, older), legs(org, newer)
    old_by_key, new_by_key = {str(x): x for x in old_legs}, {str(x): x for x in new_legs}
    out += [Difference("leg", k, k, "") for k in sorted(old_by_key.keys() - new_by_key.keys())]
    out += [Difference("leg", k, "", k) for k in sorted(new_by_key.keys() - old_by_key.keys())]
    out += _field_changes("leg", old_by_key, new_by_key, LEG_DETAILS)

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
