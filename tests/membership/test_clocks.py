"""The membership clocks, worked out from dates alone: every boundary a member lives by."""

from __future__ import annotations

import datetime

import pytest

from safelane.membership import clocks
from safelane.membership.clocks import Dates

D = datetime.date


def due(dates: Dates, today: datetime.date) -> dict[str, str | None]:
    return clocks.as_json(dates, today)


def certified(on: datetime.date, **more) -> Dates:
    return Dates(status=clocks.CERTIFIED, certified_on=on, **more)


def test_nothing_runs_before_the_application():
    assert set(due(Dates(), D(2026, 1, 1)).values()) == {None}


def test_the_json_holds_every_key_the_api_promises():
    assert list(due(Dates(), D(2026, 1, 1))) == list(clocks.KEYS)
    assert {
        "certification_decision_due",
        "first_validation_due",
        "annual_review_window_opens",
        "annual_review_due",
        "revalidation_due",
    } <= set(clocks.KEYS)


def test_the_decision_is_expected_90_days_after_submission_while_an_applicant():
    applicant = Dates(status=clocks.APPLICANT, submitted_on=D(2026, 1, 10))
    assert due(applicant, D(2026, 2, 1))["certification_decision_due"] == "2026-04-10"
    assert (
        due(certified(D(2026, 3, 1), submitted_on=D(2026, 1, 10)), D(2026, 3, 2))[
            "certification_decision_due"
        ]
        is None
    )


def test_the_first_validation_is_due_a_year_after_certification_until_validated():
    assert due(certified(D(2025, 6, 15)), D(2025, 7, 1))["first_validation_due"] == "2026-06-15"
    validated = Dates(
        status=clocks.VALIDATED, certified_on=D(2025, 6, 15), validated_on=D(2026, 3, 1)
    )
    assert due(validated, D(2026, 4, 1))["first_validation_due"] is None


@pytest.mark.parametrize(
    ("today", "opens", "anniversary", "open_now"),
    [
        # Certified 15 June 2025: the 2026 window opens 17 March 2026 (90 days before).
        (D(2026, 3, 16), "2026-03-17", "2026-06-15", False),  # the day before it opens
        (D(2026, 3, 17), "2026-03-17", "2026-06-15", True),  # the day it opens
        (D(2026, 3, 18), "2026-03-17", "2026-06-15", True),  # the day after
        (D(2026, 6, 14), "2026-03-17", "2026-06-15", True),  # the day before the anniversary
        (D(2026, 6, 15), "2026-03-17", "2026-06-15", True),  # the anniversary: due today
        (D(2026, 6, 16), "2027-03-17", "2027-06-15", False),  # the day after: next year's
    ],
)
def test_the_annual_review_window_opens_90_days_before_the_anniversary(
    today, opens, anniversary, open_now
):
    dates = certified(D(2025, 6, 15))
    found = due(dates, today)
    assert found["annual_review_window_opens"] == opens
    assert found["annual_review_due"] == anniversary
    assert (clocks.window(dates, today) is not None) is open_now
    assert clocks.in_window(D(2025, 6, 15), today) is open_now


def test_the_certification_day_itself_is_no_anniversary():
    assert due(certified(D(2026, 5, 1)), D(2026, 5, 1))["annual_review_due"] == "2027-05-01"


@pytest.mark.parametrize(
    ("today", "anniversary", "opens"),
    [
        (D(2024, 3, 1), "2025-02-28", "2024-11-30"),  # certified 29 Feb 2024, a leap year
        (D(2025, 2, 28), "2025-02-28", "2024-11-30"),  # due today, on 28 February
        (D(2025, 3, 1), "2026-02-28", "2025-11-30"),
        (D(2027, 3, 1), "2028-02-29", "2027-12-01"),  # a leap year again: 29 February
        (D(2028, 2, 29), "2028-02-29", "2027-12-01"),
        (D(2028, 3, 1), "2029-02-28", "2028-11-30"),
    ],
)
def test_a_29_february_anniversary_falls_on_28_february_in_other_years(today, anniversary, opens):
    found = due(certified(D(2024, 2, 29)), today)
    assert found["annual_review_due"] == anniversary
    assert found["annual_review_window_opens"] == opens


def test_a_window_before_a_29_february_anniversary_opens_90_days_before_it():
    # 2028 is a leap year: 29 Feb 2028 - 90 days is 1 Dec 2027; 30 Nov 2027 is outside.
    assert not clocks.in_window(D(2024, 2, 29), D(2027, 11, 30))
    assert clocks.in_window(D(2024, 2, 29), D(2027, 12, 1))


def test_the_first_validation_after_a_29_february_certification_falls_on_28_february():
    assert due(certified(D(2024, 2, 29)), D(2024, 3, 1))["first_validation_due"] == "2025-02-28"


@pytest.mark.parametrize(
    ("validated_on", "revalidation"),
    [
        (D(2025, 2, 10), "2029-02-10"),
        (D(2024, 2, 29), "2028-02-29"),  # 4 years after 29 Feb: a leap year again
        (D(2096, 2, 29), "2100-02-28"),  # 2100 is no leap year
    ],
)
def test_revalidation_is_due_4_years_after_the_last_validation(validated_on, revalidation):
    dates = Dates(status=clocks.VALIDATED, certified_on=D(2023, 1, 5), validated_on=validated_on)
    assert due(dates, validated_on)["revalidation_due"] == revalidation


def test_a_suspension_runs_its_answer_and_appeal_clocks():
    dates = Dates(
        status=clocks.SUSPENDED,
        certified_on=D(2024, 5, 1),
        suspended_on=D(2026, 1, 10),
        suspension_response_due=D(2026, 4, 10),
        appeal_basis="false-information",
    )
    found = due(dates, D(2026, 1, 11))
    assert found["suspension_response_due"] == "2026-04-10"
    assert found["appeal_due"] == "2026-02-09"  # 30 days
    assert found["annual_review_due"] == "2026-05-01"  # still a partner's duty


def test_a_denial_of_benefits_leaves_90_days_to_appeal():
    dates = Dates(
        status=clocks.SUSPENDED,
        suspended_on=D(2026, 1, 10),
        suspension_response_due=D(2026, 4, 10),
        appeal_basis="benefits-denied",
    )
    assert due(dates, D(2026, 1, 11))["appeal_due"] == "2026-04-10"


def test_a_pending_appeal_is_decided_within_180_days_and_stops_the_other_clocks():
    dates = Dates(
        status=clocks.APPEAL_PENDING,
        certified_on=D(2024, 5, 1),
        validated_on=D(2025, 1, 1),
        appeal_filed_on=D(2026, 2, 1),
    )
    found = due(dates, D(2026, 2, 2))
    assert found["appeal_decision_due"] == "2026-07-31"
    assert found["annual_review_due"] is None
    assert found["revalidation_due"] is None


@pytest.mark.parametrize("status", [clocks.REMOVED, clocks.WITHDRAWN])
def test_a_company_no_longer_a_partner_has_no_program_clocks(status):
    dates = Dates(status=status, certified_on=D(2024, 5, 1), validated_on=D(2025, 1, 1))
    found = due(dates, D(2026, 2, 2))
    assert found["annual_review_due"] is None
    assert found["revalidation_due"] is None


def test_what_is_due_next_is_the_nearest_running_clock():
    dates = Dates(status=clocks.CERTIFIED, certified_on=D(2025, 6, 15))
    nearest = clocks.next_due(dates, D(2026, 1, 1))
    assert nearest is not None
    # The first validation and the first review share the date; the road's order decides.
    assert (nearest.key, nearest.due) == ("first_validation_due", D(2026, 6, 15))
    assert str(nearest.rule).startswith("CBP validates")


def test_a_clock_within_30_days_warns_and_an_overdue_one_is_bad():
    dates = Dates(status=clocks.CERTIFIED, certified_on=D(2025, 6, 15))
    first = {c.key: c for c in clocks.clocks(dates, D(2026, 5, 20))}["first_validation_due"]
    assert (first.days_left, first.tone) == (26, "warn")
    late = {c.key: c for c in clocks.clocks(dates, D(2026, 6, 20))}["first_validation_due"]
    assert (late.days_overdue, late.tone) == (5, "bad")


def test_every_clock_says_its_rule_and_why_it_does_not_run():
    for clock in clocks.clocks(Dates(), D(2026, 1, 1)):
        assert str(clock.rule)
        assert str(clock.idle)
