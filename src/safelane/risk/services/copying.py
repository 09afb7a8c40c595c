"""Next year's assessment from this year's: the map, the ratings and the vulnerabilities carried
over by one rule (every field, but the copy's own identity and what belongs to the new year),
so that a field added later is carried too without anyone remembering to."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safelane.catalog import selectors as catalog
from safelane.core.records import copied, create_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.risk.models import Leg, LegThreat, Node, RiskAssessment, ThreatRating, Vulnerability

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

# What belongs to the year of an assessment and so starts afresh in the next one.
OF_ITS_YEAR = frozenset(
    {"title", "year", "started_from", "next_due", "finalised_at", "needs_review"}
)


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
    """A new assessment; from last year's it copies the map, the ratings and the vulnerabilities,
    and says so in its audit entry."""
    require_role(org, actor, Role.CONTRIBUTOR)
    fresh = {
        "organisation": org,
        "title": title,
        "year": year,
        "started_from": from_assessment,
        "next_due": timezone.localdate() + review_interval(org),
    }
    if from_assessment is None:
        return create_record(org=org, actor=actor, obj=RiskAssessment(**fresh))
    old = RiskAssessment.objects.for_org(org).get(pk=from_assessment.pk)
    fresh["started_from"] = old
    with transaction.atomic():
        assessment = copied(old, keep_out=OF_ITS_YEAR, **fresh)
        rows = _copy_contents(org, old, assessment)
        create_record(
            org=org,
            actor=actor,
            obj=assessment,
            also={"copied from": str(old), **{str(label): count for label, count in rows}},
        )
        _save_contents(org, old, assessment)
    return assessment


def _copy_contents(
    org: Organisation, old: RiskAssessment, new: RiskAssessment
) -> list[tuple[str, int]]:
    """How many rows of each kind the copy brings along (for its audit entry)."""
    counts = (
        (_("points"), Node),
        (_("legs"), Leg),
        (_("threats rated on legs"), LegThreat),
        (_("threat ratings"), ThreatRating),
        (_("vulnerability ratings"), Vulnerability),
    )
    return [
        (label, model.objects.for_org(org).filter(assessment=old).count())
        for label, model in counts
    ]


def _save_contents(org: Organisation, old: RiskAssessment, new: RiskAssessment) -> None:
    """Copy the map and its ratings to `new` (saved), with their links to each other."""
    old_nodes = list(Node.objects.for_org(org).filter(assessment=old))
    nodes = dict(
        zip(
            (n.pk for n in old_nodes),
            Node.objects.bulk_create([copied(n, assessment=new) for n in old_nodes]),
            strict=True,
        )
    )
    old_legs = list(Leg.objects.for_org(org).filter(assessment=old))
    legs = dict(
        zip(
            (leg.pk for leg in old_legs),
            Leg.objects.bulk_create(
                [
                    copied(
                        leg,
                        assessment=new,
                        origin=nodes[leg.origin_id],
                        destination=nodes[leg.destination_id],
                    )
                    for leg in old_legs
                ]
            ),
            strict=True,
        )
    )
    LegThreat.objects.bulk_create(
        copied(t, assessment=new, leg=legs[t.leg_id])
        for t in LegThreat.objects.for_org(org).filter(assessment=old)
    )
    ThreatRating.objects.bulk_create(
        copied(t, assessment=new) for t in ThreatRating.objects.for_org(org).filter(assessment=old)
    )
    Vulnerability.objects.bulk_create(
        copied(v, assessment=new, node=nodes[v.node_id])
        for v in Vulnerability.objects.for_org(org).filter(assessment=old)
    )
