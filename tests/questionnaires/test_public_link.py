"""The link a partner contact answers by, without an account: in their language, drafts kept,
documents checked, one submit, and nothing of the organisation's but this one questionnaire."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safelane.questionnaires import selectors, services
from safelane.questionnaires.models import Answer, Document, Questionnaire, Status
from tests.questionnaires.builders import PDF, good_answers, sent, submitted, supplier, token
from tests.test_form_fuzz import HOSTILE


def url(q, name="link", *args):
    return reverse(f"questionnaires:{name}", args=[token(q), *args])


def page_form(q, **values):
    """The form as the page sends it: each answer with the value it was drawn with."""
    data = {}
    for a in selectors.answers(q.organisation, q):
        if a.kind != "file":
            data[f"a-{a.key}"] = a.value
            data[f"initial-a-{a.key}"] = a.value
    data.update({f"a-{k}": v for k, v in values.items()})
    return data


def test_the_link_opens_in_the_contacts_language_without_an_account(cast, client):
    q = sent(cast.acme, cast.owner)
    page = client.get(url(q))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert 'lang="es"' in html
    assert "Cuestionario de seguridad para proveedores y fabricantes" in html
    assert "¿Cada contenedor o remolque cargado se sella" in html
    assert "6. Seguridad de sellos" in html  # the catalog's Spanish category
    assert 'class="sidebar"' not in html
    assert cast.owner.email in html
    # The partner may read it in English instead.
    client.post(reverse("set_language"), {"language": "en", "next": url(q)})
    assert "Is every loaded container or trailer sealed" in client.get(url(q)).content.decode()


def test_a_link_that_was_never_issued_is_not_found(cast, client):
    sent(cast.acme, cast.owner)
    for junk in ("nothing", f"{cast.acme.pk}." + "A" * 43, "99999." + "B" * 43):
        assert client.get(reverse("questionnaires:link", args=[junk])).status_code == 404
        assert client.post(reverse("questionnaires:link_save", args=[junk])).status_code == 404


def test_another_organisations_page_never_shows_through_a_link(cast, client):
    ours = sent(cast.acme, cast.owner)
    sent(
        cast.norte,
        cast.outsider,
        partner=supplier(cast.norte, cast.outsider, name="Secreto de Norte"),
    )
    html = client.get(url(ours)).content.decode()
    assert "Secreto de Norte" not in html
    assert "Norte" not in html.replace("Maquiladora del Norte", "")


def test_a_draft_is_saved_and_kept_for_the_next_visit(cast, client):
    q = sent(cast.acme, cast.owner)
    saved = client.post(
        url(q, "link_save"),
        {**page_form(q, vvttt="no", **{"footage-days": "14,5"}), "respondent_name": "Rosa Garza"},
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith("#saved")
    again = client.get(url(q)).content.decode()
    assert "Borrador guardado" in again or "Draft saved" in again
    answers = {a.key: a for a in selectors.answers(cast.acme, q)}
    assert (answers["vvttt"].value, answers["footage-days"].value) == ("no", "14.5")
    assert 'value="Rosa Garza"' in again


def test_an_answer_nobody_touched_is_not_overwritten_by_a_stale_page(cast, client):
    q = sent(cast.acme, cast.owner)
    stale = page_form(q)  # a tab opened before the other one saved
    client.post(url(q, "link_save"), page_form(q, vvttt="yes"))
    client.post(url(q, "link_save"), {**stale, "a-lighting": "yes", "initial-a-lighting": ""})
    answers = {a.key: a.value for a in selectors.answers(cast.acme, q)}
    assert (answers["vvttt"], answers["lighting"]) == ("yes", "yes")


def test_a_malformed_answer_is_refused_in_place_and_nothing_is_lost(cast, client):
    q = sent(cast.acme, cast.owner)
    refused = client.post(
        url(q, "link_save"), page_form(q, vvttt="maybe", **{"last-training": "31/31/2026"})
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="save-state" class="small bad"' in html
    assert Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt").value == ""


def test_documents_are_uploaded_checked_downloaded_and_removed_by_the_partner(cast, client):
    q = sent(cast.acme, cast.owner)
    refused = client.post(
        url(q, "link_save"),
        {
            **page_form(q, vvttt="yes"),
            "file-seal-certificate": SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>"),
        },
    )
    assert refused.status_code == 400
    assert "(HTML, SVG o XML)" in refused.content.decode()
    assert Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt").value == ""
    client.post(
        url(q, "link_save"),
        {
            **page_form(q, vvttt="yes"),
            "file-seal-certificate": SimpleUploadedFile("cert.pdf", PDF),
            "documents": SimpleUploadedFile("notes.txt", b"seal log"),
        },
    )
    docs = {d.original_name: d for d in Document.objects.for_org(cast.acme)}
    assert set(docs) == {"cert.pdf", "notes.txt"}
    assert docs["cert.pdf"].answer.key == "seal-certificate"
    assert docs["notes.txt"].answer is None
    download = client.get(url(q, "link_document", docs["cert.pdf"].pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Security-Policy"] == "sandbox"
    assert "attachment" in download["Content-Disposition"]
    other = sent(cast.acme, cast.owner, partner=supplier(cast.acme, cast.owner, name="Another"))
    assert client.get(url(other, "link_document", docs["cert.pdf"].pk)).status_code == 404
    client.post(url(q, "link_save"), {**page_form(q), "remove": [docs["notes.txt"].pk]})
    assert [d.original_name for d in Document.objects.for_org(cast.acme)] == ["cert.pdf"]


def test_a_submit_marks_what_is_missing_then_goes_through_once(cast, client, committed):
    q = sent(cast.acme, cast.owner)
    values = good_answers(cast.acme, q)
    values.pop("vvttt")
    refused = client.post(
        url(q, "link_submit"), {**page_form(q, **values), "respondent_name": "Rosa"}
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="save-state" class="small muted"' in html  # the draft was kept
    assert html.count("errorlist") >= 2  # the message and the question marked
    assert (
        Answer.objects.for_org(cast.acme).get(questionnaire=q, key="seal-procedure").value == "yes"
    )
    with committed():
        done = client.post(
            url(q, "link_submit"),
            {**page_form(q, vvttt="yes"), "respondent_name": "Rosa", "confirm": "on"},
        )
    assert done.status_code == 302
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).status == Status.SUBMITTED
    after = client.get(url(q)).content.decode()
    assert "Sus respuestas" in after or "Your answers" in after
    assert 'name="a-vvttt"' not in after  # read-only now
    twice = client.post(
        url(q, "link_submit"), {**page_form(q), "respondent_name": "Rosa", "confirm": "on"}
    )
    assert twice.status_code == 409


def test_an_expired_or_revoked_link_says_what_to_do_and_shows_nothing_else(cast, client):
    q = sent(cast.acme, cast.owner)
    client.post(url(q, "link_save"), page_form(q, vvttt="yes"))
    Questionnaire.objects.for_org(cast.acme).filter(pk=q.pk).update(expires_at=timezone.now())
    expired = client.get(url(q))
    html = expired.content.decode()
    assert expired.status_code == 410
    assert cast.owner.email in html
    assert "¿Cada contenedor" not in html
    assert client.post(url(q, "link_save"), page_form(q, vvttt="no")).status_code == 410
    assert Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt").value == "yes"
    q = Questionnaire.objects.for_org(cast.acme).get(pk=q.pk)
    q = services.reissue_link(
        org=cast.acme, actor=cast.owner, questionnaire=q, expected_version=q.version
    )
    assert 'value="yes" id="id_a-vvttt_0" checked' in client.get(url(q)).content.decode()
    services.revoke_link(
        org=cast.acme, actor=cast.owner, questionnaire=q, expected_version=q.version
    )
    revoked = client.get(url(q))
    assert revoked.status_code == 410
    assert "¿Cada contenedor" not in revoked.content.decode()


def test_corrections_reopen_the_link_with_the_reviewers_notes(cast, client):
    q = submitted(cast.acme, cast.owner, vvttt="no")
    answer = Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt")
    services.score_answer(
        org=cast.acme,
        actor=cast.owner,
        answer=answer,
        score=0,
        note="Train the loaders on VVTTT.",
        expected_version=answer.version,
    )
    q = Questionnaire.objects.for_org(cast.acme).get(pk=q.pk)
    services.request_corrections(
        org=cast.acme,
        actor=cast.owner,
        questionnaire=q,
        note="See the note on seals.",
        expected_version=q.version,
    )
    html = client.get(url(q)).content.decode()
    assert "See the note on seals." in html
    assert "Train the loaders on VVTTT." in html
    assert 'name="a-vvttt"' in html


def test_hostile_values_in_every_field_never_answer_a_server_error(cast, client):
    q = sent(cast.acme, cast.owner)
    fields = {
        **page_form(q),
        "respondent_name": "",
        "respondent_role": "",
        "confirm": "on",
        "remove": "",
    }
    for value in HOSTILE:
        for name in ("link_save", "link_submit"):
            data = dict.fromkeys(fields, value)
            status = client.post(url(q, name), data).status_code
            assert status < 500, (name, value[:20], status)
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).status == Status.SENT


def test_the_link_reads_as_few_queries_with_2_documents_as_with_20(cast, client):
    q = sent(cast.acme, cast.owner)

    def count() -> int:
        client.get(url(q))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(q)).status_code == 200
        return len(queries)

    def upload(n: int) -> None:
        for i in range(n):
            services.save_draft(
                questionnaire=selectors.by_token(token(q)),
                draft=services.Draft(
                    files=[
                        ("procedures", SimpleUploadedFile(f"p{i}.txt", f"procedure {i}".encode()))
                    ]
                ),
            )

    upload(2)
    few = count()
    upload(18)
    assert count() == few <= 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by itself")
def test_four_submits_at_once_submit_once(cast):
    q = sent(cast.acme, cast.owner)
    data = {
        **page_form(q, **good_answers(cast.acme, q)),
        "respondent_name": "Rosa",
        "confirm": "on",
    }
    start = threading.Barrier(4)
    statuses: list[int] = []

    def run() -> None:
        try:
            start.wait()
            statuses.append(Client().post(url(q, "link_submit"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 409, 409, 409]
    entries = Questionnaire.objects.for_org(cast.acme).get(pk=q.pk)
    assert entries.status == Status.SUBMITTED
