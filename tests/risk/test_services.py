"""The rules of the risk assessment, asked of the services directly."""

import datetime

import pytest
from django.core import mail

from safelane.assessments import services as assessments
from safelane.assessments.models import Response
from safelane.catalog import services as catalog
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.risk import selectors, services
from safelane.risk.models import CountryThreat, Level, ThreatRating, Vulnerability
from tests.risk.builders import ACME_LEADS, document, mapped, rate, scored


def test_a_leg_needs_two_points_of_the_same_map(cast):
    a, nodes = mapped(cast)
    with pytest.raises(DomainError, match="from one point to another"):
        services.add_leg(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            values={"flow": "x", "origin": nodes["la"], "destination": nodes["la"], "mode": "rail"},
        )


def test_a_viewer_cannot_change_the_map(cast):
    a, _nodes = mapped(cast)
    with pytest.raises(NotAllowedError):
        services.add_node(
            org=cast.acme,
            actor=cast.viewer,
            assessment=a,
            values={"name": "X", "kind": "port", "country": "US"},
        )


def test_threat_ratings_update_the_reusable_country_table(cast):
    a, _nodes = mapped(cast)
    rate(cast, a, {("MX", "contraband"): Level.HIGH})
    table = CountryThreat.objects.for_org(cast.acme).get()
    assert (table.country.code, table.threat, table.level) == ("MX", "contraband", Level.HIGH)
    assert table.sources == "State Dept. advisory, 2025-10"


def test_a_refused_leg_rating_saves_none_of_the_grid(cast):
    a, _nodes = mapped(cast)
    b, _other = mapped(cast, year=2026)
    foreign = selectors.legs(cast.acme, b)[0]
    with pytest.raises(DomainError):
        rate(cast, a, {("MX", "contraband"): Level.HIGH}, legs={(foreign.pk, "terrorism"): 3})
    assert not ThreatRating.objects.for_org(cast.acme).exists()


def test_the_country_table_imports_from_csv_all_or_nothing(cast):
    good = b"country,threat,level,sources,assessed_on\nMexico,contraband,High,OSAC 2025,2025-10-01\nCN,cyber,m,,2025-10-01\n"
    assert services.import_country_threats(org=cast.acme, actor=cast.owner, content=good) == 2
    bad = b"country,threat,level\nAtlantis,contraband,High\nMX,piracy,Low\nMX,cyber,severe\n"
    with pytest.raises(DomainError) as refused:
        services.import_country_threats(org=cast.acme, actor=cast.owner, content=bad)
    message = str(refused.value.message)
    assert "Row 2: 'Atlantis' is not a country." in message
    assert "Row 3: 'piracy' is not a threat" in message
    assert "Row 4: the level must be High, Medium or Low." in message
    assert CountryThreat.objects.for_org(cast.acme).count() == 2


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"country,threat,level,sources\nMX,cyber,High," + b"x" * 140_000 + b"\n", "longer than"),
        (b"country,threat,level,sources\nMX,cyber,High,bad\x0bsource\n", "control character"),
        (b"country,threat,level\nMX,cyber,High\n\xff\xfe", "not UTF-8"),
        (b"country,threat,level,assessed_on\nMX,cyber,High,9999-12-31\n", "between 2000 and today"),
        (b"nothing useful", "columns"),
    ],
)
def test_a_hostile_csv_is_refused_with_its_row(cast, content, problem):
    with pytest.raises(DomainError, match=problem):
        services.import_country_threats(org=cast.acme, actor=cast.owner, content=content)
    assert not CountryThreat.objects.for_org(cast.acme).exists()


def test_vulnerabilities_start_from_the_self_assessment_and_changes_need_a_reason(cast):
    catalog.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Self")
    Response.objects.for_org(cast.acme).filter(cycle=cycle, category=4).update(status="not-met")
    Response.objects.for_org(cast.acme).filter(cycle=cycle, category=6).update(status="met")
    a, nodes = mapped(cast)
    own = {v.category: v for v in Vulnerability.objects.for_org(cast.acme).filter(node=nodes["dc"])}
    assert own[4].level == Level.HIGH  # all cybersecurity answers are gaps
    assert own[6].level == Level.LOW  # all seal answers are met
    partner = Vulnerability.objects.for_org(cast.acme).get(node=nodes["supplier"], category=4)
    assert partner.level == Level.MEDIUM
    with pytest.raises(DomainError, match="give the reason"):
        services.save_vulnerabilities(
            org=cast.acme, actor=cast.owner, assessment=a, changes={own[6].pk: (Level.HIGH, "", 0)}
        )
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        changes={own[6].pk: (Level.HIGH, "New dock, no seal log yet", 0)},
    )
    own[6].refresh_from_db()
    assert (own[6].level, own[6].reason) == (Level.HIGH, "New dock, no seal log yet")


def test_a_reason_longer_than_its_field_is_refused(cast):
    a, nodes = scored(cast)
    v = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    with pytest.raises(DomainError, match="at most 300 characters"):
        services.save_vulnerabilities(
            org=cast.acme, actor=cast.owner, assessment=a, changes={v.pk: (Level.LOW, "x" * 301, 0)}
        )


def test_changing_a_documented_map_flags_it_for_review(cast):
    a, _nodes = mapped(cast)
    document(cast, a, participants="Olivia")
    services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        values={"name": "New warehouse", "kind": "warehouse", "country": "US"},
    )
    a.refresh_from_db()
    assert "New warehouse" in a.needs_review


def test_a_new_operator_of_a_point_flags_the_documented_map(cast):
    a, nodes = mapped(cast)
    document(cast, a)
    point = nodes["mx"]
    services.update_node(
        org=cast.acme,
        actor=cast.owner,
        node=point,
        expected_version=point.version,
        values={"operator": "Aceros del Norte"},
    )
    a.refresh_from_db()
    assert "Monterrey plant" in a.needs_review
    assert "run by: — → Aceros del Norte" in a.needs_review


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("custodian", "Transportes Rápidos", "custody: — → Transportes Rápidos"),
        ("flow", "Mexico to Joliet", "flow: Mexico to Chicago → Mexico to Joliet"),
        ("rests", "Laredo yard", "where cargo rests: — → Laredo yard"),
        ("documents", "Pedimento, BOL", "data and documents: — → Pedimento, BOL"),
    ],
)
def test_every_field_of_a_leg_the_report_prints_flags_the_documented_map(cast, field, value, said):
    a, _nodes = mapped(cast)
    document(cast, a)
    truck = next(x for x in selectors.legs(cast.acme, a) if x.mode == "truck")
    services.update_leg(
        org=cast.acme,
        actor=cast.owner,
        leg=truck,
        expected_version=truck.version,
        values={field: value},
    )
    a.refresh_from_db()
    assert said in a.needs_review


def test_owners_and_managers_hear_once_that_a_documented_map_changed(cast, committed):
    a, _nodes = mapped(cast)
    document(cast, a, participants="")
    mail.outbox.clear()
    for name in ("New warehouse", "Second warehouse"):
        with committed():
            services.add_node(
                org=cast.acme,
                actor=cast.manager,
                assessment=a,
                values={"name": name, "kind": "warehouse", "country": "US"},
            )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ACME_LEADS
    assert "New warehouse" in mail.outbox[0].body


def test_a_risk_becomes_one_action_however_often_it_is_asked(cast):
    _a, nodes = scored(cast)
    rating = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    action, created = services.action_from_risk(org=cast.acme, actor=cast.owner, rating=rating)
    again, created_again = services.action_from_risk(org=cast.acme, actor=cast.owner, rating=rating)
    assert (created, created_again, again) == (True, False, action)
    assert action.origin == rating
    assert action.source == "risk"


def test_documenting_is_refused_on_a_version_the_author_did_not_see(cast):
    a, _nodes = mapped(cast)
    seen = a.version
    document(cast, a, participants="Olivia")
    with pytest.raises(ConflictError):
        services.finalise(
            org=cast.acme,
            actor=cast.manager,
            assessment=a,
            expected_version=seen,
            values={
                "participants": "Someone else",
                "method_note": "",
                "next_due": datetime.date.today() + datetime.timedelta(days=30),
            },
        )
    a.refresh_from_db()
    assert a.participants == "Olivia"
