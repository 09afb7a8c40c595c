"""What the partner does through the link, without an account: save a draft (answers,
documents added or removed, who answers) and submit.

There is no actor: the link is the right to answer, and the audit entries say the change came
from the web with nobody signed in. Each write holds the questionnaire's row, so a submit and a
draft saved at the same moment go one after the other, and a second submit is refused.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safelane.core.errors import ConflictError, DomainError
from safelane.core.records import create_record, delete_record, update_record
from safelane.evidence import services as evidence_services
from safelane.questionnaires import scoring
from safelane.questionnaires.models import (
    OPEN_STATUSES,
    Answer,
    Document,
    QuestionKind,
    Questionnaire,
    Status,
)

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

MAX_TEXT = 4000
MAX_DOCUMENTS = 50
# Uploads checked exactly as evidence is: the evidence library's one allow-list, by content.
uploads = evidence_services.uploads


class LinkClosedError(DomainError):
    """The link no longer takes answers: accepted, expired or revoked."""


class AlreadySubmittedError(ConflictError):
    """The answers were submitted meanwhile (a second click, another tab): nothing changes."""


class MissingAnswersError(DomainError):
    """A submit without the answers it needs; `keys` names the questions."""

    def __init__(self, message: str, *, keys: list[str]) -> None:
        super().__init__(message)
        self.keys = keys


@dataclass
class Draft:
    """What one save brings: answers by question key, files by question key ("" for a
    document that belongs to no question), documents to remove, and who answers."""

    values: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, UploadedFile]] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    respondent_name: str | None = None
    respondent_role: str | None = None


def closed_reason(questionnaire: Questionnaire) -> str | None:
    """Why the link takes no answers now, or None when it does."""
    if questionnaire.revoked_at is not None:
        return _("This link was withdrawn by %(org)s.") % {"org": questionnaire.organisation.name}
    if questionnaire.status == Status.SUBMITTED:
        return _("These answers were submitted on %(date)s.") % {
            "date": date_format(
                timezone.localtime(questionnaire.submitted_at or timezone.now()), "DATE_FORMAT"
            )
        }
    if questionnaire.status not in OPEN_STATUSES:
        return _("This questionnaire is closed: %(org)s has accepted it.") % {
            "org": questionnaire.organisation.name
        }
    if questionnaire.expires_at <= timezone.now():
        return _("This link expired on %(date)s.") % {
            "date": date_format(timezone.localtime(questionnaire.expires_at), "DATE_FORMAT")
        }
    return None


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    org = questionnaire.organisation
    stored = (
        Questionnaire.objects.for_org(org)
        .select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=questionnaire.pk)
    )
    reason = closed_reason(stored)
    if reason is not None and stored.status == Status.SUBMITTED:
        raise AlreadySubmittedError(reason, current=stored)
    if reason is not None:
        raise LinkClosedError(reason)
    return stored


def _checked_value(answer: Answer, value: Any) -> str:
    """The answer as stored, or DomainError on the question's field."""
    text = scoring.clean_value(answer.kind, value)
    where = f"a-{answer.key}"
    if answer.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
        if text and text not in answer.option_labels():
            raise DomainError(_("Choose one of the answers offered."), field=where)
    elif answer.kind == QuestionKind.DATE and text:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise DomainError(_("Enter a date such as 2026-03-31."), field=where) from None
    elif answer.kind == QuestionKind.NUMBER and text:
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise DomainError(_("Enter a number."), field=where) from None
        if not number.is_finite() or abs(number) >= 10**12:
            raise DomainError(_("Enter a number below a million million."), field=where)
    if len(text) > MAX_TEXT:
        raise DomainError(
            _("Keep the answer under %(most)s characters.") % {"most": MAX_TEXT}, field=where
        )
    return text


def _storage_key(org_id: int, name: str) -> str:
    return f"questionnaires/{org_id}/{uuid4().hex}/{name}"


def save_draft(*, questionnaire: Questionnaire, draft: Draft) -> Questionnaire:
    """Keep what the partner has written so far. Every file is checked before anything is
    written; a refused one leaves the answers as they were."""
    org: Organisation = questionnaire.organisation
    checked: list[tuple[str, Any]] = []
    for key, upload in draft.files:
        try:
            checked.append((key, uploads.check(upload)))
        except DomainError as error:
            raise DomainError(
                f"{(upload.name or '')[-80:]}: {error.message}",
                field=f"file-{key}" if key else "documents",
            ) from None
    stored_paths: list[str] = []
    try:
        with transaction.atomic():
            stored = _locked(questionnaire)
            answers = {a.key: a for a in Answer.objects.for_org(org).filter(questionnaire=stored)}
            now = timezone.now()
            for key, value in draft.values.items():
                answer = answers.get(key)
                if answer is None or answer.kind == QuestionKind.FILE:
                    continue
                text = _checked_value(answer, value)
                if text != answer.value:
                    update_record(
                        org=org,
                        actor=None,
                        obj=answer,
                        expected_version=None,
                        # A changed answer is scored again.
                        values={
                            "value": text,
                            "answered_at": now if text else None,
                            "manual_score": None,
                            "auto_score": None,
                        },
                    )
            _remove_documents(org, stored, draft.remove)
            present = Document.objects.for_org(org).filter(questionnaire=stored).count()
            if present + len(checked) > MAX_DOCUMENTS:
                raise DomainError(
                    _("A questionnaire holds at most %(most)s documents; remove some first.")
                    % {"most": MAX_DOCUMENTS},
                    field="documents",
                )
            have = set(
                Document.objects.for_org(org)
                .filter(questionnaire=stored)
                .values_list("answer_id", "sha256")
            )
            for key, checked_file in checked:
                upload = checked_file
                answer = answers.get(key) if key else None
                if key and (answer is None or answer.kind != QuestionKind.FILE):
                    continue
                if (answer.pk if answer else None, upload.sha256) in have:
                    continue  # the same file sent twice (a second click) is kept once
                path = default_storage.save(
                    _storage_key(org.pk, upload.safe_name), ContentFile(upload.content)
                )
                stored_paths.append(path)
                create_record(
                    org=org,
                    actor=None,
                    obj=Document(
                        organisation=org,
                        questionnaire=stored,
                        answer=answer,
                        file=path,
                        original_name=upload.safe_name,
                        content_type=upload.content_type,
                        size=upload.size,
                        sha256=upload.sha256,
                    ),
                )
                if answer is not None:
                    update_record(
                        org=org,
                        actor=None,
                        obj=answer,
                        expected_version=None,
                        values={"answered_at": now, "manual_score": None},
                    )
            respondent = {
                name: " ".join(str(value).split())
                for name, value in (
                    ("respondent_name", draft.respondent_name),
                    ("respondent_role", draft.respondent_role),
                )
                if value is not None
            }
            if any(getattr(stored, k) != v for k, v in respondent.items()):
                stored = update_record(
                    org=org, actor=None, obj=stored, expected_version=None, values=respondent
                )
    except Exception:
        for path in stored_paths:
            default_storage.delete(path)
        raise
    return stored


def _remove_documents(org: Organisation, questionnaire: Questionnaire, ids: list[int]) -> None:
    if not ids:
        return
    for doc in Document.objects.for_org(org).filter(questionnaire=questionnaire, pk__in=ids):
        path = doc.file.name
        delete_record(org=org, actor=None, obj=doc)
        transaction.on_commit(partial(default_storage.delete, path))


def submit(*, questionnaire: Questionnaire, draft: Draft, confirmed: bool) -> Questionnaire:
    """Save the draft, then hand the answers in, all at once or not at all: every required
    question that was asked must be answered, and the person answering named. A refused submit
    still keeps the draft, so nothing typed is lost."""
    save_draft(questionnaire=questionnaire, draft=draft)
    org: Organisation = questionnaire.organisation
    with transaction.atomic():
        stored = _locked(questionnaire)
        answers = list(Answer.objects.for_org(org).filter(questionnaire=stored))
        counts: dict[int, int] = {}
        for doc in Document.objects.for_org(org).filter(questionnaire=stored, answer__isnull=False):
            counts[doc.answer_id or 0] = counts.get(doc.answer_id or 0, 0) + 1
        by_key = {a.key: a for a in answers}
        missing = [
            a.key
            for a in answers
            if a.required
            and scoring.asked(a, by_key)
            and not scoring.answered(a, counts.get(a.pk, 0))
        ]
        if missing:
            raise MissingAnswersError(
                ngettext(
                    "Your answers are saved, but %(n)s required question is still unanswered: it is marked below.",
                    "Your answers are saved, but %(n)s required questions are still unanswered: they are marked below.",
                    len(missing),
                )
                % {"n": len(missing)},
                keys=missing,
            )
        if not stored.respondent_name:
            raise DomainError(
                _("Your answers are saved. Give your name to submit them."),
                field="respondent_name",
            )
        if not confirmed:
            raise DomainError(
                _("Your answers are saved. Confirm that they are accurate to submit them."),
                field="confirm",
            )
        for a in answers:
            score = scoring.automatic(a) if scoring.asked(a, by_key) else None
            if score != a.auto_score:
                update_record(
                    org=org, actor=None, obj=a, expected_version=None, values={"auto_score": score}
                )
        updated = update_record(
            org=org,
            actor=None,
            obj=stored,
            expected_version=None,
            values={"status": Status.SUBMITTED, "submitted_at": timezone.now()},
        )
        from safelane.questionnaires.tasks import notify_submitted

        transaction.on_commit(lambda: notify_submitted.enqueue(org.pk, updated.pk))
    return updated
