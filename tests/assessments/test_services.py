"""The rules of self-assessments, asked of the services directly: the page, the API and a
script get the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safelane.assessments import services
from safelane.assessments.models import Response, Status
from safelane.catalog import services as catalog_services
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.evidence import services as evidence_services
from tests.factories import NARRATIVE, answer, evidence, importer_cycle, next_cycle, response


def test_starting_a_cycle_creates_a_response_per_criterion_in_scope(cast):
    catalog_services.save_own_criterion(
        org=cast.acme,
        actor=cast.owner,
        values={
            "code": "ACME-1",
            "must_should": "must",
            "requirement": "Dock doors badge-controlled.",
        },
    )
    cycle = importer_cycle(cast)
    responses = Response.objects.for_org(cast.acme).filter(cycle=cycle)
    assert responses.count() == 94 + 1
    assert responses.filter(must_should="must").count() == 61 + 1
    assert responses.last().criterion_ident == "own:ACME-1"


def test_starting_needs_criteria_in_scope(cast):
    with pytest.raises(DomainError, match="choose your entity types"):
        services.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Empty")


def test_only_managers_start_an_assessment(cast):
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    with pytest.raises(NotAllowedError, match="managers and owners"):
        services.start_cycle(org=cast.acme, actor=cast.contributor, kind="initial", title="X")


def test_starting_a_cycle_takes_a_fixed_number_of_queries(cast):
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = services.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Warm-up")
    counts = []
    for n in (2, 20):
        services.close_cycle(org=cast.acme, actor=cast.owner, cycle=cycle)
        for i in range(n):
            catalog_services.save_own_criterion(
                org=cast.acme,
                actor=cast.owner,
                values={"code": f"N{n}-{i}", "must_should": "must", "requirement": "x"},
            )
        with CaptureQueriesContext(connection) as queries:
            cycle = services.start_cycle(
                org=cast.acme, actor=cast.owner, kind="initial", title=f"Counted {n}"
            )
        # SQLite caps parameters per statement, so its bulk insert comes in more batches as
        # the set grows; PostgreSQL inserts all responses in one statement.
        inserts = [
            q
            for q in queries.captured_queries
            if q["sql"].startswith('INSERT INTO "assessments_response"')
        ]
        if connection.vendor == "postgresql":
            assert len(inserts) == 1
        counts.append(len(queries) - len(inserts))
    assert counts[0] == counts[1]
    assert counts[0] <= 13


def test_one_assessment_is_open_at_a_time(cast):
    first = importer_cycle(cast)
    with pytest.raises(DomainError, match="Initial 2026 is still open: close it first"):
        services.start_cycle(org=cast.acme, actor=cast.owner, kind="annual", title="Second")
    services.close_cycle(org=cast.acme, actor=cast.owner, cycle=first)
    second = services.start_cycle(org=cast.acme, actor=cast.owner, kind="annual", title="Second")
    assert second.closed_at is None


def test_not_applicable_needs_a_reason(cast):
    cycle = importer_cycle(cast)
    with pytest.raises(DomainError, match="Explain why"):
        answer(cast, cycle, "9.2", Status.NOT_APPLICABLE, narrative="")


def test_a_stale_edit_is_refused(cast):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    services.update_response(
        org=cast.acme,
        actor=cast.owner,
        response=r,
        expected_version=1,
        values={"narrative": NARRATIVE},
    )
    with pytest.raises(ConflictError):
        services.update_response(
            org=cast.acme,
            actor=cast.manager,
            response=r,
            expected_version=1,
            values={"narrative": "Other"},
        )
    r.refresh_from_db()
    assert r.narrative == NARRATIVE


def test_a_viewer_cannot_answer_whichever_door_they_use(cast):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    with pytest.raises(NotAllowedError):
        services.update_response(
            org=cast.acme,
            actor=cast.viewer,
            response=r,
            expected_version=r.version,
            values={"narrative": NARRATIVE},
        )


def test_a_change_after_sign_off_needs_a_new_review(cast):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    r = services.sign_off(org=cast.acme, actor=cast.manager, response=r, expected_version=r.version)
    assert r.reviewed_by == cast.manager
    r = services.update_response(
        org=cast.acme,
        actor=cast.owner,
        response=r,
        expected_version=r.version,
        values={"narrative": NARRATIVE + " Logs are kept two years."},
    )
    assert r.reviewed_at is None


def test_a_signed_off_answer_is_signed_again_only_after_a_change(cast):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    r = services.sign_off(org=cast.acme, actor=cast.manager, response=r, expected_version=r.version)
    with pytest.raises(DomainError, match="signed off already"):
        services.sign_off(org=cast.acme, actor=cast.owner, response=r, expected_version=r.version)
    r.refresh_from_db()
    assert r.reviewed_by == cast.manager
    r = services.update_response(
        org=cast.acme,
        actor=cast.contributor,
        response=r,
        expected_version=r.version,
        values={"narrative": NARRATIVE + " And at Laredo."},
    )
    r = services.sign_off(org=cast.acme, actor=cast.owner, response=r, expected_version=r.version)
    assert r.reviewed_by == cast.owner


def test_only_a_manager_signs_off_even_from_a_script(cast):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    with pytest.raises(NotAllowedError, match="Only managers and owners sign off"):
        services.sign_off(
            org=cast.acme, actor=cast.contributor, response=r, expected_version=r.version
        )
    r.refresh_from_db()
    assert r.reviewed_at is None


def test_a_sign_off_never_covers_an_edit_the_manager_did_not_see(cast):
    cycle = importer_cycle(cast)
    read = answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "6.2", Status.PARTIAL, narrative="Seals at one dock only, for now.")
    with pytest.raises(ConflictError):
        services.sign_off(
            org=cast.acme, actor=cast.manager, response=read, expected_version=read.version
        )
    stored = response(cast, cycle, "6.2")
    assert stored.reviewed_at is None


def test_an_unanswered_criterion_cannot_be_signed_off(cast):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    with pytest.raises(DomainError, match="Answer the criterion"):
        services.sign_off(org=cast.acme, actor=cast.manager, response=r, expected_version=None)


def closed_cycle(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    return cycle


def test_a_closed_assessment_keeps_its_answers_as_they_are(cast):
    cycle = closed_cycle(cast)
    r = response(cast, cycle, "6.2")
    with pytest.raises(DomainError, match="closed"):
        answer(cast, cycle, "6.2", Status.NOT_MET)
    with pytest.raises(DomainError, match="closed"):
        services.sign_off(org=cast.acme, actor=cast.manager, response=r, expected_version=None)
    with pytest.raises(DomainError, match="closed"):
        services.add_comment(org=cast.acme, actor=cast.manager, response=r, text="Late note")
    with pytest.raises(DomainError, match="closed"):
        evidence(cast, subject=r)
    r.refresh_from_db()
    assert (r.status, r.reviewed_at, r.comments.count(), r.evidence_links.count()) == (
        Status.MET,
        None,
        0,
        0,
    )


def test_evidence_linked_before_closing_stays_linked(cast):
    cycle = importer_cycle(cast)
    r = answer(cast, cycle, "6.2", Status.MET)
    doc = evidence(cast, subject=r)
    services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    link = r.evidence_links.get()
    with pytest.raises(DomainError, match="closed"):
        evidence_services.unlink(org=cast.acme, actor=cast.owner, link=link)
    assert r.evidence_links.get().evidence == doc


def test_closing_twice_changes_nothing(cast):
    cycle = closed_cycle(cast)
    cycle.refresh_from_db()
    closed_at = cycle.closed_at
    with pytest.raises(DomainError, match="already closed"):
        services.close_cycle(org=cast.acme, actor=cast.manager, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.closed_at == closed_at


def test_only_managers_close_an_assessment(cast):
    cycle = importer_cycle(cast)
    with pytest.raises(NotAllowedError):
        services.close_cycle(org=cast.acme, actor=cast.contributor, cycle=cycle)


def test_comments_are_audited_and_need_text(cast):
    cycle = importer_cycle(cast)
    r = response(cast, cycle, "6.2")
    with pytest.raises(NotAllowedError):
        services.add_comment(org=cast.acme, actor=cast.viewer, response=r, text="x")
    with pytest.raises(DomainError, match="Write the comment"):
        services.add_comment(org=cast.acme, actor=cast.manager, response=r, text="  ")
    comment = services.add_comment(org=cast.acme, actor=cast.manager, response=r, text="Check it")
    assert AuditEntry.objects.for_org(cast.acme).for_object(comment).get().actor == cast.manager


def test_the_next_cycle_starts_from_the_last_answers(cast):
    first = importer_cycle(cast)
    answer(cast, first, "6.2", Status.PARTIAL, narrative="Seals at Joliet only.")
    second = next_cycle(cast, first)
    carried = response(cast, second, "6.2")
    assert (carried.status, carried.narrative) == (Status.PARTIAL, "Seals at Joliet only.")


def _carried_links(cast, cycle, ident):
    from safelane.evidence import selectors as evidence_selectors

    return evidence_selectors.links_of(cast.acme, response(cast, cycle, ident))


def test_the_next_cycle_keeps_the_evidence_of_carried_answers(cast):
    first = importer_cycle(cast)
    met = answer(cast, first, "6.2", Status.MET)
    doc = evidence(cast, subject=met)
    services.close_cycle(org=cast.acme, actor=cast.owner, cycle=first)
    second = next_cycle(cast, first)
    links = _carried_links(cast, second, "6.2")
    assert [link.evidence for link in links] == [doc]
    assert links[0].criterion_ident == "6.2"
    assert (links[0].carried, links[0].to_confirm) == (True, "")
    # Last year's answer keeps its own link; the new one is a link of its own.
    assert len(_carried_links(cast, first, "6.2")) == 1
    entry = AuditEntry.objects.for_org(cast.acme).for_object(second).get()
    assert entry.changes["evidence_links"] == [None, 1]


def test_carried_evidence_that_expired_or_changed_asks_to_be_confirmed(cast):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    first = importer_cycle(cast)
    expired = evidence(cast, "Old seal SOP", subject=answer(cast, first, "6.2", Status.MET))
    evidence_services.update_evidence(
        org=cast.acme,
        actor=cast.owner,
        evidence=expired,
        expected_version=expired.version,
        values={"review_date": datetime.date(2020, 1, 1)},
    )
    other = (
        "Visitors sign in at the Joliet gate; the guard checks photo ID and issues a badge, logged."
    )
    changed = evidence(
        cast, "Access policy", subject=answer(cast, first, "10.1", Status.MET, narrative=other)
    )
    evidence_services.add_version(
        org=cast.acme,
        actor=cast.owner,
        evidence=changed,
        upload=SimpleUploadedFile("access-v2.txt", b"badges for everyone"),
    )
    archived = evidence(
        cast, "Retired form", subject=answer(cast, first, "4.1", Status.PARTIAL, narrative="x")
    )
    evidence_services.archive(org=cast.acme, actor=cast.owner, evidence=archived)
    second = next_cycle(cast, first)
    assert [x.to_confirm for x in _carried_links(cast, second, "6.2")] == ["expired"]
    assert [x.to_confirm for x in _carried_links(cast, second, "10.1")] == ["changed"]
    assert _carried_links(cast, second, "4.1") == []
    link = _carried_links(cast, second, "10.1")[0]
    with pytest.raises(NotAllowedError):
        evidence_services.confirm_link(
            org=cast.acme, actor=cast.viewer, link=link, expected_version=link.version
        )
    confirmed = evidence_services.confirm_link(
        org=cast.acme, actor=cast.contributor, link=link, expected_version=link.version
    )
    assert confirmed.to_confirm == ""
    with pytest.raises(DomainError, match="confirmed already"):
        evidence_services.confirm_link(
            org=cast.acme, actor=cast.contributor, link=confirmed, expected_version=None
        )
