"""The findings and incidents API: lists and details of the caller's organisation only."""

from __future__ import annotations

import datetime

from safelane.validation import services as validation_services
from tests.incidents.test_services import incident


def test_the_incident_api_gives_the_report_time_and_the_analysis(cast, as_user):
    found = incident(cast, title="Cut seal")
    client = as_user(cast.viewer)
    body = client.get(f"/api/v1/orgs/{cast.acme.slug}/incidents/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["title"], r["kind"], r["hours_to_report"]) for r in rows] == [
        ("Cut seal", "tampering", None)
    ]
    detail = client.get(f"/api/v1/orgs/{cast.acme.slug}/incidents/{found.pk}/")
    assert detail.status_code == 200
    assert (
        as_user(cast.outsider).get(f"/api/v1/orgs/{cast.acme.slug}/incidents/").status_code == 404
    )


def test_the_finding_api_lists_findings_with_their_validation(cast, as_user):
    validation = validation_services.record_cbp_validation(
        org=cast.acme, actor=cast.manager, values={"title": "CBP 2026"}
    )
    validation_services.add_finding(
        org=cast.acme,
        actor=cast.manager,
        validation=validation,
        values={"criterion_ident": "6.1", "text": "x", "response_due": datetime.date(2026, 12, 1)},
    )
    body = as_user(cast.viewer).get(f"/api/v1/orgs/{cast.acme.slug}/findings/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["criterion_ident"], r["validation_kind"], r["response_due"]) for r in rows] == [
        ("6.1", "cbp", "2026-12-01")
    ]
