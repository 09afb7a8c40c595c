"""The membership page and its doors."""

from __future__ import annotations

import datetime

from django.urls import reverse

from safelane.membership import selectors, services

D = datetime.date


def url(cast, name="page"):
    return reverse(f"membership:{name}", args=[cast.acme.slug])


def test_the_page_says_nothing_is_recorded_yet(cast, as_user):
    page = as_user(cast.viewer).get(url(cast)).content.decode()
    assert "Not applied yet" in page
    assert "Nothing is recorded yet" in page
    assert "Record status" not in page  # a viewer reads only


def test_a_manager_records_the_application_and_sees_its_clock(cast, as_user):
    client = as_user(cast.manager)
    response = client.post(
        url(cast, "status"), {"status": "applicant", "on": "2026-11-20", "reason": ""}
    )
    assert response.status_code == 302
    page = client.get(url(cast)).content.decode()
    assert "Applicant" in page
    assert "Feb. 18, 2027" in page  # 90 days after submission
    assert "within 90 days of its submission" in page


def test_a_refused_status_shows_the_reason_on_the_form(cast, as_user):
    response = as_user(cast.manager).post(
        url(cast, "status"), {"status": "suspended", "on": "2026-01-05"}
    )
    assert response.status_code == 400
    assert "Say why CBP suspended the company" in response.content.decode()


def test_a_stale_details_form_answers_409_with_both_versions(cast, as_user):
    record = services.save_membership(
        org=cast.acme, actor=cast.owner, values={"account_number": "A-1"}, expected_version=None
    )
    services.save_membership(
        org=cast.acme,
        actor=cast.owner,
        values={"account_number": "A-2"},
        expected_version=record.version,
    )
    response = as_user(cast.manager).post(
        url(cast, "details"), {"account_number": "B", "version": record.version}
    )
    assert response.status_code == 409
    assert "A-2" in response.content.decode()


def test_the_details_save_the_account_number_and_recognitions(cast, as_user):
    response = as_user(cast.manager).post(
        url(cast, "details"), {"account_number": "CT-77", "mra_programmes": ["ca-pip"]}
    )
    assert response.status_code == 302
    record = selectors.membership(cast.acme)
    assert (record.account_number, record.mra_programmes) == ("CT-77", ["ca-pip"])


def test_a_contributor_cannot_record_a_status(cast, as_user):
    response = as_user(cast.contributor).post(
        url(cast, "status"), {"status": "applicant", "on": "2026-01-05"}
    )
    assert response.status_code == 403


def test_the_open_window_is_said_with_its_days_left_and_affirmed(cast, as_user):
    today = datetime.date.today()
    services.change_status(
        org=cast.acme,
        actor=cast.owner,
        status="certified",
        on=today.replace(year=today.year - 1) + datetime.timedelta(days=30),
        expected_version=None,
    )
    client = as_user(cast.manager)
    page = client.get(url(cast)).content.decode()
    assert "review window is open" in page
    assert "30 days left" in page
    dashboard = client.get(reverse("orgs:dashboard", args=[cast.acme.slug])).content.decode()
    assert "The annual review window is open: 30 days left" in dashboard
    response = client.post(url(cast, "annual_review"), {"note": "No change"})
    assert response.status_code == 302
    assert "Counts" in client.get(url(cast)).content.decode()


def test_the_page_reads_in_as_many_queries_with_50_changes_as_with_2(cast, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(cast.owner)

    def count():
        client.get(url(cast))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(cast)).status_code == 200
        return len(queries)

    def changes(n):
        record = selectors.membership(cast.acme)
        for day in range(n):
            record = services.change_status(
                org=cast.acme,
                actor=cast.owner,
                status="validated",
                tier="2",
                on=D(2025, 1, 1) + datetime.timedelta(days=day),
                expected_version=record.version if record.pk else None,
            )
            services.affirm_annual_review(org=cast.acme, actor=cast.owner, today=D(2025, 6, 1))

    services.change_status(
        org=cast.acme,
        actor=cast.owner,
        status="certified",
        on=D(2024, 2, 29),
        expected_version=None,
    )
    changes(2)
    few = count()
    changes(48)
    assert count() == few
