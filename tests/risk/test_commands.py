"""The daily reminder of the next risk assessment."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safelane.risk import services
from safelane.risk.models import RiskAssessment
from tests.risk.builders import ACME_LEADS


def test_the_daily_command_reminds_only_of_the_newest_assessment_when_due(cast):
    today = timezone.localdate()
    old = services.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2025", year=2025)
    RiskAssessment.objects.for_org(cast.acme).filter(pk=old.pk).update(
        next_due=today + datetime.timedelta(days=7)
    )
    norte = services.start_assessment(org=cast.norte, actor=cast.outsider, title="R", year=2025)
    RiskAssessment.objects.for_org(cast.norte).filter(pk=norte.pk).update(
        next_due=today + datetime.timedelta(days=8)
    )
    mail.outbox.clear()
    call_command("send_risk_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [ACME_LEADS]
    assert "Risk 2025" in mail.outbox[0].body
    assert "due soon" in mail.outbox[0].subject

    services.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026)
    mail.outbox.clear()
    call_command("send_risk_reminders", stdout=io.StringIO())
    assert mail.outbox == []
