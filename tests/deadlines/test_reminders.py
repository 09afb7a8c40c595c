"""Reminders at 30 days, 7 days and on the day: one e-mail to the owners and managers, each
deadline recalled at each distance once however often the daily command runs."""

from __future__ import annotations

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safelane.actions import services as action_services
from safelane.deadlines import reminders
from safelane.deadlines.models import ReminderSent

TODAY = datetime.date(2026, 12, 2)


def action(cast, title, days):
    return action_services.create_action(
        org=cast.acme,
        actor=cast.owner,
        values={"title": title, "due_date": TODAY + datetime.timedelta(days=days)},
    )


def test_a_deadline_is_recalled_at_30_and_7_days_and_on_the_day_once_each(cast, committed):
    action(cast, "Replace the Laredo gate camera", 30)
    action(cast, "Seal training for the night shift", 7)
    action(cast, "Renew the alarm contract", 0)
    action(cast, "Not today: 12 days away", 12)
    with committed():
        assert reminders.send_reminders(cast.acme, TODAY) == 3
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == sorted([cast.owner.email, cast.manager.email, cast.consultant.email])
    assert cast.contributor.email not in sent.to
    assert cast.viewer.email not in sent.to
    assert "1 deadline falls due today" in sent.subject
    body = sent.body
    assert (
        body.index("Renew the alarm contract")
        < body.index("Seal training")
        < body.index("Replace the Laredo gate camera")
    )
    assert "12 days away" not in body
    assert "/o/acme-imports/deadlines/" in body

    # The command runs again (a second worker, a retry): nothing more is sent.
    with committed():
        assert reminders.send_reminders(cast.acme, TODAY) == 0
    assert len(mail.outbox) == 1
    # A week later the 30-day one is at 23 days: no reminder; the 7-day one is today.
    with committed():
        assert reminders.send_reminders(cast.acme, TODAY + datetime.timedelta(days=7)) == 1
    assert "Seal training for the night shift" in mail.outbox[1].body
    assert ReminderSent.objects.for_org(cast.acme).count() == 4


def test_nothing_due_sends_nothing_and_other_organisations_are_apart(cast, committed):
    action(cast, "Acme's own", 7)
    with committed():
        assert reminders.send_reminders(cast.norte, TODAY) == 0
    assert mail.outbox == []


def test_the_daily_command_queues_every_organisation(cast, committed):
    action_services.create_action(
        org=cast.acme,
        actor=cast.owner,
        values={"title": "Renew the alarm contract", "due_date": timezone.localdate()},
    )
    with committed():
        call_command("send_deadline_reminders", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox] == ["[Acme Imports] 1 deadline falls due today"]
