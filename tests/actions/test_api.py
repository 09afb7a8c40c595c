import datetime

import pytest
from django.utils import timezone

from safelane.accounts.tokens import create_token
from safelane.actions import services
from safelane.actions.models import Action

TODAY = timezone.localdate()


@pytest.fixture
def api(client):
    def as_(user):
        _, raw = create_token(user=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_


def url(cast, pk=None):
    base = f"/api/v1/orgs/{cast.acme.slug}/actions/"
    return f"{base}{pk}/" if pk else base


def test_the_api_lists_my_late_actions(cast, api):
    for title, owner, days in (
        ("Late and mine", cast.contributor, -3),
        ("Mine, later", cast.contributor, 30),
        ("Late, not mine", cast.manager, -1),
    ):
        services.create_action(
            org=cast.acme,
            actor=cast.owner,
            values={"title": title, "owner": owner, "due_date": TODAY + datetime.timedelta(days)},
        )
    client = api(cast.contributor)
    mine_late = client.get(url(cast), {"owner": "me", "overdue": "1"}).json()["results"]
    assert [(a["title"], a["owner"], a["overdue"]) for a in mine_late] == [
        ("Late and mine", "carla@acme.test", True)
    ]
    everyone = client.get(url(cast)).json()["results"]
    assert [a["title"] for a in everyone] == ["Late and mine", "Late, not mine", "Mine, later"]


def test_the_api_creates_and_finishes_an_action_like_the_page(cast, api):
    client = api(cast.contributor)
    created = client.post(
        url(cast),
        {
            "title": "Quarterly access review",
            "kind": "monitoring",
            "owner": "MANUEL@acme.test",
            "criteria": ["4.7"],
            "due_date": TODAY.isoformat(),
            "recurrence": "quarterly",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["owner"], body["status"], body["criteria"]) == (
        "manuel@acme.test",
        "open",
        ["4.7"],
    )

    done = client.patch(
        url(cast, body["id"]),
        {"status": "done", "completion_note": "Reviewed 42 accounts", "version": body["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["completed_at"]
    nxt = Action.objects.for_org(cast.acme).exclude(pk=body["id"]).get()
    assert nxt.title == "Quarterly access review"
    assert nxt.due_date > TODAY  # the next quarter's occurrence

    stale = client.patch(
        url(cast, body["id"]),
        {"title": "Renamed", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    no_version = client.patch(
        url(cast, body["id"]), {"title": "Renamed"}, content_type="application/json"
    )
    assert no_version.status_code == 400


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x", "owner": "oscar@norte.test"}, "owner"),  # not a member of Acme
        ({"title": "x", "criteria": ["drop table"]}, "criteria"),
        ({"title": "", "kind": "training"}, "title"),
        ({"title": "x", "status": "finished"}, "status"),
    ],
)
def test_bad_actions_are_refused_with_the_field_named(cast, api, payload, field):
    response = api(cast.contributor).post(url(cast), payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Action.objects.for_org(cast.acme).exists()


def test_a_refused_status_leaves_no_action_behind(cast, api):
    refused = api(cast.contributor).post(
        url(cast),
        {"title": "x", "due_date": "9999-12-31", "recurrence": "yearly", "status": "done"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert not Action.objects.for_org(cast.acme).exists()


def test_a_refused_update_saves_none_of_it(cast, api):
    act = services.create_action(
        org=cast.acme, actor=cast.owner, values={"title": "Before", "priority": "low"}
    )
    refused = api(cast.contributor).patch(
        url(cast, act.pk),
        {"title": "After", "priority": "high", "due_date": "9999-12-31", "version": act.version},
        content_type="application/json",
    )
    assert refused.status_code == 400
    act.refresh_from_db()
    assert (act.title, act.priority) == ("Before", "low")


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nope"},
        {"owner": "x" * 300},
        {"owner": "a\x00b"},
        {"overdue": "²"},
        {"page": "99999999999999999999"},
    ],
)
def test_odd_filters_never_answer_a_server_error(cast, api, params):
    assert api(cast.viewer).get(url(cast), params).status_code in (200, 400, 404)


def test_a_viewer_reads_but_cannot_create(cast, api):
    client = api(cast.viewer)
    assert client.get(url(cast)).status_code == 200
    assert (
        client.post(url(cast), {"title": "x"}, content_type="application/json").status_code == 403
    )
