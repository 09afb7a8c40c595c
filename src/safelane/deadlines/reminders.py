"""Reminders of what falls due: at 30 days, at 7 days and on the day, one e-mail per
organisation and day to its owners and managers, each deadline recalled at each distance once."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safelane.core import mail
from safelane.core.links import absolute
from safelane.core.records import lock
from safelane.deadlines import selectors
from safelane.deadlines.models import ReminderSent
from safelane.orgs import selectors as org_selectors

if TYPE_CHECKING:
    from safelane.orgs.models import Organisation

DAYS_BEFORE = (30, 7, 0)
HEADINGS = {0: _("Today"), 7: _("In 7 days"), 30: _("In 30 days")}


def due_for_reminder(
    org: Organisation, today: datetime.date
) -> list[tuple[int, selectors.Deadline]]:
    """The deadlines that fall exactly 30 days, 7 days or 0 days from today."""
    return [
        ((d.day - today).days, d)
        for d in selectors.deadlines(org, today=today)
        if (d.day - today).days in DAYS_BEFORE
    ]


def send_reminders(org: Organisation, today: datetime.date) -> int:
    """Send today's reminder e-mail; returns how many deadlines it recalls (0: none sent).
    Reminders already recorded for a deadline at that distance are not sent again."""
    recipients = org_selectors.owner_and_manager_emails(org)
    if not recipients:
        return 0
    with transaction.atomic():
        lock(org)  # two runs at once: the second finds the first's records
        found = due_for_reminder(org, today)
        sent = set(
            ReminderSent.objects.for_org(org)
            .filter(uid__in=[d.uid for _n, d in found])
            .values_list("uid", "days_before")
        )
        fresh = [(n, d) for n, d in found if (d.uid, n) not in sent]
        if not fresh:
            return 0
        ReminderSent.objects.bulk_create(
            ReminderSent(organisation=org, uid=d.uid, days_before=n, day=d.day) for n, d in fresh
        )
        context = {
            "org": org,
            # Soonest first: (heading, days before, [(deadline, its address)]).
            "groups": [
                (HEADINGS[days], days, items)
                for days in sorted(DAYS_BEFORE)
                if (items := [(d, absolute(d.url)) for n, d in fresh if n == days])
            ],
            "due_today": sum(1 for n, _d in fresh if n == 0),
            "calendar": absolute(reverse("deadlines:list", args=[org.slug])),
        }
        transaction.on_commit(
            lambda: mail.send_templated(
                subject_template="deadlines/email/reminder_subject.txt",
                body_template="deadlines/email/reminder.txt",
                context=context,
                language=org.default_language,
                recipients=recipients,
            )
        )
    return len(fresh)
