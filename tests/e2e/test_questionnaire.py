"""A Spanish security questionnaire, from the manager's send to the partner's answers through
the link (no account: a draft, a document, the submit) and back to the review, where one
answer becomes an action."""

import re

import pytest
from django.core import mail

from safelane.actions.models import Action
from safelane.orgs.models import Organisation
from safelane.questionnaires.models import Answer, Document, Questionnaire, Status
from tests.e2e.test_journeys import sign_in
from tests.questionnaires.builders import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARTNER = "Maquiladora del Norte S.A. de C.V."


def test_a_partner_answers_a_spanish_questionnaire_by_its_link_and_one_answer_becomes_an_action(
    page, browser, live_server
):
    from safelane.demo.data import load_demo

    load_demo()
    sign_in(page, "manuel@acme.example")
    page.wait_for_url("**/o/acme-imports/")

    # The demo has Safelane's templates loaded; the manager sends the supplier one from the
    # partner's page.
    page.goto("/o/acme-imports/questionnaires/templates/")
    page.wait_for_selector("text=Security questionnaire for suppliers and manufacturers")
    page.goto("/o/acme-imports/partners/")
    page.click(f"text={PARTNER}")
    page.click("#questionnaires >> text=Send a questionnaire")
    assert (
        page.locator("select[name=template] option:checked")
        .inner_text()
        .startswith("Security questionnaire for suppliers")
    )
    page.check("input[name=contact]")
    page.click("[data-testid=send]")
    page.wait_for_url(re.compile(r".*/questionnaires/\d+/$"))
    (message,) = [m for m in mail.outbox if m.to == ["rosa.garza@norte.example"]]
    link = re.search(r"http://\S+/q/\S+/", message.body).group(0)
    link = live_server.url + link[link.index("/q/") :]

    # The contact opens it without an account, in Spanish.
    partner = browser.new_context(viewport={"width": 390, "height": 844})
    answer = partner.new_page()
    answer.set_default_timeout(10_000)
    answer.goto(link)
    assert answer.locator("html").get_attribute("lang") == "es"
    assert "¿Cada contenedor o remolque cargado se sella" in answer.content()
    follow_up = answer.locator("#q-seal-procedure-how")
    assert not follow_up.is_visible()  # "If no, describe ..." waits for a "no"
    for radio in answer.locator("fieldset input[type=radio][value=yes]").all():
        radio.check()
    for key, value in {
        "ctpat-status": "applying",
        "road-carriers": "ctpat",
        "inspection-before-loading": "checklist",
        "wood-packaging": "none",
        "vvttt": "no",
        "seal-procedure": "no",
    }.items():
        answer.check(f"input[name=a-{key}][value={value}]")
    assert follow_up.is_visible()
    answer.fill("textarea[name=a-seal-procedure-how]", "Los sellos se registran en una bitácora.")
    answer.fill(
        "textarea[name=a-security-contact]", "Rosa Garza, calidad, rosa.garza@norte.example"
    )
    answer.click("[data-testid=save-draft]")
    answer.wait_for_load_state()
    answer.reload()
    assert answer.locator("input[name=a-vvttt][value=no]").is_checked()

    # A document, then the submit.
    answer.set_input_files(
        "input[name=file-seal-certificate]",
        {"name": "certificado-iso-17712.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    answer.click("#q-seal-certificate button[type=submit]")
    answer.wait_for_selector("#q-seal-certificate >> text=certificado-iso-17712.pdf")
    answer.fill("input[name=respondent_name]", "Rosa Garza")
    answer.check("input[name=confirm]")
    answer.click("[data-testid=submit]")
    answer.wait_for_selector("text=Rosa Garza")
    assert answer.locator("input[name=a-vvttt]").count() == 0  # read-only once submitted
    partner.close()

    org = Organisation.objects.get(slug="acme-imports")
    questionnaire = Questionnaire.objects.for_org(org).get(partner__name=PARTNER)
    assert questionnaire.status == Status.SUBMITTED
    assert (
        Document.objects.for_org(org).get(questionnaire=questionnaire).original_name
        == "certificado-iso-17712.pdf"
    )

    # The manager reviews it and turns the weak seal check into an action for the partner.
    page.goto(f"/o/acme-imports/questionnaires/{questionnaire.pk}/")
    weak = page.locator(
        f"#answer-{Answer.objects.for_org(org).get(questionnaire=questionnaire, key='vvttt').pk}"
    )
    assert "0%" in weak.inner_text()
    page.click("[data-testid=action-vvttt]")
    page.wait_for_url("**/actions/*/")
    action = Action.objects.for_org(org).get(title__contains="View, Verify")
    assert action.origin.name == PARTNER
    page.goto(f"/o/acme-imports/partners/{questionnaire.partner_id}/")
    assert action.title in page.locator("body").inner_text()
    page.goto(f"/o/acme-imports/questionnaires/{questionnaire.pk}/")
    page.click("[data-testid=accept]")
    page.wait_for_selector("text=The summary in the evidence library")
    questionnaire.refresh_from_db()
    assert questionnaire.status == Status.ACCEPTED
