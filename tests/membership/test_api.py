"""GET/PATCH /api/v1/orgs/<org>/membership/."""

from __future__ import annotations

import datetime

from django.urls import reverse

from safelane.membership import services

D = datetime.date


def url(cast):
    return reverse("api:membership", args=[cast.acme.slug])


def test_an_empty_membership_reads_with_every_clock_null(cast, as_user):
    body = as_user(cast.viewer).get(url(cast)).json()
    assert body["status"] == "not-applied"
    assert body["version"] == 0
    assert body["clocks"] == {
        "certification_decision_due": None,
        "first_validation_due": None,
        "annual_review_window_opens": None,
        "annual_review_due": None,
        "revalidation_due": None,
        "suspension_response_due": None,
        "appeal_due": None,
        "appeal_decision_due": None,
    }


def test_a_manager_patches_the_dates_and_reads_the_clocks(cast, as_user):
    client = as_user(cast.manager)
    response = client.patch(
        url(cast),
        {
            "status": "validated",
            "tier": "2",
            "certified_on": "2024-02-29",
            "validated_on": "2025-02-10",
            "version": 0,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["certified_on"], body["validated_on"]) == (
        "validated",
        "2024-02-29",
        "2025-02-10",
    )
    assert body["clocks"]["revalidation_due"] == "2029-02-10"
    assert body["clocks"]["first_validation_due"] is None
    assert body["clocks"]["annual_review_due"].endswith(("-02-28", "-02-29"))


def test_a_stale_patch_answers_409_with_the_current_record(cast, as_user):
    record = services.save_membership(
        org=cast.acme, actor=cast.owner, values={"account_number": "A-1"}, expected_version=None
    )
    services.save_membership(
        org=cast.acme,
        actor=cast.owner,
        values={"account_number": "A-2"},
        expected_version=record.version,
    )
    response = as_user(cast.manager).patch(
        url(cast),
        {"account_number": "B", "version": record.version},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_a_patch_without_the_version_is_refused(cast, as_user):
    response = as_user(cast.manager).patch(
        url(cast), {"account_number": "B"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_a_broken_rule_answers_400_naming_it(cast, as_user):
    response = as_user(cast.manager).patch(
        url(cast),
        {"status": "certified", "tier": "1", "version": 0},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "certified on" in str(response.json()).lower()


def test_the_clocks_are_read_only(cast, as_user):
    response = as_user(cast.manager).patch(
        url(cast),
        {"clocks": {"annual_review_due": "2030-01-01"}, "account_number": "Z", "version": 0},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["clocks"]["annual_review_due"] is None


def test_a_contributor_may_read_but_not_patch(cast, as_user):
    client = as_user(cast.contributor)
    assert client.get(url(cast)).status_code == 200
    response = client.patch(url(cast), {"version": 0}, content_type="application/json")
    assert response.status_code == 403


def test_a_new_status_brings_its_tier_when_none_is_sent(cast, as_user):
    client = as_user(cast.manager)
    body = client.patch(
        url(cast),
        {"status": "certified", "certified_on": "2025-03-01", "version": 0},
        content_type="application/json",
    ).json()
    assert body["tier"] == "1"
    body = client.patch(
        url(cast),
        {"status": "validated", "validated_on": "2026-01-10", "version": body["version"]},
        content_type="application/json",
    ).json()
    assert (body["status"], body["tier"]) == ("validated", "2")
    assert body["clocks"]["revalidation_due"] == "2030-01-10"
