"""Next year's assessment carries over every field of every row, by one rule."""

from django.db import models

from safelane.core.models import AuditEntry
from safelane.core.records import NOT_COPIED
from safelane.risk import selectors, services
from safelane.risk.models import Leg, LegThreat, Node, RiskAssessment, ThreatRating, Vulnerability
from tests.risk.builders import document, rate, scored


def filled(cast):
    """Last year's assessment with a value in every field a person can fill."""
    a, _nodes = scored(cast)
    truck = next(leg for leg in selectors.legs(cast.acme, a) if leg.mode == "truck")
    rate(cast, a, {("MX", "contraband"): 3}, legs={(truck.pk, "organised-crime"): 3})
    Node.objects.for_org(cast.acme).filter(assessment=a).update(operator="Partner SA", city="X")
    Leg.objects.for_org(cast.acme).filter(assessment=a).update(
        custodian="Carrier", rests="Yard", documents="BOL"
    )
    v = Vulnerability.objects.for_org(cast.acme).filter(assessment=a).first()
    services.save_vulnerabilities(
        org=cast.acme, actor=cast.owner, assessment=a, changes={v.pk: (3, "Reason", 0)}
    )
    document(cast, a, participants="Olivia")
    RiskAssessment.objects.for_org(cast.acme).filter(pk=a.pk).update(
        method_note="Two workshops", high_from=7, medium_from=4
    )
    a.refresh_from_db()
    return a


def comparable(obj, links):
    """Every field's value, with links to the old year's rows read through `links`."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in NOT_COPIED:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.ForeignKey) and field.related_model in links:
            value = links[field.related_model].get(value, value)
        values[field.name] = value
    return values


def test_every_field_of_every_copied_row_is_carried_over(cast):
    old = filled(cast)
    new = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=old
    )
    assessment_fields = comparable(new, {})
    expected = comparable(old, {})
    for name in services.OF_ITS_YEAR:
        assessment_fields.pop(name)
        expected.pop(name)
    assert assessment_fields == expected

    def by_key(model, assessment, key):
        rows = model.objects.for_org(cast.acme).filter(assessment=assessment)
        return {key(r): r for r in rows}

    node_key = lambda n: (n.name, n.country.code)  # noqa: E731
    old_nodes, new_nodes = by_key(Node, old, node_key), by_key(Node, new, node_key)
    node_map = {new_nodes[k].pk: old_nodes[k].pk for k in old_nodes}
    leg_key = lambda leg: (str(leg), leg.flow)  # noqa: E731
    old_legs, new_legs = by_key(Leg, old, leg_key), by_key(Leg, new, leg_key)
    leg_map = {new_legs[k].pk: old_legs[k].pk for k in old_legs}
    links = {RiskAssessment: {new.pk: old.pk}, Node: node_map, Leg: leg_map}
    for model in (Node, Leg, LegThreat, ThreatRating, Vulnerability):
        old_rows = model.objects.for_org(cast.acme).filter(assessment=old)
        new_rows = model.objects.for_org(cast.acme).filter(assessment=new)
        assert new_rows.count() == old_rows.count() > 0, model
        # Every field of every row, the new year's links read back to last year's rows.
        assert sorted(repr(comparable(r, links)) for r in new_rows) == sorted(
            repr(comparable(r, {})) for r in old_rows
        ), model


def test_the_copy_says_in_the_audit_trail_what_it_brought_along(cast):
    old = filled(cast)
    new = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=old
    )
    entry = AuditEntry.objects.for_org(cast.acme).for_object(new).get()
    assert entry.changes["copied from"] == [None, "Risk 2025"]
    assert entry.changes["points"] == [None, 4]
    assert entry.changes["vulnerability ratings"] == [None, 48]
    assert entry.changes["threats rated on legs"] == [None, 1]
