"""Sending a questionnaire to a partner contact, and its link: issued, re-issued, revoked."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safelane.core.errors import DomainError
from safelane.core.records import check_values, create_record, lock, update_record
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.questionnaires import links, selectors
from safelane.questionnaires.models import (
    OPEN_STATUSES,
    Answer,
    Questionnaire,
    QuestionnaireTemplate,
)

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.orgs.models import Organisation

# How long a link lasts unless the sender says otherwise, and the longest it may.
DEFAULT_DAYS = 30
MAX_DAYS = 180


def email_link(org: Organisation, questionnaire: Questionnaire, kind: str) -> None:
    """E-mail the contact once the change is committed (`kind`: sent, resent, reissued,
    reminder, corrections)."""
    from safelane.questionnaires.tasks import send_link

    transaction.on_commit(lambda: send_link.enqueue(org.pk, questionnaire.pk, kind))


def _days(days: Any) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise DomainError(
            _("A link lasts from 1 to %(most)s days.") % {"most": MAX_DAYS}, field="days"
        )
    return days


def _new_link(org: Organisation, days: int) -> dict[str, Any]:
    """A fresh link's fields: its nonce, its token's hash, when it was issued and expires."""
    nonce = links.new_nonce()
    now = timezone.now()
    return {
        "link_nonce": nonce,
        "token_hash": links.token_hash(links.make_token(org.pk, nonce)),
        "link_issued_at": now,
        "expires_at": now + datetime.timedelta(days=days),
        "revoked_at": None,
        "reminders": [],
    }


def _language(contact: Any, org: Organisation) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    return contact.language if contact.language in languages else org.default_language


def send_questionnaire(
    *,
    org: Organisation,
    actor: User,
    template: QuestionnaireTemplate,
    partner: Any,
    contact: Any,
    days: int = DEFAULT_DAYS,
    message: str = "",
) -> Questionnaire:
    """Send the template's questions to one contact of the partner, in the contact's language,
    with a link that needs no account and lasts `days`."""
    require_role(org, actor, Role.CONTRIBUTOR)
    return send(
        org=org,
        actor=actor,
        template=template,
        partner=partner,
        contact=contact,
        days=days,
        message=message,
    )


def send(
    *,
    org: Organisation,
    actor: User | None,
    template: QuestionnaireTemplate,
    partner: Any,
    contact: Any,
    days: int = DEFAULT_DAYS,
    message: str = "",
    resent_from: Questionnaire | None = None,
) -> Questionnaire:
    """The send itself, for a person (checked by `send_questionnaire`) or for the daily task
    that asks again when a partner's review is due."""
    days = _days(days)
    if template.organisation_id != org.pk or partner.organisation_id != org.pk:
        raise DomainError(_("That record is not in this organisation."))
    if contact is None or contact.organisation_id != org.pk or contact.partner_id != partner.pk:
        raise DomainError(_("Choose one of the partner's contacts."), field="contact")
    if partner.archived_at is not None:
        raise DomainError(
            _("%(name)s is archived: questionnaires go to partners in the register.")
            % {"name": partner.name}
        )
    with transaction.atomic():
        lock(org)  # a double click sends one questionnaire
        stored = QuestionnaireTemplate.objects.for_org(org).get(pk=template.pk)
        if stored.archived_at is not None:
            raise DomainError(_("%(name)s is archived.") % {"name": stored.name}, field="template")
        tree = selectors.question_tree(org, stored)
        if not tree:
            raise DomainError(
                _("%(name)s has no questions yet.") % {"name": stored.name}, field="template"
            )
        open_one = (
            Questionnaire.objects.for_org(org)
            .unfinished()
            .filter(partner=partner, template=stored)
            .first()
        )
        if open_one is not None:
            raise DomainError(
                _(
                    "%(partner)s already has this questionnaire open (sent on %(date)s). Open it to re-issue its link instead."
                )
                % {
                    "partner": partner.name,
                    "date": date_format(timezone.localdate(open_one.created_at)),
                },
                field="template",
            )
        questionnaire = Questionnaire(
            organisation=org,
            partner=partner,
            contact=contact,
            template=stored,
            resent_from=resent_from,
            title=stored.name,
            title_es=stored.name_es,
            intro=stored.intro,
            intro_es=stored.intro_es,
            message=message.strip(),
            language=_language(contact, org),
            recipient_name=contact.name,
            recipient_email=contact.email,
            sent_by=actor,
            low_from=stored.low_from,
            medium_from=stored.medium_from,
            **_new_link(org, days),
        )
        asked = [
            (item, None if item is branch.question else branch.question)
            for branch in tree
            for item in (branch.question, *branch.follow_ups)
        ]
        create_record(org=org, actor=actor, obj=questionnaire, also={"questions": len(asked)})
        answers = []
        for position, (q, parent) in enumerate(asked):
            answer = Answer(
                organisation=org,
                questionnaire=questionnaire,
                position=position,
                key=q.key,
                parent_key=parent.key if parent is not None else "",
                shown_when=q.shown_when if parent is not None else "",
                kind=q.kind,
                text=q.text,
                text_es=q.text_es,
                guidance=q.guidance,
                guidance_es=q.guidance_es,
                required=q.required,
                weight=q.weight,
                expected=q.expected,
                choices=q.choices,
                criteria=q.criteria,
            )
            check_values(answer)
            answers.append(answer)
        # One row per question, in one insert; the questionnaire's audit entry counts them.
        Answer.objects.bulk_create(answers)
        email_link(org, questionnaire, "resent" if resent_from is not None else "sent")
    return questionnaire


def _stored(org: Organisation, questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.for_org(org).select_for_update().get(pk=questionnaire.pk)


def reissue_link(
    *,
    org: Organisation,
    actor: User,
    questionnaire: Questionnaire,
    expected_version: int | None,
    days: int = DEFAULT_DAYS,
) -> Questionnaire:
    """A new link for the same questionnaire, e-mailed to its contact; the old link stops
    working. The answers saved so far stay."""
    require_role(org, actor, Role.CONTRIBUTOR)
    days = _days(days)
    with transaction.atomic():
        stored = _stored(org, questionnaire)
        if stored.status not in OPEN_STATUSES:
            raise DomainError(
                _("This questionnaire is %(status)s: its partner has nothing left to answer.")
                % {"status": stored.get_status_display().lower()}
            )
        updated = update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values=_new_link(org, days),
        )
        email_link(org, updated, "reissued")
    return updated


def revoke_link(
    *,
    org: Organisation,
    actor: User,
    questionnaire: Questionnaire,
    expected_version: int | None,
) -> Questionnaire:
    """The link stops working at once (a wrong address, a contact who left); re-issue it to
    send a new one."""
    require_role(org, actor, Role.CONTRIBUTOR)
    with transaction.atomic():
        stored = _stored(org, questionnaire)
        if stored.revoked_at is not None:
            raise DomainError(_("The link is revoked already."))
        return update_record(
            org=org,
            actor=actor,
            obj=stored,
            expected_version=expected_version,
            values={"revoked_at": timezone.now()},
        )
