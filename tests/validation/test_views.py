"""The validation and incident pages as people use them."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from safelane.validation.models import Finding, PlanItem, Validation
from tests.conftest import client_for
from tests.factories import importer_cycle


def test_a_manager_plans_a_mock_validation_and_a_contributor_records_a_finding(cast):
    importer_cycle(cast)
    manager = client_for(cast.manager)
    answer = manager.post(
        reverse("validation:mock_create", args=[cast.acme.slug]),
        {"title": "Mock 2026", "share": "20", "sites": "Joliet"},
    )
    validation = Validation.objects.for_org(cast.acme).get()
    assert answer.status_code == 302
    page = client_for(cast.contributor).get(answer["Location"])
    assert b"Interview prompts" in page.content
    assert b"Joliet" in page.content
    item = PlanItem.objects.for_org(cast.acme).filter(validation=validation).first()
    done = client_for(cast.contributor).post(
        reverse("validation:check", args=[cast.acme.slug, item.pk]),
        {"result": "finding", "note": "No seal log"},
    )
    assert done.status_code == 302
    finding = Finding.objects.for_org(cast.acme).get()
    shown = client_for(cast.viewer).get(
        reverse("validation:finding", args=[cast.acme.slug, finding.pk])
    )
    assert b"No seal log" in shown.content
    assert b"Create an action" not in shown.content  # viewers read only


def test_a_finding_without_text_is_refused_on_the_page(cast):
    importer_cycle(cast)
    client_for(cast.manager).post(
        reverse("validation:mock_create", args=[cast.acme.slug]), {"title": "Mock", "share": "5"}
    )
    item = PlanItem.objects.for_org(cast.acme).first()
    answer = client_for(cast.contributor).post(
        reverse("validation:check", args=[cast.acme.slug, item.pk]), {"result": "finding"}
    )
    assert answer.status_code == 400
    assert b"Say what was found" in answer.content


def test_the_lists_say_when_there_is_nothing_yet(cast):
    viewer = client_for(cast.viewer)
    assert (
        b"No validations yet."
        in viewer.get(reverse("validation:list", args=[cast.acme.slug])).content
    )
    assert (
        b"No incidents recorded."
        in viewer.get(reverse("incidents:list", args=[cast.acme.slug])).content
    )


def test_an_incident_is_recorded_with_its_report_time(cast):
    client = client_for(cast.contributor)
    discovered = timezone.localtime() - datetime.timedelta(hours=3)
    made = client.post(
        reverse("incidents:create", args=[cast.acme.slug]),
        {
            "kind": "stowaways",
            "title": "Person found in a trailer",
            "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert made.status_code == 302
    reported = discovered + datetime.timedelta(hours=1)
    page = client.get(made["Location"])
    version = page.context["report_form"].initial["version"]
    answer = client.post(
        made["Location"] + "report/",
        {
            "version": version,
            "initial-version": version,
            "reported_to_cbp_at": reported.strftime("%Y-%m-%dT%H:%M"),
            "reported_by": "Carla",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert b"1\xc2\xa0hour after discovery" in client.get(made["Location"]).content


def test_the_analysis_is_saved_from_the_incident_page(cast):
    from tests.incidents.test_services import incident

    found = incident(cast)
    client = client_for(cast.contributor)
    url = reverse("incidents:analysis", args=[cast.acme.slug, found.pk])
    answer = client.post(
        url,
        {
            "version": found.version,
            "what_happened": "Seal cut",
            "root_cause": "Left outside",
            "changes": "Park inside",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    page = client.get(reverse("incidents:detail", args=[cast.acme.slug, found.pk]))
    assert b"Last saved" in page.content


def test_the_response_export_holds_each_finding_its_response_and_actions(cast):
    import io

    from docx import Document

    from safelane.actions import services as action_services
    from safelane.validation import services

    validation = services.record_cbp_validation(
        org=cast.acme,
        actor=cast.manager,
        values={"title": "CBP validation 2026", "specialist": "SCSS Ana Ruiz"},
    )
    finding = services.add_finding(
        org=cast.acme,
        actor=cast.manager,
        validation=validation,
        values={
            "criterion_ident": "6.1",
            "text": "Seal procedure not written.",
            "response_due": datetime.date(2026, 11, 15),
        },
    )
    services.respond(
        org=cast.acme,
        actor=cast.manager,
        finding=finding,
        response="Written and trained.",
        expected_version=finding.version,
    )
    action_services.create_action(org=cast.acme, actor=cast.manager, values={"origin": finding})
    answer = client_for(cast.viewer).get(
        reverse("validation:response_docx", args=[cast.acme.slug, validation.pk])
    )
    assert answer.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "Response to CBP validation 2026" in text
    assert "SCSS Ana Ruiz" in text
    assert "6.1: Required action" in text
    assert "Response due: 2026-11-15" in text
    assert "Written and trained." in text
    assert "Answer the finding on 6.1 (To do)" in text


def test_a_cbp_validation_page_says_its_notice_visit_and_specialist(cast):
    from safelane.validation import services

    validation = services.record_cbp_validation(
        org=cast.acme,
        actor=cast.manager,
        values={
            "title": "CBP validation",
            "visit_on": datetime.date(2026, 10, 15),
            "notice_received_on": datetime.date(2026, 9, 1),
            "specialist": "SCSS Ana Ruiz",
        },
    )
    page = client_for(cast.viewer).get(
        reverse("validation:detail", args=[cast.acme.slug, validation.pk])
    )
    text = page.content.decode()
    assert "visit on Oct. 15, 2026 · notice received on Sept. 1, 2026 · SCSS Ana Ruiz" in text
    assert '<p class="muted">CBP validation' not in text


def test_a_spanish_reader_sees_the_documents_to_ask_for_in_spanish(cast):
    importer_cycle(cast)
    client_for(cast.manager).post(
        reverse("validation:mock_create", args=[cast.acme.slug]), {"title": "Mock", "share": "0"}
    )
    item = PlanItem.objects.for_org(cast.acme).exclude(documents_es=[]).first()
    client = client_for(cast.viewer)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("validation:detail", args=[cast.acme.slug, item.validation.pk]))
    assert item.documents_es[0] in page.content.decode()
