"""Recording an incident, its report to CBP, its analysis, its corrective actions and what it
suggests for the threat ratings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safelane.actions import services as action_services
from safelane.core.errors import DomainError, NotAllowedError
from safelane.incidents import selectors, services


def incident(cast, hours_ago=5, **values):
    values.setdefault("kind", "tampering")
    values.setdefault("title", "Broken seal at Laredo")
    values.setdefault("criterion_ident", "6.1")
    values["discovered_at"] = timezone.now() - datetime.timedelta(hours=hours_ago)
    return services.record_incident(org=cast.acme, actor=cast.contributor, values=values)


def test_an_incident_is_reported_and_says_how_long_after_discovery(cast):
    found = incident(cast, hours_ago=5)
    reported = services.record_report(
        org=cast.acme,
        actor=cast.contributor,
        incident=found,
        values={
            "reported_to_cbp_at": found.discovered_at + datetime.timedelta(hours=2),
            "reported_by": "Carla Contributor",
            "cbp_contact": "CTPAT SCSS",
        },
        expected_version=found.version,
    )
    assert reported.report_delay == 2


def test_a_report_cannot_come_before_the_discovery(cast):
    found = incident(cast)
    with pytest.raises(DomainError, match="after the discovery"):
        services.record_report(
            org=cast.acme,
            actor=cast.contributor,
            incident=found,
            values={
                "reported_to_cbp_at": found.discovered_at - datetime.timedelta(minutes=1),
                "reported_by": "Carla",
            },
            expected_version=found.version,
        )


def test_the_analysis_needs_all_three_parts(cast):
    found = incident(cast)
    with pytest.raises(DomainError, match="all three"):
        services.record_analysis(
            org=cast.acme,
            actor=cast.contributor,
            incident=found,
            values={"what_happened": "Seal cut", "root_cause": "", "changes": "Check seals"},
            expected_version=found.version,
        )
    done = services.record_analysis(
        org=cast.acme,
        actor=cast.contributor,
        incident=found,
        values={"what_happened": "Seal cut", "root_cause": "No VVTT", "changes": "Train VVTT"},
        expected_version=found.version,
    )
    assert done.analysed_at is not None


def test_viewers_cannot_record_incidents(cast):
    with pytest.raises(NotAllowedError):
        services.record_incident(
            org=cast.acme,
            actor=cast.viewer,
            values={"kind": "cyber", "title": "Phish", "discovered_at": timezone.now()},
        )


def test_a_corrective_action_comes_from_the_incident(cast):
    found = incident(cast)
    action = action_services.create_action(
        org=cast.acme, actor=cast.manager, values={"origin": found}
    )
    assert action.title == "Correct after: Broken seal at Laredo"
    assert selectors.incident_page(cast.acme, found).actions == [action]


def test_incidents_of_the_last_year_suggest_threat_ratings(cast):
    incident(cast)
    incident(cast, title="Second seal")
    incident(cast, hours_ago=24 * 400, title="Long ago")
    suggestions = selectors.threat_suggestions(cast.acme)
    assert [(s.threat, s.count) for s in suggestions] == [("contraband", 2)]
    assert str(suggestions[0].text) == "2 incidents of tampering in the last 12 months"


def test_the_risk_assessments_threat_step_suggests_from_incidents(cast):
    from django.urls import reverse

    from safelane.risk import services as risk_services
    from tests.conftest import client_for

    incident(cast)
    incident(cast, kind="stowaways", title="Person in a trailer")
    assessment = risk_services.start_assessment(
        org=cast.acme, actor=cast.manager, title="2026", year=2026
    )
    page = client_for(cast.viewer).get(reverse("risk:detail", args=[cast.acme.slug, assessment.pk]))
    hints = page.content.decode()
    assert "a suggestion: you decide the ratings" in hints
    assert "Contraband smuggling: 1 incident of tampering in the last 12 months" in hints
    assert "Human smuggling: 1 incident of stowaways in the last 12 months" in hints
