"""Step 1: the points where cargo is made, handled or rests, and the legs between them. On a
documented assessment, a change to what was assessed flags it for review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.records import create_record, delete_record, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.partners import selectors as partner_selectors
from safelane.risk import selectors
from safelane.risk.models import Leg, LegThreat, Node, NodeKind, RiskAssessment, Vulnerability
from safelane.risk.services.documenting import flag_change, locked
from safelane.risk.services.vulnerabilities import refresh_vulnerabilities

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation


# What a partner's type makes of a point, when the point is one of its facilities.
PARTNER_KINDS = {
    "supplier": NodeKind.SUPPLIER,
    "consolidator": NodeKind.CONSOLIDATOR,
    "highway_carrier": NodeKind.CARRIER,
    "sea_carrier": NodeKind.CARRIER,
    "air_carrier": NodeKind.CARRIER,
    "rail_carrier": NodeKind.CARRIER,
    "customs_broker": NodeKind.BROKER,
    "3pl": NodeKind.WAREHOUSE,
    "warehouse": NodeKind.WAREHOUSE,
    "terminal": NodeKind.PORT,
}


def _with_facility(
    org: Organisation, values: dict[str, Any], *, new: bool = False
) -> dict[str, Any]:
    """A point that is a partner's facility takes what it leaves empty from the facility: its
    name, the partner as who runs it, the city and the country. A change gives only the fields
    it changes; a new point needs a name and a country, its own or the facility's."""
    facility = values.get("facility")
    values = dict(values)
    if facility is not None:
        if not partner_selectors.map_facilities(org).filter(pk=facility.pk).exists():
            raise DomainError(_("Choose one of your live partners' facilities."), field="facility")
        defaults = {
            "name": facility.name,
            "operator": facility.partner.name,
            "city": facility.city,
            "country": facility.country,
            "kind": PARTNER_KINDS.get(facility.partner.kind, ""),
        }
        for name, value in defaults.items():
            if not values.get(name) and value:
                values[name] = value
    if (new or "name" in values) and not values.get("name"):
        raise DomainError(_("Give the point a name, or choose a partner's facility."), field="name")
    if (new or "country" in values) and not values.get("country"):
        raise DomainError(
            _("Give the point's country, or choose a partner's facility."), field="country"
        )
    return values


def add_node(
    *, org: Organisation, actor: User, assessment: RiskAssessment, values: dict[str, Any]
) -> Node:
    require_role(org, actor, Role.CONTRIBUTOR)
    values = _with_facility(org, values, new=True)
    with transaction.atomic():
        assessment = locked(org, assessment)
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
        flag_change(org, actor, assessment, _("New point on the map: %(node)s") % {"node": node})
    return node


# Every field of a point and a leg that the page and the reports show: a change to any of them
# on a documented assessment changes what was assessed.
NODE_FIELDS = ("name", "kind", "operator", "city", "country", "facility")
LEG_FIELDS = ("flow", "origin", "destination", "mode", "custodian", "rests", "documents")


def _moved(before: Any, after: Any, fields: tuple[str, ...]) -> list[str]:
    """What a change did to what the map and the reports show, field by field
    ("run by: — → Aceros del Norte"); empty when nothing shown changed."""
    return [
        f"{label}: {was} → {now}"
        for label, was, now in selectors.changed_fields(before, after, fields, blank="—")
    ]


def update_node(
    *,
    org: Organisation,
    actor: User,
    node: Node,
    expected_version: int | None,
    values: dict[str, Any],
) -> Node:
    """Correct a point; on a documented assessment a new name, kind, operator or country flags
    it for review."""
    require_role(org, actor, Role.CONTRIBUTOR)
    values = _with_facility(org, values)
    with transaction.atomic():
        stored = Node.objects.for_org(org).get(pk=node.pk)
        before = str(stored)
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        moved = _moved(stored, updated, NODE_FIELDS)
        if moved:
            flag_change(
                org,
                actor,
                updated.assessment,
                _("Point changed: %(before)s is now %(after)s (%(what)s)")
                % {"before": before, "after": updated, "what": "; ".join(moved)},
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
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        node = Node.objects.for_org(org).select_related("assessment").get(pk=node.pk)
        flag_change(
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
    require_role(org, actor, Role.CONTRIBUTOR)
    _check_leg_ends(values, assessment.pk)
    with transaction.atomic():
        assessment = locked(org, assessment)
        leg = create_record(
            org=org, actor=actor, obj=Leg(organisation=org, assessment=assessment, **values)
        )
        flag_change(org, actor, assessment, _("New leg: %(leg)s") % {"leg": leg})
    return leg


def update_leg(
    *,
    org: Organisation,
    actor: User,
    leg: Leg,
    expected_version: int | None,
    values: dict[str, Any],
) -> Leg:
    require_role(org, actor, Role.CONTRIBUTOR)
    stored = Leg.objects.for_org(org).select_related("origin", "destination").get(pk=leg.pk)
    # A change that leaves an end as it was (a script's partial update) checks the stored one.
    ends = {"origin": stored.origin, "destination": stored.destination, **values}
    _check_leg_ends(ends, stored.assessment_id)
    with transaction.atomic():
        updated = update_record(
            org=org, actor=actor, obj=stored, expected_version=expected_version, values=values
        )
        moved = _moved(stored, updated, LEG_FIELDS)
        if moved:
            flag_change(
                org,
                actor,
                updated.assessment,
                _("Leg changed: %(leg)s (%(what)s)") % {"leg": updated, "what": "; ".join(moved)},
            )
    return updated


def delete_leg(*, org: Organisation, actor: User, leg: Leg) -> None:
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        leg = Leg.objects.for_org(org).select_related("assessment").get(pk=leg.pk)
        flag_change(org, actor, leg.assessment, _("Leg removed: %(leg)s") % {"leg": leg})
        _delete_legs(org, actor, [leg])
