"""The membership journey in a browser: the demo company, certified on 29 February 2024, sees its
clocks with real dates and the annual review window open; a manager records a revalidation and
the revalidation clock moves, and affirms the annual review."""

import datetime

import pytest

from safelane.demo.data import load_demo
from safelane.membership import clocks
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = "/o/acme-imports/membership/"


def test_a_manager_reads_the_clocks_and_records_a_revalidation(page):
    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("text=Membership and deadlines")
    page.wait_for_url(f"**{PAGE}")
    assert page.get_by_test_id("membership-status").inner_text() == "Validated"
    today = datetime.date.today()
    anniversary = clocks.next_anniversary(datetime.date(2024, 2, 29), today)
    due = page.locator("[data-clock=annual_review_due]").inner_text()
    assert anniversary.strftime("%b") in due
    assert str(anniversary.year) in due
    assert "28 February in a year without 29 February" in due
    revalidation = page.locator("[data-clock=revalidation_due]")
    assert "Feb. 10, 2029" in revalidation.inner_text()

    page.select_option("select[name=status]", "validated")
    page.fill("input[name=on]", today.isoformat())
    page.click("text=Record status")
    page.wait_for_selector("text=Recorded: Validated.")
    four_years = clocks.add_years(today, 4)
    assert str(four_years.year) in page.locator("[data-clock=revalidation_due]").inner_text()
    history = page.locator("#history").inner_text()
    assert history.count("Validated") == 2

    if clocks.in_window(datetime.date(2024, 2, 29), today):
        assert "review window is open" in page.get_by_test_id("window-open").inner_text()
    page.fill("textarea[name=note]", "No change in sites or partners.")
    page.click("text=Affirm the annual review")
    page.wait_for_selector("#reviews >> text=Affirmed by")
    assert "No change in sites or partners." in page.locator("#reviews").inner_text()
