"""The business partner journey in a browser: a spreadsheet import with a bad row, reported and
fixed; the tiers with their reasons; a false screening hit cleared and a real one confirmed, both
decisions still standing after the partner is screened again."""

import pytest

from safelane.demo.data import load_demo
from tests.e2e.test_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGISTER = "/o/acme-imports/partners/"


def upload(page, tmp_path, rows):
    path = tmp_path / "partners.csv"
    path.write_text("Nombre,Tipo,País\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.goto(REGISTER + "import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url("**/import/columns/")


def decide(page, partner, listed, decision, reason):
    page.goto(REGISTER + "screening/")
    row = page.locator("tbody tr").filter(has_text=partner).filter(has_text=listed)
    row.locator("a").first.click()
    page.check(f"input[name=status][value={decision}]")
    page.fill("textarea[name=reason]", reason)
    page.click("text=Record the decision")
    page.wait_for_url("**/partners/screening/")


def test_a_manager_imports_partners_and_decides_their_screening_hits(page, tmp_path):
    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")

    # One bad row: nothing comes in, and the row says why.
    upload(
        page,
        tmp_path,
        [
            "Atlas Shipping LLC,sea_carrier,US",
            "Banco Nacional de Cuba S.A.,Otro,España",
            "Ruta Segura S.A.,pirata,MX",
        ],
    )
    page.click("text=Check and import")
    problems = page.locator("#problems")
    assert "Row 4: 'pirata' is not a partner type" in problems.inner_text()
    page.goto(REGISTER + "?q=Atlas")
    assert "No partners match." in page.content()

    # Fixed (the type by its Spanish label), the import runs as a job and leads to the hits.
    upload(
        page,
        tmp_path,
        [
            "Atlas Shipping LLC,sea_carrier,US",
            "Banco Nacional de Cuba S.A.,Otro,España",
            "Ruta Segura S.A.,Transportista por carretera,MX",
        ],
    )
    page.click("text=Check and import")
    page.wait_for_url("**/jobs/*/")
    page.locator("text=Review the screening hits").click()
    queue = page.locator("main").inner_text()
    assert "ATLAS" in queue
    assert "BANCO NACIONAL DE CUBA" in queue

    # The carrier's tier and its reasons.
    page.goto(REGISTER + "?q=Ruta")
    page.click("text=Ruta Segura S.A.")
    tier = page.locator("#tier").inner_text()
    assert "It holds or moves the cargo." in tier
    assert "No security questionnaire accepted yet." in tier

    decide(
        page,
        "Atlas Shipping LLC",
        "ATLAS",
        "cleared",
        "Different company: U.S. carrier, SCAC checked.",
    )
    decide(
        page,
        "Banco Nacional",
        "BANCO NACIONAL",
        "confirmed",
        "Same bank: name and Madrid office agree.",
    )

    # Screened again: both decisions stand, the confirmed one has raised an action.
    for name in ("Atlas Shipping LLC", "Banco Nacional de Cuba S.A."):
        page.goto(REGISTER + "?q=" + name.split()[0])
        page.click(f"text={name}")
        page.click("text=Screen again")
        page.wait_for_load_state("networkidle")
    page.goto(REGISTER + "screening/")
    queue = page.locator("main").inner_text()
    assert "Atlas Shipping LLC" not in queue
    assert "Banco Nacional de Cuba S.A." not in queue
    page.goto(REGISTER + "?q=Banco")
    page.click("text=Banco Nacional de Cuba S.A.")
    assert "Confirmed: the same party" in page.locator("#screening").inner_text()
    assert "Stop or escalate business with Banco Nacional de Cuba S.A." in page.content()
