"""The organisation's review of submitted answers: scoring what the template leaves to a
person, asking for corrections, accepting (the partner's assessment, its risk tier and the
evidence for 3.5 and 3.7), and turning a weak answer into an action for the relationship."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelane.actions import services as action_services
from safelane.catalog import selectors as catalog_selectors
from safelane.core.errors import ConflictError, DomainError
from safelane.core.links import absolute
from safelane.core.records import update_record
from safelane.evidence import services as evidence_services
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.partners import services as partner_services
from safelane.questionnaires import scoring, selectors, summary
from safelane.questionnaires.models import Answer, Questionnaire, Status
from safelane.questionnaires.services.sending import MAX_DAYS, email_link

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.actions.models import Action
    from safelane.orgs.models import Organisation

# The criteria of the organisation's own programme that an accepted questionnaire is evidence
# for: due diligence that a partner meets the criteria (3.5) and its periodic review (3.7).
EVIDENCE_CRITERIA = ("3.5", "3.7")
# The criterion an action from a weak answer treats: a partner's weakness corrected (3.6).
ACTION_CRITERION = "3.6"
SCORES = (100, 75, 50, 25, 0)
CORRECTION_DAYS = 14


def _stored(org: Organisation, questionnaire: Questionnaire) -> Questionnaire:
    return (
        Questionnaire.objects.for_org(org)
        .select_for_update(of=("self",))
        .select_related("partner")
        .get(pk=questionnaire.pk)
    )


def _ensure_submitted(questionnaire: Questionnaire) -> None:
    if questionnaire.status != Status.SUBMITTED:
        raise DomainError(
            _("Only submitted answers are reviewed; this questionnaire is %(status)s.")
            % {"status": questionnaire.get_status_display().lower()}
        )


def score_answer(
    *,
    org: Organisation,
    actor: User,
    answer: Answer,
    score: int | None,
    note: str,
    expected_version: int | None,
) -> Answer:
    """A person's score for one answer (None: back to the automatic one, if any) and a note,
    which the partner reads if corrections are asked."""
    require_role(org, actor, Role.CONTRIBUTOR)
    if score is not None and score not in SCORES:
        raise DomainError(_("Choose a score from the list."), field="score")
    with transaction.atomic():
        questionnaire = (
            Questionnaire.objects.for_org(org).select_for_update().get(pk=answer.questionnaire_id)
        )
        _ensure_submitted(questionnaire)
        stored = Answer.objects.for_org(org).get(pk=answer.pk)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={
                "manual_score": score,
                "review_note": note.strip(),
                "scored_by": actor if score is not None else None,
            },
        )


def request_corrections(
    *,
    org: Organisation,
    actor: User,
    questionnaire: Questionnaire,
    note: str,
    expected_version: int | None,
    days: int = CORRECTION_DAYS,
) -> Questionnaire:
    """Send the answers back: the same link opens them again, with the notes, for at least
    `days` more days, and the contact is told by e-mail."""
    require_role(org, actor, Role.CONTRIBUTOR)
    note = note.strip()
    if not note:
        raise DomainError(_("Say what the partner should correct."), field="note")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError(
            _("A link lasts from 1 to %(most)s days.") % {"most": MAX_DAYS}, field="days"
        )
    with transaction.atomic():
        stored = _stored(org, questionnaire)
        _ensure_submitted(stored)
        until = max(stored.expires_at, timezone.now() + datetime.timedelta(days=days))
        updated = update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={
                "status": Status.CORRECTIONS,
                "review_note": note,
                "expires_at": until,
                "revoked_at": None,
                "reminders": [] if until != stored.expires_at else stored.reminders,
            },
        )
        email_link(org, updated, "corrections")
    return updated


def accept(
    *,
    org: Organisation,
    actor: User,
    questionnaire: Questionnaire,
    expected_version: int | None,
) -> Questionnaire:
    """Accept the answers as scored: the level the score shows becomes the partner's latest
    assessment (its risk tier and next review follow), and a summary is filed as evidence."""
    require_role(
        org, actor, Role.MANAGER, _("Only managers and owners accept security questionnaires.")
    )
    with transaction.atomic():
        stored = _stored(org, questionnaire)
        _ensure_submitted(stored)
        if expected_version is not None and stored.version != expected_version:
            # Checked before the summary is built, so a stale click costs nothing.
            raise ConflictError(
                _(
                    "Someone else saved this record while you were editing it. "
                    "Nothing of yours was saved."
                ),
                current=stored,
            )
        page = selectors.questionnaire_page(org, stored)
        found = page.result
        if found.unscored:
            raise DomainError(
                ngettext(
                    "%(n)s answer still needs your score before you accept.",
                    "%(n)s answers still need your score before you accept.",
                    len(found.unscored),
                )
                % {"n": len(found.unscored)}
            )
        if found.score is None or not found.level:
            raise DomainError(
                _(
                    "No answer counts in the score: give at least one question a weight in the template, or score the answers."
                )
            )
        today = timezone.localdate()
        partner = partner_services.record_assessment(
            org=org, actor=actor, partner=stored.partner, on=today, level=found.level
        )
        stored.score, stored.level = found.score, found.level
        stored.accepted_at, stored.accepted_by = timezone.now(), actor
        evidence = _file_evidence(org, actor, stored, partner, page)
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={
                "status": Status.ACCEPTED,
                "accepted_at": stored.accepted_at,
                "accepted_by": actor,
                "score": found.score,
                "level": found.level,
                "evidence": evidence,
            },
        )


def _file_evidence(
    org: Organisation,
    actor: User,
    questionnaire: Questionnaire,
    partner: Any,
    page: selectors.QuestionnairePage,
) -> Any:
    """The accepted questionnaire as a PDF in the evidence library, for the organisation's own
    criteria 3.5 and 3.7 and on the partner's page, due for review with the partner."""
    criteria = catalog_selectors.criterion_references(org, EVIDENCE_CRITERIA)
    content = summary.as_pdf(org, questionnaire, page)
    day = timezone.localdate().isoformat()
    evidence = evidence_services.create_evidence(
        org=org,
        actor=actor,
        values={
            "title": Truncator(
                _("Security questionnaire: %(partner)s (%(date)s)")
                % {"partner": partner.name, "date": day}
            ).chars(200),
            "description": _(
                "%(title)s, answered by %(who)s and accepted with a score of %(score)s%% (%(level)s vulnerability)."
            )
            % {
                "title": questionnaire.title,
                "who": questionnaire.respondent_name or questionnaire.recipient_name,
                "score": questionnaire.score,
                "level": questionnaire.get_level_display().lower(),
            },
            "owner": actor,
            "effective_from": timezone.localdate(questionnaire.submitted_at)
            if questionnaire.submitted_at
            else None,
            "review_date": partner.next_review,
        },
        upload=SimpleUploadedFile(
            f"security-questionnaire-{day}.pdf", content, content_type="application/pdf"
        ),
        criteria=[criteria[c] for c in EVIDENCE_CRITERIA if c in criteria],
    )
    if "3.5" in criteria:
        evidence_services.link(
            org=org, actor=actor, evidence=evidence, subject=partner, criterion_ident="3.5"
        )
    return evidence


def action_from_answer(*, org: Organisation, actor: User, answer: Answer) -> tuple[Action, bool]:
    """The action that follows up a weak answer with the partner (it treats the partner, so it
    shows on the partner's page): a new one, or (False) the one already made from it. The
    answer's row is held, so a double click makes one action."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        stored = (
            Answer.objects.for_org(org)
            .select_for_update(of=("self",))
            .select_related("action", "questionnaire__partner")
            .get(pk=answer.pk)
        )
        questionnaire = stored.questionnaire
        if questionnaire.status == Status.SENT:
            raise DomainError(_("Wait until the partner submits the answers."))
        if stored.action is not None:
            return stored.action, False
        partner = questionnaire.partner
        wanted = [ACTION_CRITERION, *(stored.criteria if isinstance(stored.criteria, list) else [])]
        known = catalog_selectors.criterion_references(org, wanted)
        link = absolute(reverse("questionnaires:detail", args=[org.slug, questionnaire.pk]))
        answered = scoring.shown_value(stored) or _("no answer")
        action = action_services.create_action(
            org=org,
            actor=actor,
            values={
                "title": Truncator(
                    _("%(partner)s: %(question)s")
                    % {"partner": partner.name, "question": stored.text}
                ).chars(200),
                "description": "\n\n".join(
                    part
                    for part in (
                        _("From the security questionnaire %(title)s (%(link)s).")
                        % {"title": questionnaire.title, "link": link},
                        _("Question: %(question)s") % {"question": stored.text},
                        _("Answer: %(answer)s") % {"answer": answered},
                        _("Reviewer's note: %(note)s") % {"note": stored.review_note}
                        if stored.review_note
                        else "",
                    )
                    if part
                ),
                "source": "partner",
                "kind": "partner",
                "priority": "high" if stored.weight >= 2 else "medium",
                "origin": partner,
                "criteria": list(dict.fromkeys(known[c] for c in wanted if c in known)),
            },
        )
        update_record(
            org=org, actor=actor, obj=stored, expected_version=None, values={"action": action}
        )
    return action, True
