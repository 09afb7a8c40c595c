"""`safelane clocks` and the daily `safelane send_annual_review_notices`."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from safelane.membership import services

D = datetime.date


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_clocks_json_prints_what_the_api_holds(cast, as_user):
    services.change_status(
        org=cast.acme,
        actor=cast.owner,
        status="certified",
        on=D(2024, 2, 29),
        expected_version=None,
    )
    printed = json.loads(run("clocks", cast.acme.slug, "--json"))
    api = as_user(cast.owner).get(f"/api/v1/orgs/{cast.acme.slug}/membership/").json()
    assert printed == api["clocks"]
    assert printed["first_validation_due"] == "2025-02-28"


def test_clocks_in_words_name_each_rule(cast):
    printed = run("clocks", cast.acme.slug)
    assert "Not applied yet" in printed
    assert "within 90 days of its submission" in printed


def test_clocks_of_an_unknown_organisation_say_so(db):
    with pytest.raises(CommandError):
        run("clocks", "nobody")


def certified_a_year_ago_plus(cast, days):
    today = datetime.date.today()
    return services.change_status(
        org=cast.acme,
        actor=cast.owner,
        status="certified",
        on=today.replace(year=today.year - 1) + datetime.timedelta(days=days),
        expected_version=None,
    )


def test_owners_and_managers_get_one_mail_per_window(cast, committed):
    certified_a_year_ago_plus(cast, 60)  # the window opened 30 days ago
    with committed():
        run("send_annual_review_notices")
        run("send_annual_review_notices")
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {cast.owner.email, cast.manager.email, cast.consultant.email}
    assert "review window is open" in mail.outbox[0].subject
    assert "60 days left" in mail.outbox[0].body


def test_no_mail_before_the_window_opens(cast, committed):
    certified_a_year_ago_plus(cast, 91)  # opens tomorrow
    with committed():
        run("send_annual_review_notices")
    assert mail.outbox == []
