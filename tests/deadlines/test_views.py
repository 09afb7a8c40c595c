"""The deadlines list and month, the feed page and its doors, and the feed itself."""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

from django.urls import reverse

from safelane.actions import services as action_services
from safelane.deadlines import feeds, services
from safelane.deadlines.models import CalendarFeed
from safelane.membership import services as membership_services
from tests.deadlines.rfc5545 import parse

TODAY = datetime.date.today()


def certify(org, owner, on=datetime.date(2024, 2, 29)):
    membership_services.change_status(
        org=org, actor=owner, status="certified", on=on, expected_version=None
    )


def action(org, owner, title, days=10):
    return action_services.create_action(
        org=org,
        actor=owner,
        values={"title": title, "due_date": TODAY + datetime.timedelta(days=days)},
        notify=False,
    )


def test_an_empty_calendar_says_what_fills_it(cast, as_user):
    page = as_user(cast.viewer).get(reverse("deadlines:list", args=[cast.acme.slug]))
    assert "Nothing is due" in page.content.decode()


def test_the_list_holds_the_clocks_and_the_actions_soonest_first(cast, as_user):
    certify(cast.acme, cast.owner)
    action(cast.acme, cast.owner, "Replace the seal log", days=3)
    page = as_user(cast.viewer).get(reverse("deadlines:list", args=[cast.acme.slug]))
    text = page.content.decode()
    assert text.index("Replace the seal log") < text.index("Annual security profile review due")
    assert "First validation due" in text


def test_the_kind_filter_keeps_only_what_is_asked(cast, as_user):
    certify(cast.acme, cast.owner)
    action(cast.acme, cast.owner, "Replace the seal log")
    url = reverse("deadlines:list", args=[cast.acme.slug])
    text = as_user(cast.viewer).get(url, {"kind": "action"}).content.decode()
    assert "Replace the seal log" in text
    assert "Annual security profile review due" not in text


def test_the_month_view_puts_each_deadline_on_its_day(cast, as_user):
    action(cast.acme, cast.owner, "Train the drivers", days=0)
    url = reverse("deadlines:list", args=[cast.acme.slug])
    page = as_user(cast.viewer).get(url, {"view": "month", "month": TODAY.strftime("%Y-%m")})
    assert page.status_code == 200
    assert "Train the drivers" in page.content.decode()
    assert 'class="calendar"' in page.content.decode()


def test_a_bad_month_answers_400(cast, as_user):
    url = reverse("deadlines:list", args=[cast.acme.slug])
    assert as_user(cast.viewer).get(url, {"month": "2026-13"}).status_code == 400


def test_a_person_makes_their_feed_sees_it_and_revokes_it(cast, as_user):
    client = as_user(cast.consultant)
    assert "no feed address yet" in client.get(reverse("deadlines:feed")).content.decode()
    client.post(reverse("deadlines:feed_create"))
    feed = CalendarFeed.objects.get(user=cast.consultant)
    url = services.feed_url(feed)
    assert url in client.get(reverse("deadlines:feed")).content.decode()
    path = reverse("deadlines:ical", args=[feeds.token(cast.consultant.pk, feed.nonce)])
    assert client.get(path).status_code == 200
    client.post(reverse("deadlines:feed_revoke"))
    assert client.get(path).status_code == 404


def test_the_feed_holds_the_persons_organisations_and_no_other(cast, client):
    certify(cast.acme, cast.owner)
    action(cast.acme, cast.owner, "Acme: replace the seal log")
    action(cast.norte, cast.outsider, "Norte: fence repair")
    owners_feed = services.ensure_feed(actor=cast.owner)
    path = reverse("deadlines:ical", args=[feeds.token(cast.owner.pk, owners_feed.nonce)])
    response = client.get(path)
    assert response["Content-Type"].startswith("text/calendar")
    events = parse(response.content.decode())
    summaries = " | ".join(e["SUMMARY"] for e in events)
    assert "Acme: replace the seal log · Acme Imports" in summaries
    assert "Annual security profile review due · Acme Imports" in summaries
    assert "Norte" not in summaries
    # Consuelo belongs to both: her feed holds both.
    both = services.ensure_feed(actor=cast.consultant)
    path = reverse("deadlines:ical", args=[feeds.token(cast.consultant.pk, both.nonce)])
    summaries = " | ".join(e["SUMMARY"] for e in parse(client.get(path).content.decode()))
    assert "Norte: fence repair" in summaries
    assert "Acme: replace the seal log" in summaries


def test_a_forged_or_other_persons_token_opens_nothing(cast, client):
    feed = services.ensure_feed(actor=cast.owner)
    secret = feeds.token(cast.owner.pk, feed.nonce).partition(".")[2]
    for token in (f"{cast.manager.pk}.{secret}", "1." + "A" * 43, "nonsense"):
        assert client.get(reverse("deadlines:ical", args=[token])).status_code == 404


def test_the_api_gives_the_callers_feed_address_making_it_once(cast, as_user):
    client = as_user(cast.viewer)
    first = client.get("/api/v1/me/calendar-feed/").json()["url"]
    again = client.get("/api/v1/me/calendar-feed/").json()["url"]
    assert first == again
    assert first.endswith(".ics")
    assert CalendarFeed.objects.filter(user=cast.viewer).count() == 1
    assert client.get(urlparse(first).path).status_code == 200


def test_the_api_asks_for_a_signed_in_caller(client):
    assert client.get("/api/v1/me/calendar-feed/").status_code in (401, 403)
