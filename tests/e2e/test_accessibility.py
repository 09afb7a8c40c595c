"""The key pages pass axe-core (WCAG 2.1 AA) in English and Spanish, at 1280 px and on a 390 px
phone; the answer page and the actions board work by keyboard with the focus in sight; on a phone
the calendar shows every weekday and the risk grids say that they scroll.

Loading the demo is most of a test's time here, so there is one test per width, and each goes
through both languages in one signed-in browser."""

import pytest

from safelane.actions.models import Action
from safelane.assessments.models import AssessmentCycle, Response
from safelane.demo.data import DEMO_PASSWORD, load_demo
from safelane.orgs.models import Organisation
from safelane.partners.models import Partner
from safelane.questionnaires.models import QuestionnaireTemplate
from safelane.risk.models import RiskAssessment
from tests.e2e import a11y

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ORG = "/o/acme-imports"


def key_pages():
    """The pages a first hour goes through, by name, for the demo's Acme Imports."""
    org = Organisation.objects.get(slug="acme-imports")
    cycle = AssessmentCycle.objects.for_org(org).filter(closed_at__isnull=True).first()
    answer = Response.objects.for_org(org).filter(cycle=cycle).first()
    return {
        "dashboard": f"{ORG}/",
        "self-assessments": f"{ORG}/assessments/",
        "cycle": f"{ORG}/assessments/{cycle.pk}/",
        "answer": f"{ORG}/assessments/responses/{answer.pk}/",
        "evidence library": f"{ORG}/evidence/",
        "actions board": f"{ORG}/actions/board/",
        "action": f"{ORG}/actions/{Action.objects.for_org(org).first().pk}/",
        "actions calendar": f"{ORG}/actions/calendar/",
        "risk assessment": f"{ORG}/risk/{RiskAssessment.objects.for_org(org).first().pk}/",
        "partners": f"{ORG}/partners/",
        "partner": f"{ORG}/partners/{Partner.objects.for_org(org).first().pk}/",
        "catalog": f"{ORG}/catalog/",
        "eligibility": f"{ORG}/eligibility/",
        "questionnaire template": (
            f"{ORG}/questionnaires/templates/"
            f"{QuestionnaireTemplate.objects.for_org(org).first().pk}/"
        ),
        "audit log": f"{ORG}/audit/",
    }


def choose_language(page, language):
    page.select_option("#language", language)
    with page.expect_navigation():
        page.click("footer.site button[type=submit]")
    assert page.locator("html").get_attribute("lang") == language


def sign_in(page):
    page.fill("input[name=login]", "manuel@acme.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{ORG}/")


def check_pages(page, pages, language, menus):
    """axe-core's findings on each page, by page name; with `menus`, also with the phone's
    drawer, the account menu and the organisation switcher open."""
    found = {}
    for name, url in pages.items():
        page.goto(url)
        found[f"{name} ({language})"] = a11y.violations(page)
    if menus:
        page.goto(pages["dashboard"])
        toggle = page.locator("[data-nav-toggle]")
        if toggle.is_visible():
            toggle.click()
            page.wait_for_timeout(300)  # the drawer slides in
            found[f"dashboard, menu open ({language})"] = a11y.violations(page)
            toggle.click()
        page.click("[data-testid=user-menu] summary")
        found[f"dashboard, account menu open ({language})"] = a11y.violations(page)
        page.click("[data-testid=org-switcher] summary")
        found[f"dashboard, organisation switcher open ({language})"] = a11y.violations(page)
    return found


def open_demo(browser, live_server, width):
    """The demo loaded, and a browser of that width on the login page: its page and the key
    pages' addresses."""
    load_demo()
    context = a11y.new_context(browser, live_server.url, width)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    return context, page, key_pages()


def assert_key_pages_pass_axe_core(page, pages, width):
    """From the login page: the login page and every key page in Spanish and in English, and
    the dashboard with its menus open."""
    found = {"login (en)": a11y.violations(page)}
    choose_language(page, "es")
    found["login (es)"] = a11y.violations(page)
    sign_in(page)
    found.update(check_pages(page, pages, "es", menus=False))
    choose_language(page, "en")
    found.update(check_pages(page, pages, "en", menus=True))
    report = "\n".join(f"{name}:\n{a11y.describe(v)}" for name, v in found.items() if v)
    assert not report, f"axe-core at {width} px:\n{report}"


# The ring a focused control shows. A date field's own calendar button (its last Tab stop) is
# drawn by the browser inside the field, which then no longer matches :focus; it is left out.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (el.type === "date" && !el.matches(":focus")) return true;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const card = el.closest(".board-card");
  const column = el.closest(".board-column");
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    text: (el.innerText || "").trim().slice(0, 60),
    in_main: !!el.closest("main"),
    card: card ? [...document.querySelectorAll(".board-card")].indexOf(card) : -1,
    column: column ? [...document.querySelectorAll(".board-column")].indexOf(column) : -1,
    in_sight: box.width > 0 && box.height > 0 && box.right > 0 && box.left < window.innerWidth,
  };
}"""


def tab_through(page, most=80):
    """Press Tab from where the focus is until it leaves the page: each stop, and whether its
    focus showed."""
    visited = []
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["tag"] == "body":
            break
        stop["shown"] = page.evaluate(FOCUS_SHOWN)
        visited.append(stop)
    return visited


def skip_to_content(page):
    """Tab once from the top (the skip link, with its focus in sight) and follow it."""
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Skip to content"
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")


def assert_answer_page_works_by_keyboard(page, pages):
    page.goto(pages["answer"])
    visited = tab_through(page)
    assert [s for s in visited if not s["shown"]] == []
    assert visited[0]["text"] == "Skip to content"
    in_main = [s["name"] or s["text"] for s in visited if s["in_main"]]
    # The answer first (its status, narrative and save button), then the comment box.
    assert in_main.index("status") < in_main.index("narrative") < in_main.index("Save")
    assert in_main.index("Save") < in_main.index("text") < in_main.index("Add comment")
    page.goto(pages["answer"])
    skip_to_content(page)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["in_main"]


def assert_board_works_by_keyboard(page, pages):
    page.goto(pages["actions board"])
    skip_to_content(page)
    visited = tab_through(page)
    assert [s for s in visited if not s["shown"]] == []
    on_cards = [s for s in visited if s["card"] >= 0]
    assert len({s["card"] for s in on_cards}) == page.locator(".board-card").count() > 1
    # Column by column, card by card, each card's title before its "Move to" picker.
    assert [s["column"] for s in on_cards] == sorted(s["column"] for s in on_cards)
    assert [s["card"] for s in on_cards] == sorted(s["card"] for s in on_cards)
    assert [s["tag"] for s in on_cards] == ["a", "select"] * (len(on_cards) // 2)


def test_at_1280_px_the_key_pages_pass_axe_core_and_work_by_keyboard(browser, live_server):
    context, page, pages = open_demo(browser, live_server, 1280)
    assert_key_pages_pass_axe_core(page, pages, 1280)
    assert_answer_page_works_by_keyboard(page, pages)
    assert_board_works_by_keyboard(page, pages)
    context.close()


def test_on_a_phone_the_key_pages_pass_axe_core_and_the_calendar_and_risk_grids_fit(
    browser, live_server
):
    context, page, pages = open_demo(browser, live_server, 390)
    assert_key_pages_pass_axe_core(page, pages, 390)

    # The folded menu is out of the keyboard's way, and in it once opened.
    page.goto(pages["actions board"])
    visited = tab_through(page, most=12)
    assert [s for s in visited if not (s["in_sight"] and s["shown"])] == []
    page.click("[data-nav-toggle]")
    page.wait_for_timeout(300)  # the drawer slides in
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["in_sight"]
    assert_board_works_by_keyboard(page, pages)

    page.goto(pages["actions calendar"])
    sunday = page.locator("table.calendar th").last.bounding_box()
    assert sunday["x"] + sunday["width"] <= 390
    # The month's actions are listed whole under the grid.
    assert page.locator(".cal-agenda li").count() == page.locator("table.calendar a").count() > 0
    assert page.locator(".cal-agenda").is_visible()

    page.goto(pages["risk assessment"])
    hint = "el => getComputedStyle(el, '::after').opacity"
    grid = page.locator("#vulnerabilities .scroll-hint").first
    assert float(grid.evaluate(hint)) == 1
    # Each rating keeps room for its picker, and the hint goes once the grid is scrolled through.
    assert page.locator("#vulnerabilities select").first.bounding_box()["width"] >= 48
    grid.locator(".table-wrap").evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    page.wait_for_timeout(100)
    assert float(grid.evaluate(hint)) == 0
    context.close()
