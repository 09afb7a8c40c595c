"""A large tenant in the browser: the evidence picker finds a document among hundreds as you
type and links it by keyboard; the board's columns show a page of cards and bring the next in
place. SCREENSHOTS=<dir> saves each screen at 1280 and 390 px wide."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from safelane.actions.models import Action, ActionStatus
from safelane.actions.selectors import BOARD_PAGE
from safelane.demo.data import ACME, load_demo
from safelane.evidence.models import Evidence
from safelane.orgs.models import Organisation
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS")


def shoot(page, name):
    if not SHOTS:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(600)  # the sidebar's slide settles
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=width == 390)
    page.set_viewport_size({"width": 1280, "height": 800})


def large_acme():
    load_demo()
    org = Organisation.objects.get(slug=ACME)
    Evidence.objects.bulk_create(
        Evidence(organisation=org, title=f"Gate log {n:03d}") for n in range(300)
    )
    Action.objects.bulk_create(
        Action(organisation=org, title=f"Fix finding {n:03d}", status=ActionStatus.OPEN)
        for n in range(BOARD_PAGE * 3)
    )
    return org


def test_the_picker_finds_and_links_a_document_among_hundreds_by_keyboard(page):
    large_acme()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/assessments/")
    page.click("text=Annual review 2026")
    page.click("#responses strong:text-is('4.8')")
    assert "Gate log" not in page.locator("#evidence").inner_text()
    page.focus("#attach-q")
    page.keyboard.type("gate log 012")
    results = page.locator("#attach-results .attach-row")
    expect(results).to_have_count(1)  # "Gate log 012" and nothing else
    assert "Gate log 012" in results.first.inner_text()
    shoot(page, "picker")
    page.keyboard.press("Tab")  # from the search box to the search button, then to Link
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(".messages", has_text="The evidence was linked.").wait_for()
    assert "Gate log 012" in page.locator("#evidence .links").inner_text()


def test_the_board_shows_a_page_of_each_column_and_brings_more_in_place(page):
    large_acme()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/actions/board/")
    column = page.locator(".board-column[aria-label='To do']")
    assert column.locator(".board-card").count() == BOARD_PAGE
    shoot(page, "board")
    column.locator(".board-more").click()
    expect(column.locator(".board-card")).to_have_count(2 * BOARD_PAGE)
    assert page.url.endswith("/actions/board/")  # in place, the address stays
    assert column.locator(".board-more").count() == 1
