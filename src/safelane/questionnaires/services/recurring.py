"""What the daily command does for one organisation: remind partners whose link is about to
expire, and send the questionnaire again to partners whose review falls due (the partner's
risk tier sets when: at least yearly for high risk)."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safelane.core.errors import DomainError
from safelane.core.records import update_record
from safelane.questionnaires import selectors
from safelane.questionnaires.models import Questionnaire
from safelane.questionnaires.services.sending import DEFAULT_DAYS, email_link, send

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

log = logging.getLogger(__name__)


def send_reminders(*, org: Organisation, now: datetime.datetime | None = None) -> int:
    """One reminder per link for each of REMINDER_DAYS before it expires (the nearest one
    only, when the command missed a day); each is recorded on the questionnaire."""
    sent = 0
    for questionnaire, days in selectors.links_to_remind(org, now):
        with transaction.atomic():
            stored = Questionnaire.objects.for_org(org).select_for_update().get(pk=questionnaire.pk)
            done = sorted(
                {*(stored.reminders or []), *(d for d in selectors.REMINDER_DAYS if d >= days)}
            )
            if done == sorted(stored.reminders or []):
                continue
            update_record(
                org=org, actor=None, obj=stored, expected_version=None, values={"reminders": done}
            )
            email_link(org, stored, "reminder")
        sent += 1
    return sent


def resend_due(*, org: Organisation, today: datetime.date | None = None) -> list[Questionnaire]:
    """A new questionnaire, from the same template to the same contact (or the partner's first
    one, if that contact is gone), for each accepted one whose partner's review is due."""
    made = []
    for previous in selectors.due_for_resend(org, today or timezone.localdate()):
        contacts = previous.partner.contacts.for_org(org).order_by("name", "pk")
        contact = previous.contact or contacts.first()
        if contact is None or previous.template is None:
            continue
        try:
            with transaction.atomic():
                made.append(
                    send(
                        org=org,
                        actor=None,
                        template=previous.template,
                        partner=previous.partner,
                        contact=contact,
                        days=DEFAULT_DAYS,
                        resent_from=previous,
                    )
                )
        except DomainError as error:
            # Such as a questionnaire of another template still open: a person handles it.
            log.info("Not sent again: questionnaire %s: %s", previous.pk, error.message)
    return made
