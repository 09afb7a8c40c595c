"""Mapping as a user meets it: upload a document, the task reads it, the review proposes
passages per criterion, accept (evidence link and a draft that cannot be Met until rewritten),
reject (a likely gap again), a new version keeps the decisions, and what is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.assessments import services as assessment_services
from safelane.core.errors import DomainError
from safelane.evidence import services as evidence_services
from safelane.evidence.models import Evidence, EvidenceLink
from safelane.mapping import selectors, services, tasks
from safelane.mapping.models import MappedDocument, Proposal
from tests import factories
from tests.mapping import documents


def url(cast, name, *args):
    return reverse(f"mapping:{name}", args=[cast.acme.slug, *args])


def upload(client, cast, content, name="manual.pdf", title="Security manual"):
    return client.post(
        url(cast, "upload"), {"file": SimpleUploadedFile(name, content), "title": title}
    )


@pytest.fixture
def cycle(cast):
    return factories.importer_cycle(cast)


@pytest.fixture
def read(cast, cycle, as_user, committed):
    """The demo-like manual uploaded by a contributor and read by the task."""
    client = as_user(cast.contributor)
    with committed():
        done = upload(client, cast, documents.text_pdf())
    document = MappedDocument.objects.for_org(cast.acme).get()
    assert done["Location"] == url(cast, "document", document.pk)
    document.refresh_from_db()
    assert document.state == "done", document.message
    return client, document


def proposals_for(cast, text):
    return list(
        Proposal.objects.for_org(cast.acme).filter(passage__text__contains=text).order_by("rank")
    )


def test_the_seal_passage_is_proposed_for_a_seal_criterion_and_the_fire_drill_for_none(cast, read):
    client, document = read
    seal = proposals_for(cast, "locked cabinet")
    assert seal, "the seal passage is proposed"
    assert seal[0].criterion_ident.startswith("6."), [p.criterion_ident for p in seal]
    assert seal[0].spans, "the words that matched are kept for highlighting"
    assert proposals_for(cast, "evacuation drill") == []
    page = client.get(url(cast, "document", document.pk)).content.decode()
    assert "<mark>" in page
    assert seal[0].criterion_ident in page
    assert "without a passage in this document" in page
    in_order = client.get(url(cast, "document", document.pk) + "?by=document").content.decode()
    assert "No criterion proposed for this passage." in in_order  # the fire drill


def test_accepting_links_the_document_and_drafts_a_narrative_that_is_not_yet_met(cast, cycle, read):
    client, document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    done = client.post(url(cast, "accept", proposal.pk), {"version": proposal.version})
    assert done.status_code == 302
    answer = factories.response(cast, cycle, proposal.criterion_ident)
    assert (
        EvidenceLink.objects.for_org(cast.acme)
        .filter(subject_id=answer.pk, evidence=document.evidence)
        .exists()
    )
    assert answer.narrative.startswith("[Draft from Security manual, page 1, ")
    assert "locked cabinet" in answer.narrative
    with pytest.raises(DomainError) as refused:
        assessment_services.update_response(
            org=cast.acme,
            actor=cast.contributor,
            response=answer,
            expected_version=answer.version,
            values={"status": "met"},
        )
    assert "draft quoted from a document" in str(refused.value.message)
    proposal.refresh_from_db()
    assert (proposal.decision, proposal.decided_by) == ("accepted", cast.contributor)


def test_an_answer_in_its_own_words_keeps_them_when_a_passage_is_accepted(cast, cycle, read):
    _client, _document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    own = factories.answer(cast, cycle, proposal.criterion_ident, "partial")
    services.decide(
        org=cast.acme,
        actor=cast.contributor,
        proposal=proposal,
        decision="accepted",
        expected_version=proposal.version,
    )
    own.refresh_from_db()
    assert own.narrative == factories.NARRATIVE


def test_a_rejected_passage_leaves_its_criterion_a_likely_gap(cast, cycle, read):
    client, _document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    ident = proposal.criterion_ident
    others = Proposal.objects.for_org(cast.acme).filter(criterion_ident=ident)
    assert ident not in {a.criterion_ident for a in selectors.likely_gaps(cast.acme, cycle)}
    for p in others:
        client.post(url(cast, "reject", p.pk), {"version": p.version})
    assert ident in {a.criterion_ident for a in selectors.likely_gaps(cast.acme, cycle)}
    assert ident in client.get(url(cast, "list")).content.decode()
    # The document's own review counts it the same way.
    document = MappedDocument.objects.for_org(cast.acme).get()
    review = selectors.review(cast.acme, document, by="criterion", page=None)
    assert ident in {a.criterion_ident for a in review.gaps}


def test_a_stale_decision_is_refused_and_changes_nothing(cast, read):
    client, _document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    client.post(url(cast, "reject", proposal.pk), {"version": proposal.version})
    stale = client.post(url(cast, "accept", proposal.pk), {"version": proposal.version})
    assert stale.status_code == 409
    proposal.refresh_from_db()
    assert proposal.decision == "rejected"
    assert not EvidenceLink.objects.for_org(cast.acme).filter(subject_id__isnull=False).exists()


def test_a_new_version_of_the_document_keeps_the_decisions(cast, read, committed):
    _client, document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    services.decide(
        org=cast.acme,
        actor=cast.contributor,
        proposal=proposal,
        decision="rejected",
        expected_version=proposal.version,
    )
    evidence_services.add_version(
        org=cast.acme,
        actor=cast.contributor,
        evidence=document.evidence,
        upload=SimpleUploadedFile("manual-v2.pdf", documents.text_pdf()),
    )
    with committed():
        again = services.start(
            org=cast.acme, actor=cast.contributor, evidence=document.evidence, enqueue=tasks.enqueue
        )
    again.refresh_from_db()
    assert again.evidence_version.number == 2
    kept = Proposal.objects.for_org(cast.acme).get(
        passage__document=again,
        criterion_ident=proposal.criterion_ident,
        passage__text__contains="locked cabinet",
    )
    assert (kept.decision, kept.carried) == ("rejected", True)


def test_a_scanned_pdf_says_it_holds_no_text(cast, cycle, as_user, committed):
    client = as_user(cast.contributor)
    with committed():
        done = upload(client, cast, documents.scanned_pdf(), name="scan.pdf")
    document = MappedDocument.objects.for_org(cast.acme).get()
    document.refresh_from_db()
    assert document.state == "failed"
    page = client.get(done["Location"]).content.decode()
    assert "text recognition (OCR)" in page
    assert "Read it again" in page


@pytest.mark.parametrize(
    ("name", "says"),
    [("photo.png", "Safelane reads PDF"), ("notes.txt", "Start a self-assessment first")],
)
def test_what_cannot_be_mapped_is_refused_and_nothing_is_stored(cast, as_user, name, says):
    client = as_user(cast.contributor)
    if name.endswith(".png"):
        factories.importer_cycle(cast)
    refused = upload(client, cast, b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"x", name)
    assert refused.status_code == 400
    assert says in refused.content.decode()
    assert not Evidence.objects.for_org(cast.acme).exists()
    assert not MappedDocument.objects.for_org(cast.acme).exists()


def test_a_viewer_reads_the_review_without_buttons(cast, read, as_user):
    _client, document = read
    page = as_user(cast.viewer).get(url(cast, "document", document.pk)).content.decode()
    assert "<mark>" in page
    assert ">Accept<" not in page
    lists = as_user(cast.viewer).get(url(cast, "list")).content.decode()
    assert "Upload and read" not in lists


@pytest.mark.parametrize("by", ["criterion", "document"])
def test_the_review_reads_the_same_number_of_queries_for_a_short_and_a_long_document(
    cast, cycle, as_user, committed, by
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(cast.contributor)
    counts = []
    for copies in (1, 6):
        body = documents.MANUAL_HTML.split("<body>")[1].split("</body>")[0]
        html = "<html><body>" + body * copies + "</body></html>"
        with committed():
            done = upload(client, cast, documents.text_pdf(html), title=f"Manual x{copies}")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(done["Location"] + f"?by={by}")
        assert page.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_document_of_another_organisation_cannot_be_read_from_here(cast, cycle, as_user):
    theirs = evidence_services.create_evidence(
        org=cast.norte,
        actor=cast.outsider,
        values={"title": "Norte manual"},
        upload=SimpleUploadedFile("norte.txt", b"Los sellos se revisan en la caseta."),
    )
    refused = as_user(cast.contributor).post(url(cast, "map_evidence"), {"evidence": theirs.pk})
    assert refused.status_code == 400
    assert not MappedDocument.objects.for_org(cast.acme).exists()
    assert not MappedDocument.objects.for_org(cast.norte).exists()


def test_an_installed_second_ranker_reorders_the_best_proposals(cast, cycle, monkeypatch, read):
    from safelane.mapping.ranking import Proposal as Ranked
    from safelane.mapping.ranking import embedding

    class Upside:
        """A stand-in for a local model: puts the lexical ranker's tenth best first."""

        def rerank(self, text, proposals):
            return [
                Ranked(p.ident, 0.99 if i == len(proposals) - 1 else p.score, p.spans)
                for i, p in enumerate(proposals)
            ][::-1]

    _client, document = read
    before = [p.criterion_ident for p in proposals_for(cast, "locked cabinet")]
    monkeypatch.setattr(embedding, "embedding_ranker", lambda criteria: Upside())
    evidence_services.add_version(
        org=cast.acme,
        actor=cast.contributor,
        evidence=document.evidence,
        upload=SimpleUploadedFile("manual-v2.pdf", documents.text_pdf()),
    )
    again = services.start(
        org=cast.acme, actor=cast.contributor, evidence=document.evidence, enqueue=lambda d: None
    )
    services.read(org=cast.acme, document=again, progress=lambda done, total: None)
    after = [
        p.criterion_ident
        for p in Proposal.objects.for_org(cast.acme)
        .filter(passage__document=again, passage__text__contains="locked cabinet")
        .order_by("rank")
    ]
    assert after
    assert after[0] not in before[:1]


@pytest.mark.parametrize(
    "rewrite",
    [
        lambda draft: f"{factories.NARRATIVE}\n\n{draft}",  # own words first, the draft kept
        lambda draft: draft.replace("[Draft", "[draft"),  # the marker's case changed
    ],
)
def test_the_draft_line_anywhere_in_any_case_keeps_the_answer_from_met(cast, cycle, read, rewrite):
    _client, _document = read
    proposal = proposals_for(cast, "locked cabinet")[0]
    services.decide(
        org=cast.acme,
        actor=cast.contributor,
        proposal=proposal,
        decision="accepted",
        expected_version=proposal.version,
    )
    answer = factories.response(cast, cycle, proposal.criterion_ident)
    with pytest.raises(DomainError):
        assessment_services.update_response(
            org=cast.acme,
            actor=cast.contributor,
            response=answer,
            expected_version=answer.version,
            values={"status": "met", "narrative": rewrite(answer.narrative)},
        )


def test_reading_the_same_version_again_opens_its_review_and_a_failed_reading_gives_way(
    cast, cycle, read, committed
):
    client, document = read
    again = client.post(url(cast, "map_evidence"), {"evidence": document.evidence_id})
    assert again["Location"] == url(cast, "document", document.pk)
    assert MappedDocument.objects.for_org(cast.acme).count() == 1
    MappedDocument.objects.for_org(cast.acme).filter(pk=document.pk).update(state="failed")
    with committed():
        retried = client.post(url(cast, "map_evidence"), {"evidence": document.evidence_id})
    fresh = MappedDocument.objects.for_org(cast.acme).get()
    assert fresh.pk != document.pk
    assert retried["Location"] == url(cast, "document", fresh.pk)


def test_the_progress_bar_asks_for_the_document_alone_and_reloads_when_it_is_read(
    cast, cycle, read, django_assert_max_num_queries
):
    client, document = read
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "progress"}
    MappedDocument.objects.for_org(cast.acme).filter(pk=document.pk).update(state="running")
    with django_assert_max_num_queries(6):  # session, user, membership, the document
        running = client.get(url(cast, "document", document.pk), **poll)
    body = running.content.decode()
    assert 'id="progress"' in body
    assert "<mark>" not in body
    assert "HX-Refresh" not in running.headers
    MappedDocument.objects.for_org(cast.acme).filter(pk=document.pk).update(state="done")
    done = client.get(url(cast, "document", document.pk), **poll)
    assert done.headers["HX-Refresh"] == "true"
