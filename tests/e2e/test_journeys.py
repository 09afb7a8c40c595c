import re

import pytest
from playwright.sync_api import expect

from safelane.demo.data import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")


def test_a_consultant_signs_in_switches_organisation_and_sees_the_dashboard(page):
    load_demo()
    sign_in(page, "consuelo@borderwise.example")
    page.wait_for_url("**/orgs/")
    page.click("main >> text=Acme Imports, Inc.")
    page.wait_for_url("**/o/acme-imports/")
    assert page.locator("h1").inner_text() == "Acme Imports, Inc."
    assert "The road to CTPAT certification" in page.content()
    tiles = page.locator("[data-testid=tile]")
    assert tiles.count() == 8  # with the CTPAT membership and its clocks, and training
    assert "Risk assessment" in tiles.filter(has_text="Supply-chain risk").inner_text()
    assert "6 partners" in tiles.filter(has_text="Business partners").inner_text()

    page.click("[data-testid=org-switcher] summary")
    page.click("[data-testid=org-switcher] >> text=Maquiladora del Norte")
    page.wait_for_url("**/o/maquiladora-del-norte/")
    assert page.locator("h1").inner_text() == "Maquiladora del Norte S.A. de C.V."
    assert page.locator(".sidebar .org-role").inner_text() == "Owner"


def test_an_owner_changes_a_role_without_leaving_the_page(page):
    load_demo()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/members/")
    row = page.locator("tr", has_text="victor@auditors.example")
    with page.expect_response("**/role/"):
        row.locator("select[name=role]").select_option("contributor")
    page.reload()
    row = page.locator("tr", has_text="victor@auditors.example")
    assert row.locator("select[name=role]").input_value() == "contributor"
    page.goto("/o/acme-imports/audit/")
    assert "Victor Hale" in page.locator("#audit-results").inner_text()


def test_the_menu_folds_away_on_a_phone(browser, live_server):
    load_demo()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    sidebar = page.locator("#sidebar")
    assert not sidebar.is_visible() or sidebar.bounding_box()["x"] < 0
    page.click("[data-nav-toggle]")
    page.wait_for_timeout(300)
    assert sidebar.bounding_box()["x"] >= 0
    page.locator("#sidebar").get_by_role("link", name="Members", exact=True).click()
    page.wait_for_url("**/members/")
    context.close()


def test_a_company_becomes_an_importer_checks_eligibility_and_gets_its_data_sheet(page):
    load_demo()
    sign_in(page, "consuelo@borderwise.example")
    page.wait_for_url("**/orgs/")
    page.goto("/o/maquiladora-del-norte/eligibility/")
    page.check("input[name=type_IMP]")
    page.select_option("select[name=sub_IMP]", "us")
    page.click("text=Save entity types")
    card = page.locator("[data-testid=eligibility-IMP]")
    assert "Add your IOR number under Identifiers." in card.inner_text()

    page.goto("/o/maquiladora-del-norte/application/identifiers/new/")
    page.select_option("select[name=kind]", "ior-ein")
    page.fill("input[name=value]", "07-123456700")
    page.click("main button[type=submit]")
    assert "07 is not a prefix the IRS uses for EINs" in page.content()
    page.fill("input[name=value]", "36-412345600")
    page.click("main button[type=submit]")
    page.wait_for_url("**/application/identifiers/")

    page.goto("/o/maquiladora-del-norte/eligibility/")
    rule = page.locator("[data-testid=eligibility-IMP] tr", has_text="Importer of Record")
    assert "Pass" in rule.inner_text()

    page.goto("/o/maquiladora-del-norte/catalog/")
    assert "criteria apply to you" in page.content()
    page.fill("input[name=q]", "ISO 17712")
    page.wait_for_timeout(800)
    assert "6.2" in page.locator("#catalog-results").inner_text()

    page.goto("/o/maquiladora-del-norte/eligibility/")
    with page.expect_download() as download:
        page.click("text=Portal data sheet (PDF)")
    assert download.value.suggested_filename.endswith(".pdf")


def test_an_officer_answers_a_criterion_with_evidence_and_exports_the_profile(page, tmp_path):
    load_demo()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("#sidebar >> text=Self-assessments")
    page.click("text=Annual review 2026")
    must_met_before = page.locator(".stat").nth(1).inner_text()

    page.locator("#responses strong", has_text=re.compile(r"^4\.8$")).click()
    assert page.locator("h1").inner_text().startswith("4.8")
    page.select_option("select[name=status]", "met")
    page.fill(
        "textarea[name=narrative]",
        "Since March every Joliet warehouse user signs in with an individual account and a second "
        "factor from the authenticator app; IT reviews the accounts every quarter.",
    )
    page.click("#answer button:has-text('Save')")
    page.wait_for_load_state()
    assert page.locator("select[name=status]").input_value() == "met"

    evidence_file = tmp_path / "mfa-rollout.txt"
    evidence_file.write_text("MFA enabled for 42 accounts on 2026-03-02\n")
    page.click("text=Upload new evidence")
    page.fill("input[name=title]", "MFA roll-out record")
    page.set_input_files("input[name=file]", str(evidence_file))
    page.click("main button[type=submit]")
    assert "MFA roll-out record was added to the library." in page.content()
    assert page.locator("h1").inner_text().startswith("4.8")
    assert "MFA roll-out record" in page.locator("main").inner_text()

    page.goto("/o/acme-imports/assessments/")
    page.click("text=Annual review 2026")
    assert page.locator(".stat").nth(1).inner_text() != must_met_before
    assert "<svg" in page.content()
    page.click("summary:has-text('Export')")
    page.click("text=Security profile (PDF)")
    page.wait_for_url("**/jobs/*/")  # built in the background, with its progress shown
    with page.expect_download() as download:
        page.click("#job-progress a:has-text('Download')")
    assert download.value.suggested_filename.endswith("security-profile.pdf")


def test_a_gap_becomes_an_action_and_finishing_it_leads_back_to_the_answer(page):
    load_demo()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/assessments/")
    page.click("text=Annual review 2026")
    page.click("text=Gap list")
    row = page.locator("tr", has=page.locator("a", has_text=re.compile(r"^10\.1$")))
    row.locator("text=Plan an action").click()
    assert page.locator("input[name=title]").input_value() == "Close the gap on 10.1"
    page.fill("input[name=due_date]", "2026-12-20")
    page.click("main button[type=submit]")
    page.wait_for_url("**/actions/*/")

    page.select_option("#new-status", "done")
    page.fill("input[name=note]", "Badge procedure written and posted.")
    page.click("text=Set status")
    # The page is updated in place (HTMX): the address stays, the news appears.
    page.locator(".messages", has_text="last open action for this criterion").wait_for()
    assert page.locator("#main .badge").first.inner_text() == "Done"

    page.goto("/o/acme-imports/actions/board/")
    assert "Close the gap on 10.1" in page.locator(".board-column[aria-label=Done]").inner_text()
    page.goto("/o/acme-imports/actions/budget/")
    assert "first-year cost of certification" in page.content()


def test_next_years_risk_assessment_starts_from_last_years_and_shows_the_change(page):
    load_demo()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("#sidebar >> text=Risk assessment")
    assert "The next risk assessment is due on" in page.locator("main").inner_text()
    page.fill("input[name=title]", "Risk assessment this year")
    page.click("main button[type=submit]")
    page.wait_for_url("**/risk/*/")
    assert "Shenzhen Homeware Co." in page.locator("#map svg").inner_html()

    page.click("text=Add a point")
    page.fill("#map input[name=name]", "Hanoi ceramics supplier")
    page.select_option("#map select[name=kind]", "supplier")
    page.select_option("#map select[name=country]", "VN")
    page.click("#map button:has-text('Add point')")
    # the point is added in place (htmx): wait for the map to be swapped
    expect(page.locator("#map svg")).to_contain_text("Hanoi ceramics supplier")

    page.click("text=What changed")
    assert "Hanoi ceramics supplier (VN)" in page.locator("main").inner_text()
    page.go_back()
    heat = page.locator("#risks svg")
    assert heat.count() == 1
    page.click("text=Report (PDF)")
    page.wait_for_url("**/jobs/*/")
    assert page.locator(".progress").count() == 1
    with page.expect_download() as download:
        page.click("#job-progress a:has-text('Download')")
    assert re.search(r"risk-assessment-\d{4}\.pdf$", download.value.suggested_filename)


def test_a_manager_rates_a_leg_and_a_vulnerability_and_turns_the_top_risk_into_an_action(page):
    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.goto("/o/acme-imports/risk/")
    page.click("main a:has-text('Risk assessment 2025')")
    page.wait_for_url("**/risk/*/")

    rail = page.locator("#threats tr", has_text="Port of Los Angeles → Joliet distribution center")
    rail.locator("select[name$=':organised-crime']").select_option("3")
    page.click("#threats button:has-text('Save threat ratings')")
    expect(page.locator("#messages")).to_contain_text("Threat ratings saved.")
    rail = page.locator("#threats tr", has_text="Port of Los Angeles → Joliet distribution center")
    assert rail.locator("select[name$=':organised-crime']").input_value() == "3"

    joliet = page.locator("#vulnerabilities tr", has_text="Joliet distribution center")
    joliet.locator("select").nth(8).select_option("3")  # category 9, physical security
    page.click("#vulnerabilities button:has-text('Save vulnerability ratings')")
    # a changed suggestion needs a reason
    expect(page.locator("#vulnerabilities")).to_contain_text("give the reason")
    joliet = page.locator("#vulnerabilities tr", has_text="Joliet distribution center")
    joliet.locator("select").nth(8).select_option("3")
    joliet.locator("input.reason").nth(8).fill("Fence damaged by the October storm")
    page.click("#vulnerabilities button:has-text('Save vulnerability ratings')")
    expect(page.locator("#messages")).to_contain_text("Vulnerability ratings saved.")

    top = page.locator("#risks tbody tr").first
    assert "Joliet distribution center" in top.inner_text()
    assert "Physical Security" in top.inner_text()
    top.locator("button:has-text('Create action')").click()
    page.wait_for_url("**/actions/*/#main")
    assert "Reduce the Physical Security risk at Joliet distribution center" in page.content()


def test_an_auditor_finds_the_seal_criteria_and_a_partner_from_the_sidebar_search(page):
    load_demo()
    sign_in(page, "victor@auditors.example")
    page.wait_for_url("**/o/acme-imports/")
    page.fill("#sidebar-q", "seal")
    page.press("#sidebar-q", "Enter")
    page.wait_for_url("**/search/?q=seal")
    results = page.locator("#search-results")
    expect(results).to_contain_text("6.2 · Every sealable shipment gets a high-security seal")
    expect(results).to_contain_text("Joliet seal log, 2025")
    # as you type, the results change in place
    page.fill("#search-q", "bahar")
    expect(results).to_contain_text("Bahar Safwa General Trading")
    expect(results).not_to_contain_text("Joliet seal log")
    results.locator("a", has_text="Bahar Safwa General Trading").click()
    page.wait_for_url("**/partners/*/")


def test_next_years_self_assessment_keeps_last_years_evidence(page):
    load_demo()
    sign_in(page, "olivia@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("#sidebar >> text=Self-assessments")
    # One assessment is open at a time: starting the next says so, then last year's is closed.
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=title]", "Annual review 2027")
    page.click("main button:has-text('Start')")
    expect(page.locator("main")).to_contain_text("Annual review 2026 is still open")
    page.click("main >> text=Annual review 2026")
    page.click("summary:has-text('Close')")
    page.click("button:has-text('Close this assessment')")
    expect(page.locator("main")).to_contain_text("closed")
    page.click("#sidebar >> text=Self-assessments")
    page.select_option("select[name=kind]", "annual")
    page.fill("input[name=title]", "Annual review 2027")
    page.select_option("select[name=start_from]", label="The answers of Annual review 2026")
    page.click("main button:has-text('Start')")
    expect(page.locator("h1")).to_have_text(re.compile("Annual review 2027"))
    page.locator("#responses strong", has_text=re.compile(r"^1\.1$")).click()
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("Supply chain security policy")
    expect(evidence).to_contain_text("carried over")
