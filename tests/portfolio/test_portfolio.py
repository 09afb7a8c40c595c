"""The consultant's portfolio: every organisation they belong to, its figures, sorting, the red
rows, and a query count that does not grow with the number of organisations."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safelane.actions import services as action_services
from safelane.membership import services as membership_services
from safelane.orgs import services as org_services
from safelane.orgs.models import Role

TODAY = datetime.date.today()


def certify(org, owner, on):
    membership_services.change_status(
        org=org, actor=owner, status="certified", on=on, expected_version=None
    )


def overdue_action(org, owner, title="Late"):
    action = action_services.create_action(
        org=org, actor=owner, values={"title": title, "due_date": TODAY}, notify=False
    )
    # Due yesterday: written as the stored date, as a day passing would leave it.
    type(action).objects.for_org(org).filter(pk=action.pk).update(
        due_date=TODAY - datetime.timedelta(days=1)
    )


def test_the_consultant_sees_every_organisation_they_belong_to_and_no_other(cast, as_user):
    stranger = org_services.create_organisation(
        actor=cast.owner, name="Zeta Only Owner", country="US"
    )
    body = as_user(cast.consultant).get("/api/v1/portfolio/").json()
    assert {row["organisation"] for row in body} == {cast.acme.slug, cast.norte.slug}
    assert stranger.slug not in {row["organisation"] for row in body}


def test_each_row_holds_status_overdue_actions_and_the_next_deadline(cast, as_user):
    certify(cast.acme, cast.owner, TODAY.replace(year=TODAY.year - 1) + datetime.timedelta(days=20))
    overdue_action(cast.acme, cast.owner)
    rows = {r["organisation"]: r for r in as_user(cast.consultant).get("/api/v1/portfolio/").json()}
    acme = rows[cast.acme.slug]
    assert acme["status"] == "certified"
    assert acme["overdue_actions"] == 1
    assert acme["next_deadline_kind"] == "first_validation_due"
    assert acme["days_left"] == 20
    assert acme["clock_within_30_days"] is True
    norte = rows[cast.norte.slug]
    assert (norte["status"], norte["next_deadline"], norte["clock_within_30_days"]) == (
        "not-applied",
        None,
        False,
    )


def test_the_page_marks_the_red_rows_and_sorts(cast, as_user):
    certify(cast.acme, cast.owner, TODAY.replace(year=TODAY.year - 1) + datetime.timedelta(days=20))
    client = as_user(cast.consultant)
    page = client.get(reverse("portfolio:portfolio")).content.decode()
    assert f'data-org="{cast.acme.slug}" class="bad" data-red="1"' in page
    by_name = client.get(reverse("portfolio:portfolio"), {"sort": "name"}).content.decode()
    assert by_name.index("Acme Imports") < by_name.index("Norte")
    assert client.get(reverse("portfolio:portfolio"), {"sort": "nonsense"}).status_code == 200


def test_someone_in_no_organisation_sees_an_empty_portfolio(db, as_user):
    from tests.conftest import make_user

    page = as_user(make_user("nobody@example.test")).get(reverse("portfolio:portfolio"))
    assert "You belong to no organisation yet." in page.content.decode()


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_query_count_is_the_same_with_50_organisations_as_with_2(cast, as_user):
    client = as_user(cast.consultant)
    urls = [reverse("portfolio:portfolio"), "/api/v1/portfolio/"]

    def add_clients(n, start):
        for i in range(start, start + n):
            org = org_services.create_organisation(
                actor=cast.outsider, name=f"Client {i}", country="US"
            )
            org_services.add_member(
                org=org, actor=cast.outsider, user=cast.consultant, role=Role.MANAGER
            )
            certify(org, cast.outsider, datetime.date(2024, 2, 29))
            overdue_action(org, cast.outsider)

    add_clients(0, 0)
    few = [count_queries(client, url) for url in urls]
    add_clients(48, 0)
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert many[0] <= 8
