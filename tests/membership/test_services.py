"""The membership's rules, whichever door a change comes by."""

from __future__ import annotations

import datetime

import pytest

from safelane.catalog import services as catalog_services
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.membership import selectors, services
from safelane.membership.models import AnnualReview, Status, StatusChange

D = datetime.date


LEAP_DAY = D(2024, 2, 29)


def change(cast, *, version, **values):
    """A status recorded by the manager, as the page's form sends it."""
    return services.change_status(
        org=cast.acme, actor=cast.manager, expected_version=version, **values
    )


def certify(cast, on=LEAP_DAY):
    record = change(
        cast,
        status="applicant",
        on=D(2023, 12, 1),
        version=None,
    )
    return change(cast, status="certified", on=on, version=record.version)


def test_a_manager_records_the_road_and_each_status_goes_into_the_history(cast):
    record = certify(cast)
    assert (record.status, record.tier, record.certified_on) == ("certified", "1", D(2024, 2, 29))
    changes = list(StatusChange.objects.for_org(cast.acme))
    assert [(c.status, c.previous_status) for c in changes] == [
        ("certified", "applicant"),
        ("applicant", "not-applied"),
    ]
    assert changes[0].recorded_by == cast.manager


def test_every_change_is_audited(cast):
    record = certify(cast)
    entries = AuditEntry.objects.for_org(cast.acme).for_object(record)
    assert entries.count() == 2
    assert "certified_on" in entries.first().changes


@pytest.mark.parametrize("who", ["contributor", "viewer", "outsider"])
def test_only_managers_and_owners_record_the_membership(cast, who):
    with pytest.raises(NotAllowedError):
        services.save_membership(
            org=cast.acme,
            actor=getattr(cast, who),
            values={"account_number": "X"},
            expected_version=None,
        )


def test_a_stale_write_is_refused_with_the_stored_record(cast):
    record = certify(cast)
    services.save_membership(
        org=cast.acme,
        actor=cast.owner,
        values={"account_number": "A-1"},
        expected_version=record.version,
    )
    with pytest.raises(ConflictError) as refused:
        services.save_membership(
            org=cast.acme,
            actor=cast.manager,
            values={"account_number": "B-2"},
            expected_version=record.version,
        )
    assert refused.value.current.account_number == "A-1"


def test_a_write_without_the_version_is_refused_once_a_record_exists(cast):
    certify(cast)
    with pytest.raises(ConflictError):
        services.save_membership(
            org=cast.acme,
            actor=cast.manager,
            values={"account_number": "B"},
            expected_version=None,
        )


def test_a_status_needs_its_date(cast):
    with pytest.raises(DomainError) as refused:
        services.save_membership(
            org=cast.acme,
            actor=cast.manager,
            values={"status": "certified", "tier": "1"},
            expected_version=None,
        )
    assert refused.value.field == "certified_on"


def test_certification_before_the_application_is_refused(cast):
    record = change(
        cast,
        status="applicant",
        on=D(2024, 1, 10),
        version=None,
    )
    with pytest.raises(DomainError) as refused:
        change(
            cast,
            status="certified",
            on=D(2024, 1, 9),
            version=record.version,
        )
    assert refused.value.field == "certified_on"


def test_a_date_still_to_come_is_refused(cast):
    with pytest.raises(DomainError) as refused:
        change(
            cast,
            status="applicant",
            on=datetime.date.today() + datetime.timedelta(days=2),
            version=None,
        )
    assert refused.value.field == "submitted_on"


def test_tier_3_is_for_importers_and_exporters(cast):
    record = certify(cast)
    with pytest.raises(DomainError) as refused:
        change(
            cast,
            status="validated",
            on=D(2025, 1, 5),
            tier="3",
            version=record.version,
        )
    assert refused.value.field == "tier"
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    validated = change(
        cast,
        status="validated",
        on=D(2025, 1, 5),
        tier="3",
        version=record.version,
    )
    assert validated.tier == "3"


def test_a_revalidation_is_recorded_in_the_history_though_the_status_stays(cast):
    record = certify(cast)
    record = change(
        cast,
        status="validated",
        on=D(2025, 1, 5),
        version=record.version,
    )
    record = change(
        cast,
        status="validated",
        on=D(2026, 1, 5),
        version=record.version,
    )
    assert record.validated_on == D(2026, 1, 5)
    assert StatusChange.objects.for_org(cast.acme).filter(status="validated").count() == 2
    assert selectors.clocks_json(record)["revalidation_due"] == "2030-01-05"


def test_a_suspension_needs_its_reason_and_answers_in_90_days_by_default(cast):
    record = certify(cast)
    with pytest.raises(DomainError) as refused:
        change(
            cast,
            status="suspended",
            on=D(2025, 1, 5),
            version=record.version,
        )
    assert refused.value.field == "suspension_reason"
    suspended = change(
        cast,
        status="suspended",
        on=D(2025, 1, 5),
        reason="Failed validation",
        appeal_basis="false-information",
        version=record.version,
    )
    assert suspended.suspension_response_due == D(2025, 4, 5)
    assert StatusChange.objects.for_org(cast.acme).first().note == "Failed validation"


def test_mutual_recognitions_come_from_the_list(cast):
    record = services.save_membership(
        org=cast.acme,
        actor=cast.manager,
        values={"mra_programmes": ["ca-pip", "mx-oea"]},
        expected_version=None,
    )
    assert record.mra_programmes == ["ca-pip", "mx-oea"]
    assert selectors.mra_names(record) == ["Canada: Partners in Protection", "Mexico: NEEC/OEA"]
    with pytest.raises(DomainError):
        services.save_membership(
            org=cast.acme,
            actor=cast.manager,
            values={"mra_programmes": ["atlantis"]},
            expected_version=record.version,
        )


def test_the_annual_review_counts_inside_the_window_once_per_cycle(cast):
    certify(cast)
    review = services.affirm_annual_review(
        org=cast.acme, actor=cast.manager, note="No change", today=D(2025, 12, 1)
    )
    assert (review.cycle_due, review.counts, review.affirmed_by) == (
        D(2026, 2, 28),
        True,
        cast.manager,
    )
    with pytest.raises(DomainError):
        services.affirm_annual_review(org=cast.acme, actor=cast.owner, today=D(2026, 2, 28))


def test_an_affirmation_outside_the_window_is_kept_but_does_not_count(cast):
    certify(cast)
    review = services.affirm_annual_review(org=cast.acme, actor=cast.manager, today=D(2025, 11, 29))
    assert (review.cycle_due, review.counts) == (D(2026, 2, 28), False)
    assert AnnualReview.objects.for_org(cast.acme).count() == 1


def test_the_annual_review_is_for_certified_partners(cast):
    with pytest.raises(DomainError):
        services.affirm_annual_review(org=cast.acme, actor=cast.manager)


def test_the_demo_membership_is_loaded_once(cast):
    services.load_demo_membership(cast.acme, cast.owner)
    services.load_demo_membership(cast.acme, cast.owner)
    record = selectors.membership(cast.acme)
    assert (record.status, record.certified_on, record.account_number) == (
        Status.VALIDATED,
        D(2024, 2, 29),
        "CTPAT-100245",
    )
    assert StatusChange.objects.for_org(cast.acme).count() == 3
