"""The daily digest of late and soon-due work."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import action

TODAY = timezone.localdate()


def test_the_daily_digest_goes_to_owners_with_late_work(cast):
    action(cast, title="Late", owner=cast.contributor, due_date=TODAY - datetime.timedelta(days=2))
    action(cast, title="Fine", owner=cast.manager, due_date=TODAY + datetime.timedelta(days=90))
    mail.outbox.clear()
    call_command("send_action_digests", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["carla@acme.test"]]
    assert "Late" in mail.outbox[0].body
