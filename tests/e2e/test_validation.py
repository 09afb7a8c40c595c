"""Staying certified in a browser: a manager plans a mock validation from the open
self-assessment, a finding on its checklist becomes an action that links back to it; an
incident is recorded with who reported it to CBP and when, and its post-incident analysis."""

import datetime

import pytest
from django.utils import timezone

from safelane.demo.data import load_demo
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mock_validation_finding_becomes_an_action_and_an_incident_is_analysed(page):
    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("nav.sidebar >> text=Validations")
    page.wait_for_url("**/validation/")
    assert "No validations yet." in page.content()

    page.click("text=Plan a mock validation")
    page.fill("input[name=share]", "10")
    page.fill("textarea[name=sites]", "Joliet warehouse")
    page.click("text=Draw the plan")
    page.wait_for_url("**/validation/*/")
    assert "Interview prompts" in page.content()
    assert "not CBP's questions" in page.content()

    first = page.locator("#checklist li.plan-item").first
    criterion = first.locator("strong").first.inner_text()
    first.locator("summary").click()
    first.locator("input[value=finding]").check()
    first.locator("textarea[name=note]").fill("No seal log kept at the Joliet dock.")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "No seal log kept" in page.locator("#findings").inner_text()

    page.locator("#findings a").first.click()
    page.wait_for_url("**/validation/findings/*/")
    page.click("text=Create an action")
    page.wait_for_url("**/actions/new/**")
    page.click("main button[type=submit]")
    page.wait_for_url("**/actions/*/")
    back = page.locator(f"a:has-text('Finding on {criterion}')")
    assert back.count() >= 1
    back.first.click()
    page.wait_for_url("**/validation/findings/*/")
    assert f"Answer the finding on {criterion}" in page.locator("#actions").inner_text()

    # An incident: found three hours ago, reported to CBP an hour later, then analysed.
    page.click("nav.sidebar >> text=Incidents")
    page.wait_for_url("**/incidents/")
    page.click("text=Record an incident")
    found = timezone.localtime() - datetime.timedelta(hours=3)
    page.select_option("select[name=kind]", "tampering")
    page.fill("input[name=title]", "Cut seal on trailer 4471")
    page.fill("input[name=discovered_at]", found.strftime("%Y-%m-%dT%H:%M"))
    page.click("text=Record the incident")
    page.wait_for_url("**/incidents/*/")
    reported = found + datetime.timedelta(hours=1)
    page.fill("input[name=reported_to_cbp_at]", reported.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=reported_by]", "Manuel Manager")
    page.click("text=Record the report")
    page.locator("#report >> text=Reported by").wait_for()
    assert "1\xa0hour after discovery" in page.locator("#report").inner_text()
    page.fill("textarea[name=what_happened]", "The seal was cut at the Laredo yard.")
    page.fill("textarea[name=root_cause]", "Trailers waited overnight outside the fence.")
    page.fill("textarea[name=changes]", "Loaded trailers wait inside the fenced yard.")
    page.click("text=Save the analysis")
    page.locator("#analysis >> text=Last saved").wait_for()
    assert "The analysis was saved." in page.content()
    page.goto("/o/acme-imports/incidents/")
    assert "1 incident of tampering in the last 12 months" in page.content()
