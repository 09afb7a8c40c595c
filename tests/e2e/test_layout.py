"""Pages keep their shape in a real browser, in English and Spanish, at 1280 and on a phone:
long text wraps, the risk grids show every column, charts draw and buttons fit their cards."""

import pytest

from safelane.accounts.models import User
from safelane.actions import services as action_services
from safelane.actions.models import Action
from safelane.assessments import services as assessment_services
from safelane.assessments.models import AssessmentCycle, Response
from safelane.demo.data import load_demo
from safelane.orgs.models import Organisation
from safelane.risk.models import RiskAssessment
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDER_THAN_THE_WINDOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def open_as_manager(browser, live_server, width, language="en"):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    if language != "en":
        page.select_option("#language", language)
        page.click("footer.site button[type=submit]")
        page.wait_for_load_state()
    return context, page


def acme():
    return Organisation.objects.get(slug="acme-imports")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_title_and_a_long_comment_wrap_instead_of_widening_the_page(
    browser, live_server, width
):
    load_demo()
    org = acme()
    manager = User.objects.get(email="manuel@acme.example")
    action = Action.objects.for_org(org).first()
    action_services.update_action(
        org=org,
        actor=manager,
        action=action,
        values={"title": "A" * 200},
        expected_version=action.version,
    )
    cycle = AssessmentCycle.objects.for_org(org).filter(closed_at__isnull=True).first()
    answer = Response.objects.for_org(org).filter(cycle=cycle).first()
    assessment_services.add_comment(org=org, actor=manager, response=answer, text="B" * 5000)
    context, page = open_as_manager(browser, live_server, width)
    for url in (
        f"/o/acme-imports/actions/{action.pk}/",
        "/o/acme-imports/actions/",
        "/o/acme-imports/actions/board/",
        f"/o/acme-imports/assessments/responses/{answer.pk}/",
    ):
        page.goto(url)
        assert not page.evaluate(WIDER_THAN_THE_WINDOW), url
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_risk_grids_show_every_column_at_1280_and_scroll_in_their_card_on_a_phone(
    browser, live_server, language
):
    load_demo()
    url = f"/o/acme-imports/risk/{RiskAssessment.objects.for_org(acme()).first().pk}/"
    grids = "#threats .table-wrap, #vulnerabilities .table-wrap"
    scrolling = f"[...document.querySelectorAll('{grids}')].map(w => w.scrollWidth > w.clientWidth)"
    context, page = open_as_manager(browser, live_server, 1280, language)
    page.goto(url)
    assert page.evaluate(scrolling) == [False, False, False]
    context.close()

    context, page = open_as_manager(browser, live_server, 390, language)
    page.goto(url)
    assert page.evaluate(scrolling) == [True, True, True]
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)
    # The country stays in view while the ratings scroll under it.
    wrap = page.locator("#threats .table-wrap").first
    country = page.locator("#threats tbody tr td:first-child").first
    before = country.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 300; }")
    assert country.bounding_box()["x"] == before
    context.close()


def test_spanish_pages_draw_their_charts_and_keep_their_buttons_in_their_cards(
    browser, live_server
):
    load_demo()
    context, page = open_as_manager(browser, live_server, 1280, "es")
    cycle = AssessmentCycle.objects.for_org(acme()).filter(closed_at__isnull=True).first()
    bars = (
        "[...document.querySelectorAll('main svg rect')].filter(r => r.getBBox().width > 20).length"
    )
    for url in ("/o/acme-imports/actions/budget/", f"/o/acme-imports/assessments/{cycle.pk}/"):
        page.goto(url)
        assert page.evaluate(bars) > 3, url  # the bars, not only the legend's squares
    page.goto("/o/acme-imports/actions/budget/")
    # The table beside the chart shows its "Real" column whole.
    assert not page.evaluate(
        "[...document.querySelectorAll('main .table-wrap')].some(w => w.scrollWidth > w.clientWidth)"
    )
    page.goto(f"/o/acme-imports/actions/{Action.objects.for_org(acme()).first().pk}/")
    button = page.locator("form.inline-form button[type=submit]").first
    assert button.bounding_box()["height"] < 36  # one line
    context.close()

    context, page = open_as_manager(browser, live_server, 390, "es")
    page.goto(f"/o/acme-imports/assessments/{cycle.pk}/")
    compare = page.locator("form.inline-form", has=page.locator("select[name=with]"))
    card = page.locator(".card", has=compare)
    assert compare.bounding_box()["x"] + compare.bounding_box()["width"] <= (
        card.bounding_box()["x"] + card.bounding_box()["width"]
    )
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)
    context.close()
