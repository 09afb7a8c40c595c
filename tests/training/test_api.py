"""The training API: people with the version check, courses, sessions and the matrix."""

import pytest

from safelane.accounts.tokens import create_token
from safelane.training.models import Person
from tests.training.conftest import courses, person


@pytest.fixture
def api(client):
    def as_(user):
        _, raw = create_token(user=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_


def base(cast, what):
    return f"/api/v1/orgs/{cast.acme.slug}/{what}/"


def test_people_are_created_filtered_and_updated_with_the_version(cast, api):
    client = api(cast.contributor)
    made = client.post(
        base(cast, "people"),
        {"employee_number": "E1", "name": "Ana", "role": "Driver", "site": "Laredo yard"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    twice = client.post(
        base(cast, "people"),
        {"employee_number": "E1", "name": "Bea"},
        content_type="application/json",
    )
    assert twice.status_code == 400
    assert "someone else's" in twice.json()["employee_number"][0]
    assert client.get(base(cast, "people"), {"site": "laredo yard"}).json()["count"] == 1
    left = client.patch(
        f"{base(cast, 'people')}{body['id']}/",
        {"active": False, "version": body["version"]},
        content_type="application/json",
    )
    assert left.status_code == 200
    stale = client.patch(
        f"{base(cast, 'people')}{body['id']}/",
        {"name": "Ana B", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["active"] is False
    assert client.get(base(cast, "people")).json()["count"] == 0
    assert client.get(base(cast, "people"), {"active": "all"}).json()["count"] == 1
    assert Person.objects.for_org(cast.acme).count() == 1


def test_sessions_and_the_matrix(cast, api):
    found = courses(cast)
    ana = person(cast, "E1", name="Ana")
    client = api(cast.contributor)
    made = client.post(
        base(cast, "training-sessions"),
        {
            "held_on": "2026-11-30",
            "trainer": "Carla",
            "mode": "on-the-job",
            "courses": [found["seals"].pk],
            "people": [ana.pk],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    assert [a["name"] for a in made.json()["attendance"]] == ["Ana"]
    theirs = client.post(
        base(cast, "training-sessions"),
        {"held_on": "2026-11-30", "trainer": "X", "courses": [10**18]},
        content_type="application/json",
    )
    assert theirs.status_code == 400
    matrix = client.get(base(cast, "training-matrix")).json()
    row = matrix["results"][0]
    seals = next(c for c in row["cells"] if c["course"] == found["seals"].pk)
    assert (row["employee_number"], seals["state"], seals["done_on"]) == (
        "E1",
        "done",
        "2026-11-30",
    )


def test_a_course_is_a_managers_to_change(cast, api):
    seals = courses(cast)["seals"]
    address = f"{base(cast, 'courses')}{seals.pk}/"
    refused = api(cast.contributor).patch(
        address, {"validity_months": 24, "version": seals.version}, content_type="application/json"
    )
    assert refused.status_code == 403
    done = api(cast.manager).patch(
        address,
        {"validity_months": 24, "criteria": ["6.1", "12.1"], "version": seals.version},
        content_type="application/json",
    )
    assert done.status_code == 200, done.json()
    assert done.json()["validity_months"] == 24


def test_the_schema_describes_the_training_endpoints(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/orgs/{org_slug}/training-matrix/" in paths
    people = paths["/api/v1/orgs/{org_slug}/people/"]["get"]
    assert {"q", "site", "role", "active"} <= {p["name"] for p in people["parameters"]}
