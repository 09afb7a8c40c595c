"""The training journey in a browser: a manager imports HR's list (a bad row first, refused with
its reason, then fixed), records a classroom session from the signed sheet's employee numbers with
quiz scores, and the matrix shows who is overdue for seal training."""

import pytest

from safelane.demo.data import load_demo
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TRAINING = "/o/acme-imports/training/"


def upload(page, tmp_path, rows):
    path = tmp_path / "people.csv"
    path.write_text("employee_number,name,role,site\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.goto(TRAINING + "people/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url("**/import/columns/")


def test_a_manager_imports_people_records_a_session_and_reads_the_matrix(page, tmp_path):
    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")
    page.click("nav.sidebar >> text=Training")
    page.wait_for_url("**/training/")
    assert "Coverage per course" in page.content()

    # One bad row: the first look names it, and nothing comes in.
    upload(page, tmp_path, ["T900,Rosa Vega,Driver,Laredo yard", "T901,,Driver,Laredo yard"])
    assert "Row 3: the name is missing." in page.locator("#problems").inner_text()
    page.click("text=Check and import")
    page.goto(TRAINING + "people/?q=Rosa")
    assert "Nobody matches." in page.content()

    # Fixed: the import runs as a job and leads to the register.
    upload(
        page, tmp_path, ["T900,Rosa Vega,Driver,Laredo yard", "T901,Iván Soto,Driver,Laredo yard"]
    )
    page.click("text=Check and import")
    page.wait_for_url("**/jobs/*/")
    page.locator("text=Open the people register").click()
    page.fill("#id_q", "T90")
    page.wait_for_load_state("networkidle")
    assert "Rosa Vega" in page.locator("#people-results").inner_text()

    # A classroom session with the signed sheet's numbers and a quiz.
    page.goto(TRAINING + "sessions/new/")
    page.fill("input[name=held_on]", "2026-11-30")
    page.fill("input[name=trainer]", "Manuel Ortiz")
    page.check("label:has-text('Supply chain security and threat awareness') input")
    page.select_option("select[name=check_method]", "quiz")
    page.fill("input[name=pass_mark]", "70")
    page.fill("textarea[name=employee_numbers]", "T900 T901")
    page.click("text=Record the session")
    page.wait_for_url("**/training/sessions/*/")
    scores = page.locator("#attendance input.score")
    assert scores.count() == 2
    scores.nth(0).fill("50")  # Iván, by name
    scores.nth(1).fill("90")  # Rosa
    page.click("text=Save the scores")
    page.wait_for_load_state("networkidle")
    assert "Not met" in page.locator("#attendance").inner_text()

    # The matrix: seal training overdue for Laredo's drivers, both new ones among them.
    page.goto(TRAINING)
    page.select_option("select[name=course]", label="High-security seals and the VVTT check")
    page.select_option("select[name=site]", "Laredo yard")
    page.wait_for_load_state("networkidle")
    results = page.locator("#matrix-results").inner_text()
    assert "Rosa Vega" in results
    assert "Overdue" in results
    page.goto(TRAINING + "?q=T90&course=")
    page.wait_for_load_state("networkidle")
    row = page.locator("#matrix-results tr").filter(has_text="Iván Soto").inner_text()
    assert "Overdue" in row  # below the pass mark: the awareness course is still due
