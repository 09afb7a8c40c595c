"""The assessment pages: each button posts to its own address, refusals answer 4xx."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.assessments import services
from safelane.assessments.models import Response, Status
from safelane.catalog import services as catalog_services
from safelane.core.models import AuditEntry
from safelane.evidence import services as evidence_services
from safelane.evidence.models import Evidence
from tests.factories import NARRATIVE, answer, importer_cycle, next_cycle, response


def url(cast, name, r):
    return reverse(f"assessments:{name}", args=[cast.acme.slug, r.pk])


def test_answering_on_the_page_saves_and_audits(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    page = as_user(cast.contributor).post(
        url(cast, "response_save", r),
        {"status": "met", "narrative": NARRATIVE, "version": r.version},
    )
    assert page.status_code == 302
    assert page["Location"] == url(cast, "response", r)
    r.refresh_from_db()
    assert (r.status, r.narrative, r.version) == ("met", NARRATIVE, 2)
    entry = AuditEntry.objects.for_org(cast.acme).for_object(r).get()
    assert entry.changes["status"] == ["not-started", "met"]
    assert entry.actor == cast.contributor


def test_a_refused_answer_shows_the_page_again_with_400(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "9.2")
    page = as_user(cast.contributor).post(
        url(cast, "response_save", r), {"status": "not-applicable", "version": r.version}
    )
    assert page.status_code == 400
    assert "Explain why this criterion does not apply" in page.content.decode()
    r.refresh_from_db()
    assert r.status == Status.NOT_STARTED


def test_a_stale_answer_shows_both_versions_with_409(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    answer(cast, cycle, "6.2", Status.MET)
    page = as_user(cast.contributor).post(
        url(cast, "response_save", r),
        {"status": "not-met", "narrative": "Mine", "version": r.version},
    )
    assert page.status_code == 409
    assert 'data-testid="conflict"' in page.content.decode()


def test_a_manager_signs_off_what_they_read(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    client = as_user(cast.manager)
    page = client.get(url(cast, "response", r))
    assert page.context["signoff_form"].initial["version"] == r.version
    done = client.post(url(cast, "response_sign_off", r), {"version": r.version})
    assert done.status_code == 302
    assert done["Location"].endswith("#review")
    r.refresh_from_db()
    assert r.reviewed_by == cast.manager


def test_a_sign_off_of_an_answer_changed_since_is_refused_with_409(cast, as_user):
    cycle = importer_cycle(cast)
    read = answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "6.2", Status.MET, narrative=NARRATIVE + " And at Laredo.")
    page = as_user(cast.manager).post(
        url(cast, "response_sign_off", read), {"version": read.version}
    )
    assert page.status_code == 409
    assert "Someone else saved this record" in page.content.decode()
    assert response(cast, cycle, "6.2").reviewed_at is None


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_only_managers_reach_the_sign_off_button(cast, as_user, role):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    page = as_user(getattr(cast, role)).post(
        url(cast, "response_sign_off", r), {"version": r.version}
    )
    assert page.status_code == 403


def test_comments_post_to_their_own_address(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    client = as_user(cast.contributor)
    done = client.post(url(cast, "response_comment", r), {"text": "Photos come Friday."})
    assert done.status_code == 302
    assert done["Location"].endswith("#comments")
    assert "Photos come Friday." in client.get(url(cast, "response", r)).content.decode()
    assert client.post(url(cast, "response_comment", r), {"text": ""}).status_code == 400


def test_the_answer_page_only_reads(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    assert as_user(cast.owner).post(url(cast, "response", r), {"save": "1"}).status_code == 405


def test_a_closed_assessment_refuses_changes_on_its_pages(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    client = as_user(cast.manager)
    page = client.post(
        url(cast, "response_save", r), {"status": "not-met", "narrative": "x", "version": r.version}
    )
    assert page.status_code == 400
    assert "closed" in page.content.decode()
    assert client.post(url(cast, "response_comment", r), {"text": "Late"}).status_code == 400
    html = client.get(url(cast, "response", r)).content.decode()
    assert "Sign off</button>" not in html


def test_closing_an_assessment_from_its_page(cast, as_user):
    cycle = importer_cycle(cast)
    client = as_user(cast.manager)
    form = client.get(url(cast, "cycle", cycle)).context["close_form"]
    done = client.post(url(cast, "close", cycle), {"version": form.initial["version"]})
    assert done.status_code == 302
    cycle.refresh_from_db()
    assert cycle.closed_at is not None
    again = client.post(url(cast, "close", cycle), {"version": cycle.version})
    assert again.status_code == 400
    assert "already closed" in again.content.decode()


def test_evidence_is_attached_by_searching_the_library(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    for title in ("Seal log 2026", "Visitor policy"):
        evidence_services.create_evidence(
            org=cast.acme,
            actor=cast.owner,
            values={"title": title},
            upload=SimpleUploadedFile("e.txt", b"record"),
        )
    client = as_user(cast.contributor)
    attach = reverse("evidence:attach_response", args=[cast.acme.slug, r.pk])
    found = client.get(attach, {"q": "seal"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Seal log 2026" in found
    assert "Visitor policy" not in found
    assert "<html" not in found  # only the results, for HTMX to put under the search box
    chosen = Evidence.objects.for_org(cast.acme).get(title="Seal log 2026")
    assert f'name="evidence" value="{chosen.pk}"' in found
    done = client.post(attach, {"evidence": chosen.pk})
    assert done["Location"] == url(cast, "response", r) + "#evidence"
    link = r.evidence_links.get()
    assert (link.evidence, link.criterion_ident) == (chosen, "6.2")
    again = client.get(attach, {"q": "seal"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing in the library matches" in again


def test_the_page_shows_scores_and_the_chart(cast, as_user):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    html = as_user(cast.viewer).get(url(cast, "cycle", cycle)).content.decode()
    assert "1/61" in html
    assert "<svg" in html
    assert "Progress by category" in html


def test_the_assessment_page_filters_like_the_api(cast, as_user):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    client = as_user(cast.viewer)
    met = client.get(url(cast, "cycle", cycle), {"status": "met"}).context["shown"]
    assert [r.criterion_ident for r in met] == ["6.2"]
    seals = client.get(url(cast, "cycle", cycle), {"category": "6"}).context["shown"]
    assert {r.category for r in seals} == {6}
    assert client.get(url(cast, "cycle", cycle), {"category": "²"}).context["shown"] == []
    assert client.get(url(cast, "cycle", cycle), {"status": "nope"}).status_code == 400


def test_the_portal_view_offers_text_to_copy(cast, as_user):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    html = as_user(cast.viewer).get(url(cast, "portal", cycle)).content.decode()
    assert NARRATIVE in html
    assert 'data-copy="portal-' in html


def test_what_changed_since_last_year(cast, as_user):
    first = importer_cycle(cast)
    answer(cast, first, "6.2", Status.PARTIAL, narrative="Seals at Joliet only.")
    second = next_cycle(cast, first)
    answer(cast, second, "6.2", Status.PARTIAL, narrative="Seals at Joliet and Laredo.")
    page = as_user(cast.viewer).get(url(cast, "compare", second))
    assert [c.ident for c in page.context["changes"]] == ["6.2"]
    assert "Seals at Joliet <del>only.</del> <ins>and Laredo.</ins>" in page.content.decode()
    odd = as_user(cast.viewer).get(url(cast, "compare", second), {"with": "²"})
    assert odd.status_code == 200


def own_only_cycle(cast, count):
    for n in range(count):
        catalog_services.save_own_criterion(
            org=cast.acme,
            actor=cast.owner,
            values={"code": f"C-{n:02d}", "must_should": "must", "requirement": f"Control {n}"},
        )
    return services.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Own")


@pytest.mark.parametrize("count", [2, 20])
def test_each_answer_shows_its_evidence_count(cast, as_user, count):
    cycle = own_only_cycle(cast, count)
    for r in Response.objects.for_org(cast.acme).filter(cycle=cycle):
        evidence_services.create_evidence(
            org=cast.acme,
            actor=cast.owner,
            values={"title": f"E {r.pk}"},
            upload=SimpleUploadedFile("e.txt", b"record"),
            subject=r,
        )
    page = as_user(cast.viewer).get(url(cast, "cycle", cycle))
    assert page.content.decode().count('class="small">1</td>') == count


def test_a_refused_answer_leaves_the_stored_status_in_the_heading(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "9.2", Status.MET)
    page = as_user(cast.contributor).post(
        url(cast, "response_save", r),
        {"status": "not-applicable", "narrative": NARRATIVE, "version": r.version},
    )
    assert page.status_code == 400
    heading = re.search(r"<h1>(.*?)</h1>", page.content.decode(), re.S).group(1)
    assert '<span class="badge status-met">Met</span>' in heading
    assert "Not applicable" not in heading
    # The form still holds what was typed, to correct.
    assert page.context["form"]["status"].value() == "not-applicable"


def test_a_closed_answer_is_shown_read_only(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    page = as_user(cast.contributor).get(url(cast, "response", r))
    form = page.context["form"]
    assert all(field.disabled for field in form.fields.values())
    html = page.content.decode()
    assert re.search(r'<select name="status"[^>]* disabled', html)
    assert "can no longer be changed" in html


def test_a_stale_save_after_closing_is_said_once(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    client = as_user(cast.contributor)
    client.get(url(cast, "response", r))
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    page = client.post(
        url(cast, "response_save", r),
        {"status": "not-met", "narrative": "Change after close", "version": r.version},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("closed") == 1
    assert "nothing of yours was saved" in html
    assert "Change after close" not in html  # the answer as kept, read-only


def test_sign_off_is_offered_until_signed_then_says_by_whom(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    client = as_user(cast.manager)
    assert "Sign off</button>" in client.get(url(cast, "response", r)).content.decode()
    client.post(url(cast, "response_sign_off", r), {"version": r.version})
    html = client.get(url(cast, "response", r)).content.decode()
    assert "Sign off</button>" not in html
    assert "by Manuel Manager on" in html


def test_a_comment_is_confirmed(cast, as_user):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    page = as_user(cast.contributor).post(
        url(cast, "response_comment", r), {"text": "Photos come Friday."}, follow=True
    )
    assert "The comment was added." in page.content.decode()


def test_a_comment_refused_by_the_closing_is_said_at_the_comments(cast, as_user):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    page = as_user(cast.contributor).post(url(cast, "response_comment", r), {"text": "Late"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "your comment was not added" in html
    assert "nothing of yours was saved" not in html


def test_carried_evidence_is_shown_and_confirmed_on_the_answer(cast, as_user):
    import datetime

    first = importer_cycle(cast)
    doc = evidence_services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": "Seal SOP", "review_date": datetime.date(2020, 1, 1)},
        upload=SimpleUploadedFile("sop.txt", b"seal procedure"),
        subject=answer(cast, first, "6.2", Status.MET),
    )
    second = next_cycle(cast, first)
    carried = response(cast, second, "6.2")
    client = as_user(cast.contributor)
    html = client.get(url(cast, "response", carried)).content.decode()
    assert "Seal SOP" in html
    assert "past its review date" in html
    link = doc.links.get(subject_id=carried.pk)
    confirm = reverse("evidence:confirm_link", args=[cast.acme.slug, link.pk])
    assert f'action="{confirm}"' in html or f'hx-post="{confirm}"' in html
    # An auditor sees the prompt but no button, and cannot confirm by posting.
    viewer_html = as_user(cast.viewer).get(url(cast, "response", carried)).content.decode()
    assert "past its review date" in viewer_html
    assert confirm not in viewer_html
    assert as_user(cast.viewer).post(confirm, {"version": link.version}).status_code == 403
    done = client.post(confirm, {"version": link.version})
    assert done.status_code == 302
    html = client.get(done["Location"]).content.decode()
    assert "past its review date" not in html
    assert "carried over, confirmed" in html


def test_the_profile_options_reach_the_document(cast, as_user):
    from pypdf import PdfReader

    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    client = as_user(cast.viewer)
    html = client.get(url(cast, "cycle", cycle)).content.decode()
    assert 'name="musts_only"' in html
    assert 'name="skip_not_started"' in html
    whole = client.get(url(cast, "export_pdf", cycle))
    short = client.get(url(cast, "export_pdf", cycle), {"skip_not_started": "1"})
    pages = len(PdfReader(io.BytesIO(short.content)).pages)
    assert pages < len(PdfReader(io.BytesIO(whole.content)).pages)
    assert pages <= 5


def test_an_auditor_may_build_the_evidence_package(cast, as_user, committed):
    cycle = importer_cycle(cast)
    with committed():
        response = as_user(cast.viewer).post(url(cast, "package", cycle))
    assert response.status_code == 302


def test_the_portal_copy_stays_in_english_for_a_spanish_reader(cast, as_user):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "9.2", Status.NOT_APPLICABLE, narrative="", justification="Sin patio.")
    client = as_user(cast.viewer)
    client.post(reverse("set_language"), {"language": "es"})
    html = client.get(url(cast, "portal", cycle)).content.decode()
    assert "Not applicable: Sin patio." in html
