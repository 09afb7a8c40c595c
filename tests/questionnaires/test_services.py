"""The rules of security questionnaires, whichever door a change comes by: templates, sending,
the link, the review, acceptance into the partner's tier, actions, reminders and re-sends."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from safelane.actions.models import Action
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.evidence.models import EvidenceLink
from safelane.partners import services as partner_services
from safelane.partners.models import Partner
from safelane.questionnaires import links, selectors, services
from safelane.questionnaires.models import (
    Answer,
    Document,
    Question,
    Questionnaire,
    QuestionnaireTemplate,
    Status,
)
from tests.questionnaires.builders import (
    PDF,
    POOR,
    contact,
    good_answers,
    scored_by_a_person,
    sent,
    submitted,
    supplier,
    token,
)


def link_of(questionnaire):
    return selectors.by_token(token(questionnaire))


# Templates


def test_loading_the_shipped_templates_gives_each_once(cast):
    made = services.load_shipped_templates(org=cast.acme, actor=cast.manager)
    assert sorted(t.source_key for t in made) == [
        "carrier",
        "customs-broker",
        "highway-carrier",
        "logistics",
        "supplier",
    ]
    assert services.load_shipped_templates(org=cast.acme, actor=cast.owner) == []
    supplier_template = QuestionnaireTemplate.objects.for_org(cast.acme).get(source_key="supplier")
    follow_up = Question.objects.for_org(cast.acme).get(
        template=supplier_template, key="ctpat-account"
    )
    assert follow_up.follow_up_of.key == "ctpat-status"
    assert follow_up.shown_when == "ctpat"
    entry = AuditEntry.objects.for_org(cast.acme).for_object(supplier_template).get()
    assert entry.changes["loaded_from"] == [None, "supplier v1"]
    assert entry.changes["questions"] == [None, 49]
    assert QuestionnaireTemplate.objects.for_org(cast.norte).count() == 0


@pytest.mark.parametrize("who", ["contributor", "viewer"])
def test_only_managers_edit_templates(cast, who):
    services.load_shipped_templates(org=cast.acme, actor=cast.manager)
    template = QuestionnaireTemplate.objects.for_org(cast.acme).first()
    actor = getattr(cast, who)
    with pytest.raises(NotAllowedError):
        services.load_shipped_templates(org=cast.acme, actor=actor)
    with pytest.raises(NotAllowedError):
        services.update_template(
            org=cast.acme, actor=actor, template=template, expected_version=1, values={"name": "x"}
        )
    with pytest.raises(NotAllowedError):
        services.load_shipped_templates(org=cast.acme, actor=cast.outsider)


def new_template(cast):
    return services.create_template(
        org=cast.acme,
        actor=cast.manager,
        values={
            "name": "Our own",
            "partner_types": ["warehouse"],
            "low_from": 90,
            "medium_from": 70,
        },
    )


YES_NO = {"kind": "yes_no", "text": "Do you lock the gate?", "expected": "yes", "criteria": ["9.4"]}


def test_a_question_names_existing_criteria_and_its_rules(cast):
    template = new_template(cast)
    question = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values=YES_NO
    )
    assert (question.key, question.criteria, question.expected) == (
        "do-you-lock-the-gate",
        ["9.4"],
        "yes",
    )
    with pytest.raises(DomainError, match=r"99\.1 is not a criterion") as refused:
        services.add_question(
            org=cast.acme,
            actor=cast.manager,
            template=template,
            values={**YES_NO, "criteria": ["99.1"]},
        )
    assert refused.value.field == "criteria"
    with pytest.raises(DomainError, match="Name the criteria"):
        services.add_question(
            org=cast.acme, actor=cast.manager, template=template, values={**YES_NO, "criteria": []}
        )
    with pytest.raises(DomainError, match="from 2 to 20 choices"):
        services.add_question(
            org=cast.acme,
            actor=cast.manager,
            template=template,
            values={**YES_NO, "kind": "choice", "choices": [{"key": "a", "label": "A"}]},
        )
    text = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values={**YES_NO, "kind": "text"}
    )
    assert text.expected == ""
    assert text.key == "do-you-lock-the-gate-2"
    with pytest.raises(DomainError):
        services.create_template(
            org=cast.acme,
            actor=cast.manager,
            values={"name": "x", "low_from": 50, "medium_from": 80},
        )


def test_a_follow_up_shows_on_an_answer_of_a_question_of_the_same_template(cast):
    template = new_template(cast)
    gate = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values=YES_NO
    )
    follow = {"kind": "text", "text": "If no, describe.", "criteria": ["9.4"], "follow_up_of": gate}
    with pytest.raises(DomainError, match="yes, no") as refused:
        services.add_question(
            org=cast.acme,
            actor=cast.manager,
            template=template,
            values={**follow, "shown_when": "maybe"},
        )
    assert refused.value.field == "shown_when"
    made = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values={**follow, "shown_when": "no"}
    )
    assert made.follow_up_of_id == gate.pk
    with pytest.raises(DomainError, match="not a follow-up itself"):
        services.add_question(
            org=cast.acme,
            actor=cast.manager,
            template=template,
            values={**follow, "follow_up_of": made, "shown_when": "no"},
        )
    with pytest.raises(DomainError, match="Remove its follow-ups first"):
        services.update_question(
            org=cast.acme,
            actor=cast.manager,
            question=gate,
            expected_version=gate.version,
            values={**YES_NO, "kind": "text"},
        )
    other = new_template(cast)
    with pytest.raises(DomainError, match="same template"):
        services.add_question(
            org=cast.acme, actor=cast.manager, template=other, values={**follow, "shown_when": "no"}
        )
    services.delete_question(org=cast.acme, actor=cast.manager, question=gate)
    assert not Question.objects.for_org(cast.acme).filter(template=template).exists()


def test_questions_move_among_their_siblings_and_edits_check_the_version(cast):
    template = new_template(cast)
    first = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values=YES_NO
    )
    second = services.add_question(
        org=cast.acme, actor=cast.manager, template=template, values={**YES_NO, "text": "Lights?"}
    )
    services.move_question(org=cast.acme, actor=cast.manager, question=second, direction="up")
    tree = selectors.question_tree(cast.acme, template)
    assert [b.question.pk for b in tree] == [second.pk, first.pk]
    services.update_question(
        org=cast.acme,
        actor=cast.manager,
        question=first,
        expected_version=first.version,
        values={**YES_NO, "text": "Is the gate locked?"},
    )
    with pytest.raises(ConflictError):
        services.update_question(
            org=cast.acme,
            actor=cast.manager,
            question=first,
            expected_version=first.version,
            values={**YES_NO, "text": "Changed"},
        )


def test_a_copy_carries_every_question_and_follow_up(cast):
    services.load_shipped_templates(org=cast.acme, actor=cast.manager, keys=["supplier"])
    original = QuestionnaireTemplate.objects.for_org(cast.acme).get()
    copy = services.copy_template(org=cast.acme, actor=cast.manager, template=original)
    assert copy.name == f"Copy of {original.name}"
    assert copy.source_key == ""
    mine = {q.key: q for q in Question.objects.for_org(cast.acme).filter(template=copy)}
    theirs = {q.key: q for q in Question.objects.for_org(cast.acme).filter(template=original)}
    assert mine.keys() == theirs.keys()
    for key, q in mine.items():
        for field in (
            "kind",
            "text",
            "text_es",
            "choices",
            "criteria",
            "weight",
            "expected",
            "shown_when",
        ):
            assert getattr(q, field) == getattr(theirs[key], field), (key, field)
        parent = theirs[key].follow_up_of
        assert (q.follow_up_of.key if q.follow_up_of else None) == (parent.key if parent else None)
    services.archive_template(
        org=cast.acme, actor=cast.manager, template=original, expected_version=1
    )
    assert services.load_shipped_templates(org=cast.acme, actor=cast.manager, keys=["supplier"])


# Sending and the link


def test_sending_copies_the_questions_and_emails_a_link_in_the_contacts_language(cast, committed):
    with committed():
        q = sent(cast.acme, cast.contributor, days=10, message="Gracias, Rosa.")
    assert (q.language, q.recipient_email, q.status) == ("es", "rosa@acme-imports.example", "sent")
    answers = selectors.answers(cast.acme, q)
    assert len(answers) == 49
    assert answers[2].parent_key == "ctpat-status"
    assert abs((q.expires_at - timezone.now()) - datetime.timedelta(days=10)) < datetime.timedelta(
        minutes=1
    )
    (message,) = mail.outbox
    assert message.to == ["rosa@acme-imports.example"]
    assert "Gracias, Rosa." in message.body
    raw = token(q)
    assert links.address(raw) in message.body
    # Stored only as a fingerprint: neither the token nor its secret is in the row.
    stored = Questionnaire.objects.for_org(cast.acme).filter(pk=q.pk).values().get()
    assert raw not in str(stored)
    assert raw.partition(".")[2] not in str(stored)
    assert stored["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    # The template changes later; the questionnaire keeps what was asked.
    template = q.template
    question = Question.objects.for_org(cast.acme).get(template=template, key="vvttt")
    services.update_question(
        org=cast.acme,
        actor=cast.manager,
        question=question,
        expected_version=question.version,
        values={
            "kind": "yes_no",
            "text": "Changed",
            "criteria": ["6.7"],
            "expected": "yes",
            "follow_up_of": None,
        },
    )
    assert (
        Answer.objects.for_org(cast.acme)
        .get(questionnaire=q, key="vvttt")
        .text.startswith("Do the people")
    )


def test_sending_needs_a_contributor_a_live_partner_its_own_contact_and_no_open_duplicate(cast):
    partner = supplier(cast.acme, cast.owner)
    with pytest.raises(NotAllowedError):
        sent(cast.acme, cast.viewer, partner=partner)
    q = sent(cast.acme, cast.contributor, partner=partner)
    with pytest.raises(DomainError, match="already has this questionnaire open"):
        services.send_questionnaire(
            org=cast.acme,
            actor=cast.contributor,
            template=q.template,
            partner=partner,
            contact=contact(cast.acme, partner),
        )
    other = supplier(cast.acme, cast.owner, name="Otro Proveedor")
    with pytest.raises(DomainError, match="partner's contacts"):
        services.send_questionnaire(
            org=cast.acme,
            actor=cast.contributor,
            template=q.template,
            partner=other,
            contact=contact(cast.acme, partner),
        )
    with pytest.raises(DomainError, match="from 1 to 180 days"):
        services.send_questionnaire(
            org=cast.acme,
            actor=cast.contributor,
            template=q.template,
            partner=other,
            contact=contact(cast.acme, other),
            days=400,
        )
    partner_services.archive(org=cast.acme, actor=cast.manager, partner=other)
    with pytest.raises(DomainError, match="is archived"):
        services.send_questionnaire(
            org=cast.acme,
            actor=cast.contributor,
            template=q.template,
            partner=Partner.objects.for_org(cast.acme).get(pk=other.pk),
            contact=contact(cast.acme, other),
        )


def test_a_reissued_link_replaces_the_old_one_and_a_revoked_one_opens_nothing(cast, committed):
    q = sent(cast.acme, cast.contributor)
    old = token(q)
    with committed():
        q = services.reissue_link(
            org=cast.acme,
            actor=cast.contributor,
            questionnaire=q,
            expected_version=q.version,
            days=5,
        )
    assert selectors.by_token(old) is None
    assert selectors.by_token(token(q)) == q
    assert mail.outbox[-1].to == [q.recipient_email]
    assert token(q) in mail.outbox[-1].body
    with pytest.raises(ConflictError):  # a second click on the same page
        services.reissue_link(
            org=cast.acme, actor=cast.contributor, questionnaire=q, expected_version=q.version - 1
        )
    q = services.revoke_link(
        org=cast.acme, actor=cast.contributor, questionnaire=q, expected_version=q.version
    )
    assert q.link_state == "revoked"
    assert "withdrawn" in services.closed_reason(link_of(q))
    with pytest.raises(services.LinkClosedError):
        services.save_draft(questionnaire=link_of(q), draft=services.Draft(values={"vvttt": "yes"}))
    with pytest.raises(DomainError, match="revoked already"):
        services.revoke_link(
            org=cast.acme, actor=cast.contributor, questionnaire=q, expected_version=q.version
        )
    with pytest.raises(NotAllowedError):
        services.reissue_link(
            org=cast.acme, actor=cast.viewer, questionnaire=q, expected_version=q.version
        )


def test_a_token_of_one_organisation_never_finds_anothers_questionnaire(cast):
    ours = sent(cast.acme, cast.owner)
    theirs = sent(cast.norte, cast.outsider)
    secret = token(ours).partition(".")[2]
    assert selectors.by_token(f"{cast.norte.pk}.{secret}") is None
    assert selectors.by_token(token(theirs)).organisation == cast.norte
    for junk in ("", "1", "1.", "x.y", "0." + "A" * 43, "1." + "A" * 44, None, 12):
        assert selectors.by_token(junk) is None


def test_a_draft_keeps_only_what_changed_and_every_change_is_audited(cast):
    q = sent(cast.acme, cast.owner)
    services.save_draft(
        questionnaire=link_of(q),
        draft=services.Draft(
            values={
                "vvttt": "no",
                "footage-days": "14.50",
                "last-training": datetime.date(2026, 1, 5),
            },
            respondent_name="  Rosa   Garza ",
        ),
    )
    answers = {a.key: a for a in selectors.answers(cast.acme, q)}
    assert (
        answers["vvttt"].value,
        answers["footage-days"].value,
        answers["last-training"].value,
    ) == ("no", "14.50", "2026-01-05")
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).respondent_name == "Rosa Garza"
    entry = AuditEntry.objects.for_org(cast.acme).for_object(answers["vvttt"]).get()
    assert (entry.actor, entry.changes["value"]) == (None, ["", "no"])
    with pytest.raises(DomainError, match="Choose one of the answers") as refused:
        services.save_draft(
            questionnaire=link_of(q), draft=services.Draft(values={"vvttt": "maybe"})
        )
    assert refused.value.field == "a-vvttt"
    with pytest.raises(DomainError, match="below a million million"):
        services.save_draft(
            questionnaire=link_of(q), draft=services.Draft(values={"footage-days": "1e40"})
        )


def test_documents_are_checked_like_evidence_and_kept_once(cast):
    q = sent(cast.acme, cast.owner)
    for name, content, message in [
        ("page.html", b"<html><script>alert(1)</script></html>", "markup"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "not accepted"),
        ("empty.pdf", b"", "empty"),
        ("scan.pdf", b"plain words", "plain text, but its name ends in .pdf"),
    ]:
        with pytest.raises(DomainError, match=message) as refused:
            services.save_draft(
                questionnaire=link_of(q),
                draft=services.Draft(
                    values={"vvttt": "yes"},
                    files=[("seal-certificate", SimpleUploadedFile(name, content))],
                ),
            )
        assert refused.value.field == "file-seal-certificate"
    # Nothing of a refused save was written, the answers neither.
    assert Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt").value == ""
    assert not Document.objects.for_org(cast.acme).exists()
    for _twice in range(2):
        services.save_draft(
            questionnaire=link_of(q),
            draft=services.Draft(
                files=[("seal-certificate", SimpleUploadedFile("../../cert v1.pdf", PDF))]
            ),
        )
    (doc,) = Document.objects.for_org(cast.acme)
    assert doc.original_name == "cert_v1.pdf"
    assert doc.file.name.startswith(f"questionnaires/{cast.acme.pk}/")
    assert default_storage.open(doc.file.name).read() == PDF
    services.save_draft(questionnaire=link_of(q), draft=services.Draft(remove=[doc.pk]))
    assert not Document.objects.for_org(cast.acme).exists()


def test_a_submit_needs_every_required_answer_that_was_asked_and_keeps_the_draft(cast, committed):
    q = sent(cast.acme, cast.owner)
    values = good_answers(cast.acme, q)
    values.pop("vvttt")
    with pytest.raises(services.MissingAnswersError) as refused:
        services.submit(
            questionnaire=link_of(q),
            draft=services.Draft(values=values, respondent_name="Rosa"),
            confirmed=True,
        )
    assert refused.value.keys == ["vvttt"]
    assert (
        Answer.objects.for_org(cast.acme).get(questionnaire=q, key="seal-procedure").value == "yes"
    )
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).status == Status.SENT
    # A "no" asks its follow-up, which is then required.
    with pytest.raises(services.MissingAnswersError) as refused:
        services.submit(
            questionnaire=link_of(q),
            draft=services.Draft(values={"vvttt": "yes", "seal-procedure": "no"}),
            confirmed=True,
        )
    assert refused.value.keys == ["seal-procedure-how"]
    with pytest.raises(DomainError, match="Confirm"):
        services.submit(
            questionnaire=link_of(q),
            draft=services.Draft(values={"seal-procedure-how": "We log them on paper."}),
            confirmed=False,
        )
    with committed():
        done = services.submit(questionnaire=link_of(q), draft=services.Draft(), confirmed=True)
    assert done.status == Status.SUBMITTED
    assert done.submitted_at
    assert mail.outbox[-1].to == [cast.owner.email]
    assert "submitted" in mail.outbox[-1].subject
    with pytest.raises(services.AlreadySubmittedError, match="submitted on"):
        services.submit(questionnaire=link_of(q), draft=services.Draft(), confirmed=True)


def test_the_score_is_automatic_where_the_template_says_how_and_by_a_person_otherwise(cast):
    q = submitted(cast.acme, cast.owner, vvttt="no", **{"inspection-before-loading": "visual"})
    result = selectors.questionnaire_page(cast.acme, q).result
    by_key = {m.answer.key: m for m in result.marked}
    assert by_key["vvttt"].answer.auto_score == 0
    assert by_key["vvttt"].weak
    assert by_key["inspection-before-loading"].answer.score == 30
    assert by_key["ctpat-account"].asked
    assert not by_key["aeo-programme"].asked
    assert {m.answer.key for m in result.unscored} == {"footage-days", "last-training"}
    assert result.level == ""  # waits for the person's scores
    scored_by_a_person(cast.acme, cast.contributor, q)
    result = selectors.questionnaire_page(cast.acme, q).result
    points = sum(a.weight for a in selectors.answers(cast.acme, q) if by_key[a.key].counts)
    assert float(result.score) == round(100 * (points - 2 - 2 * 0.7) / points, 1)
    assert result.level == "low" if result.score >= 85 else "medium"
    with pytest.raises(NotAllowedError):
        services.score_answer(
            org=cast.acme,
            actor=cast.viewer,
            answer=by_key["vvttt"].answer,
            score=100,
            note="",
            expected_version=None,
        )


def test_corrections_reopen_the_same_link_with_the_notes_and_a_changed_answer_is_scored_again(
    cast, committed
):
    q = submitted(cast.acme, cast.owner, vvttt="no")
    answer = Answer.objects.for_org(cast.acme).get(questionnaire=q, key="footage-days")
    services.score_answer(
        org=cast.acme,
        actor=cast.contributor,
        answer=answer,
        score=50,
        note="Keep 14 days.",
        expected_version=answer.version,
    )
    with pytest.raises(DomainError, match="Say what"):
        services.request_corrections(
            org=cast.acme,
            actor=cast.contributor,
            questionnaire=q,
            note=" ",
            expected_version=q.version,
        )
    q = Questionnaire.objects.for_org(cast.acme).get(pk=q.pk)
    with committed():
        q = services.request_corrections(
            org=cast.acme,
            actor=cast.contributor,
            questionnaire=q,
            note="Please check seals.",
            expected_version=q.version,
        )
    assert q.status == Status.CORRECTIONS
    assert "Please check seals." in mail.outbox[-1].body
    assert token(q) in mail.outbox[-1].body
    services.submit(
        questionnaire=link_of(q),
        draft=services.Draft(values={"footage-days": "20", "vvttt": "yes"}),
        confirmed=True,
    )
    answers = {a.key: a for a in selectors.answers(cast.acme, q)}
    assert (answers["footage-days"].manual_score, answers["footage-days"].review_note) == (
        None,
        "Keep 14 days.",
    )
    assert answers["vvttt"].auto_score == 100


def test_accepting_records_the_partners_assessment_and_files_the_summary_as_evidence(cast):
    q = submitted(cast.acme, cast.owner, vvttt="no")
    with pytest.raises(DomainError, match="2 answers still need your score"):
        services.accept(
            org=cast.acme, actor=cast.manager, questionnaire=q, expected_version=q.version
        )
    scored_by_a_person(cast.acme, cast.contributor, q)
    with pytest.raises(NotAllowedError):
        services.accept(
            org=cast.acme, actor=cast.contributor, questionnaire=q, expected_version=q.version
        )
    with pytest.raises(ConflictError):
        services.accept(
            org=cast.acme, actor=cast.manager, questionnaire=q, expected_version=q.version - 1
        )
    q = services.accept(
        org=cast.acme, actor=cast.manager, questionnaire=q, expected_version=q.version
    )
    assert (q.status, q.level) == (Status.ACCEPTED, "low")
    partner = Partner.objects.for_org(cast.acme).get(pk=q.partner_id)
    assert (partner.assessment_level, partner.assessed_on) == ("low", timezone.localdate())
    assert any(r[1] == "questionnaire" for r in partner.tier_reasons)
    assert partner.next_review > timezone.localdate()
    evidence = q.evidence
    assert evidence.review_date == partner.next_review
    links_made = EvidenceLink.objects.for_org(cast.acme).filter(evidence=evidence)
    assert sorted((link.criterion_ident, link.subject_id or 0) for link in links_made) == [
        ("3.5", 0),
        ("3.5", partner.pk),
        ("3.7", 0),
    ]
    version = evidence.versions.get()
    text = "".join(
        page.extract_text() for page in PdfReader(default_storage.open(version.file.name)).pages
    )
    assert partner.name in text
    assert "low vulnerability" in text
    assert "Rosa Garza" in text
    assert "View, Verify, Tug, Twist and Turn" in text
    with pytest.raises(DomainError, match="Only submitted answers"):
        services.accept(
            org=cast.acme, actor=cast.manager, questionnaire=q, expected_version=q.version
        )


def test_a_weak_answer_becomes_one_action_on_the_partner(cast):
    q = submitted(cast.acme, cast.owner, vvttt="no")
    answer = Answer.objects.for_org(cast.acme).get(questionnaire=q, key="vvttt")
    action, made = services.action_from_answer(org=cast.acme, actor=cast.contributor, answer=answer)
    again, made_again = services.action_from_answer(
        org=cast.acme, actor=cast.contributor, answer=answer
    )
    assert (made, made_again, again.pk) == (True, False, action.pk)
    assert (action.origin, action.source, action.kind, action.priority) == (
        q.partner,
        "partner",
        "partner",
        "high",
    )
    assert action.criteria == ["3.6", "6.7"]
    assert "VVTTT" in action.description
    assert "No" in action.description
    assert Action.objects.for_org(cast.acme).count() == 1
    with pytest.raises(NotAllowedError):
        services.action_from_answer(org=cast.acme, actor=cast.viewer, answer=answer)


# The daily command


def test_reminders_go_out_seven_days_and_one_day_before_expiry_once_each(cast, committed):
    q = sent(cast.acme, cast.owner)
    now = timezone.now()
    assert services.send_reminders(org=cast.acme, now=now) == 0
    with committed():
        assert (
            services.send_reminders(org=cast.acme, now=q.expires_at - datetime.timedelta(days=6))
            == 1
        )
    assert (
        services.send_reminders(org=cast.acme, now=q.expires_at - datetime.timedelta(days=5)) == 0
    )
    assert "Recordatorio" in mail.outbox[-1].subject  # in the contact's language
    assert token(q) in mail.outbox[-1].body
    with committed():
        assert (
            services.send_reminders(org=cast.acme, now=q.expires_at - datetime.timedelta(hours=20))
            == 1
        )
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).reminders == [1, 7]
    assert (
        services.send_reminders(org=cast.acme, now=q.expires_at + datetime.timedelta(hours=1)) == 0
    )
    # A link issued for three days gets only the last day's reminder.
    short = sent(
        cast.acme, cast.owner, partner=supplier(cast.acme, cast.owner, name="Short"), days=3
    )
    assert (short, 7) not in selectors.links_to_remind(
        cast.acme, short.expires_at - datetime.timedelta(days=2)
    )
    assert (short, 1) in selectors.links_to_remind(
        cast.acme, short.expires_at - datetime.timedelta(hours=20)
    )


def accepted(cast, **overrides):
    q = submitted(cast.acme, cast.owner, **overrides)
    scored_by_a_person(cast.acme, cast.owner, q)
    return services.accept(
        org=cast.acme, actor=cast.owner, questionnaire=q, expected_version=q.version
    )


def test_a_partner_is_asked_again_when_its_tier_says_its_review_is_due(cast, committed):
    q = accepted(cast)
    partner = Partner.objects.for_org(cast.acme).get(pk=q.partner_id)
    assert selectors.due_for_resend(cast.acme) == []
    due_day = partner.next_review - datetime.timedelta(days=20)
    with committed():
        (again,) = services.resend_due(org=cast.acme, today=due_day)
    assert (again.resent_from, again.template, again.sent_by) == (q, q.template, None)
    assert "revisión periódica" in mail.outbox[-1].body
    assert services.resend_due(org=cast.acme, today=due_day) == []  # it is open now
    with pytest.raises(AssertionError):
        assert selectors.due_for_resend(cast.acme, due_day)


def test_a_high_risk_partner_is_asked_again_within_a_year(cast):
    q = accepted(cast, **POOR)
    assert q.level == "high"
    partner = Partner.objects.for_org(cast.acme).get(pk=q.partner_id)
    assert partner.tier == "high"
    assert partner.next_review <= timezone.localdate() + datetime.timedelta(days=366)
    assert selectors.due_for_resend(
        cast.acme, partner.next_review - datetime.timedelta(days=1)
    ) == [q]


def test_the_daily_command_queues_each_organisation_with_something_to_do(cast, committed, capsys):
    q = sent(cast.acme, cast.owner)
    # Issued three weeks ago, it expires in six days.
    Questionnaire.objects.for_org(cast.acme).filter(pk=q.pk).update(
        link_issued_at=timezone.now() - datetime.timedelta(days=21),
        expires_at=timezone.now() + datetime.timedelta(days=6),
    )
    with committed():
        call_command("send_questionnaire_reminders")
    assert "for 1 organisations" in capsys.readouterr().out
    assert Questionnaire.objects.for_org(cast.acme).get(pk=q.pk).reminders == [7]
    assert mail.outbox[-1].to == [q.recipient_email]
    entry = AuditEntry.objects.for_org(cast.acme).for_object(q).first()
    assert (entry.source, entry.changes["reminders"]) == ("task", [[], [7]])
