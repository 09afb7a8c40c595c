import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from safelane.catalog import services as catalog_services
from safelane.core.errors import DomainError
from safelane.core.models import AuditEntry
from safelane.eligibility import selectors, services
from safelane.eligibility.models import AgreementAffirmation, Contact, Identifier


def importer(cast, **profile):
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    values = {
        "last_import_date": timezone.localdate() - datetime.timedelta(days=30),
        "no_unpaid_cbp_debt": True,
    }
    values.update(profile)
    services.save_profile(org=cast.acme, actor=cast.owner, expected_version=None, values=values)


def results(cast):
    (check,) = selectors.eligibility(cast.acme)
    return {r.rule: (r.status, str(r.reason)) for r in check.results}


def complete_importer(cast):
    importer(cast)
    services.save_address(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={
            "kind": "headquarters",
            "line1": "1 Main St",
            "city": "Chicago",
            "country": "US",
            "staffed": True,
        },
    )
    services.save_identifier(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={"kind": "ior-ein", "value": "36-412345600"},
    )
    services.save_bond(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={"kind": "continuous-import", "number": "B-1"},
    )
    services.save_contact(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={
            "name": "Olivia Owner",
            "email": "olivia@acme.test",
            "is_company_officer": True,
            "is_primary": True,
            "is_security_lead": True,
            "user": cast.owner,
        },
    )
    services.save_contact(
        org=cast.acme,
        actor=cast.owner,
        obj=None,
        expected_version=None,
        values={
            "name": "Consuelo Consultant",
            "email": "consuelo@consult.test",
            "user": cast.consultant,
        },
    )


def test_an_importer_with_valid_data_passes_every_rule(cast):
    complete_importer(cast)
    services.affirm_agreement(
        org=cast.acme, actor=cast.owner, ip_address="127.0.0.1", user_agent="test"
    )
    assert {status for status, _ in results(cast).values()} == {"pass"}


def test_each_rule_says_exactly_why_it_fails(cast):
    importer(
        cast,
        last_import_date=timezone.localdate() - datetime.timedelta(days=400),
        no_unpaid_cbp_debt=False,
    )
    Identifier.objects.create(organisation=cast.acme, kind="ior-ein", value="07-1234567AB")
    found = results(cast)
    assert found["active-importer"][0] == "fail"
    assert "more than 12 months ago" in found["active-importer"][1]
    assert found["ior-number"] == (
        "fail",
        "IOR number 07-1234567AB is not valid: 07 is not a prefix the IRS uses for EINs; check the first two digits.",
    )
    assert found["no-cbp-debt"][0] == "fail"
    assert found["office-us-ca"] == ("info", "Add your addresses and mark the staffed offices.")
    assert found["continuous-import-bond"][0] == "info"


def test_an_invalid_identifier_is_refused_with_its_reason(cast, as_user):
    url = reverse("eligibility:identifier_create", args=[cast.acme.slug])
    response = as_user(cast.manager).post(url, {"kind": "scac", "value": "ABCDE"})
    assert response.status_code == 400
    assert "A SCAC is 2 to 4 letters." in response.content.decode()
    assert not Identifier.objects.for_org(cast.acme).exists()
    as_user(cast.manager).post(url, {"kind": "scac", "value": " abcd "})
    assert Identifier.objects.for_org(cast.acme).get().value == "ABCD"


def test_choosing_entity_types_needs_the_sub_type(cast, as_user):
    url = reverse("eligibility:index", args=[cast.norte.slug])
    client = as_user(cast.consultant)
    refused = client.post(url, {"type_HC": "on"})
    assert refused.status_code == 400
    assert "Choose the kind of Highway Carrier." in refused.content.decode()
    client.post(url, {"type_HC": "on", "sub_HC": "us-mexico", "type_FM": "on"})
    page = client.get(url).content.decode()
    assert 'data-testid="eligibility-HC"' in page
    assert 'data-testid="eligibility-FM"' in page


def test_the_primary_contact_must_be_a_company_officer(cast, as_user):
    url = reverse("eligibility:contact_create", args=[cast.acme.slug])
    response = as_user(cast.manager).post(
        url, {"name": "Pat", "email": "pat@acme.test", "is_primary": "on"}
    )
    assert response.status_code == 400
    assert "primary point of contact to be a company officer" in response.content.decode()
    assert not Contact.objects.for_org(cast.acme).exists()


def test_only_the_officer_can_affirm_the_partner_agreement(cast, as_user):
    complete_importer(cast)
    url = reverse("eligibility:agreement", args=[cast.acme.slug])
    refused = as_user(cast.consultant).post(url, {"confirm": "on"})
    assert refused.status_code == 400
    assert "Only a company officer" in refused.content.decode()
    assert not AgreementAffirmation.objects.exists()
    as_user(cast.owner).post(
        url, {"confirm": "on"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox"
    )
    affirmation = AgreementAffirmation.objects.for_org(cast.acme).get()
    assert affirmation.user == cast.owner
    assert affirmation.officer_name == "Olivia Owner"
    assert affirmation.ip_address == "203.0.113.9"
    assert "Acme Imports" in affirmation.statement
    entry = AuditEntry.objects.for_org(cast.acme).for_object(affirmation).get()
    assert entry.action == "create"
    assert entry.actor == cast.owner


def test_readiness_lists_what_is_missing(cast):
    importer(cast)
    items = {str(item.title): item for item in selectors.readiness(cast.acme)}
    assert items["Business entity type chosen"].done
    assert not items["At least two contacts"].done
    assert not items["Partner Agreement affirmed by a company officer"].done
    complete_importer(cast)
    services.affirm_agreement(org=cast.acme, actor=cast.owner, ip_address=None, user_agent="")
    missing = [str(item.title) for item in selectors.readiness(cast.acme) if not item.done]
    assert missing == ["Company information complete"]


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_portal_data_sheet_pdf_holds_the_application_in_portal_order(cast, as_user):
    complete_importer(cast)
    services.save_profile(
        org=cast.acme,
        actor=cast.owner,
        expected_version=None,
        values={"dba": "Acme Home", "phone": "+1 312 555 0100"},
    )
    response = as_user(cast.viewer).get(reverse("eligibility:datasheet_pdf", args=[cast.acme.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    order = [
        text.index(h)
        for h in (
            "1. Business type",
            "2. Company information",
            "3. Addresses",
            "5. Company contacts",
            "6. Business information",
        )
    ]
    assert order == sorted(order)
    assert "Importer - U.S. importer" in text
    assert "Acme Home" in text
    assert "36-412345600" in text
    assert re.search(r"Olivia Owner", text)


def test_the_portal_data_sheet_xlsx_has_the_same_content(cast, as_user):
    complete_importer(cast)
    response = as_user(cast.viewer).get(
        reverse("eligibility:datasheet_xlsx", args=[cast.acme.slug])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Acme Imports" in values
    assert "36-412345600" in values
    assert "1. Business type" in values


def test_a_rule_gives_its_date_as_the_reader_reads_dates(cast):
    day = timezone.localdate() - datetime.timedelta(days=30)
    importer(cast, last_import_date=day)
    with translation.override("es"):
        reason = results(cast)["active-importer"][1]
        assert date_format(day) in reason  # such as "1 nov. 2026"
    assert day.isoformat() not in reason


def test_the_agreement_page_stops_offering_to_affirm_once_done_and_reads_in_spanish(cast, as_user):
    complete_importer(cast)
    url = reverse("eligibility:agreement", args=[cast.acme.slug])
    consultant = as_user(cast.consultant).get(url).content.decode()
    assert "Record my affirmation" not in consultant  # nobody is offered what they cannot do
    assert "Only a company officer" in consultant
    owner = as_user(cast.owner)
    assert "Record my affirmation" in owner.get(url).content.decode()
    owner.post(url, {"confirm": "on"})
    done = owner.get(url).content.decode()
    assert "Record my affirmation" not in done
    assert "You affirmed this agreement on" in done
    with pytest.raises(DomainError, match="You affirmed this agreement on"):
        services.affirm_agreement(org=cast.acme, actor=cast.owner, ip_address=None, user_agent="")
    assert AgreementAffirmation.objects.for_org(cast.acme).count() == 1
    item = next(
        i
        for i in selectors.readiness(cast.acme)
        if str(i.title) == "Partner Agreement affirmed by a company officer"
    )
    assert str(item.detail).startswith("Affirmed by Olivia Owner on ")
    owner.post(reverse("set_language"), {"language": "es"})
    spanish = owner.get(url).content.decode()
    assert "Yo, directivo de Acme Imports" in spanish
    assert "I, a company officer of Acme Imports" in spanish  # the English one stays
