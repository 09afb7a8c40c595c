from django.db import connection
from django.test.utils import CaptureQueriesContext

from safelane.accounts.tokens import create_token
from safelane.core.models import AuditEntry
from safelane.orgs import services
from safelane.orgs.models import Role
from tests.conftest import make_user


def api(client, user):
    _, raw = create_token(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_a_manager_updates_the_profile_with_the_version_read(cast, client):
    client = api(client, cast.manager)
    url = f"/api/v1/orgs/{cast.acme.slug}/"
    profile = client.get(url).json()
    assert profile["version"] == 1
    response = client.patch(url, {"currency": "CAD", "version": 1}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["currency"] == "CAD"
    entry = AuditEntry.objects.for_org(cast.acme).for_object(cast.acme).first()
    assert entry.source == "api"
    assert entry.changes == {"currency": ["USD", "CAD"]}


def test_a_stale_update_gets_409_with_the_current_record(cast, client):
    client = api(client, cast.manager)
    url = f"/api/v1/orgs/{cast.acme.slug}/"
    client.patch(url, {"name": "First", "version": 1}, content_type="application/json")
    response = client.patch(url, {"name": "Second", "version": 1}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "First"
    assert response.json()["current"]["version"] == 2


def test_an_update_without_a_version_is_refused(cast, client):
    response = api(client, cast.manager).patch(
        f"/api/v1/orgs/{cast.acme.slug}/", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_bad_input_gets_field_messages(cast, client):
    client = api(client, cast.manager)
    url = f"/api/v1/orgs/{cast.acme.slug}/"
    response = client.patch(url, {"country": "ZZ", "version": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "country" in response.json()
    response = client.patch(url, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_owners_change_roles_but_not_the_last_owners(cast, client):
    client = api(client, cast.owner)
    members = client.get(f"/api/v1/orgs/{cast.acme.slug}/members/").json()["results"]
    by_email = {m["email"]: m for m in members}
    viewer = by_email["victor@audit.test"]
    response = client.patch(
        f"/api/v1/orgs/{cast.acme.slug}/members/{viewer['id']}/",
        {"role": "contributor", "version": viewer["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "contributor"
    owner = by_email["olivia@acme.test"]
    response = client.patch(
        f"/api/v1/orgs/{cast.acme.slug}/members/{owner['id']}/",
        {"role": "viewer", "version": owner["version"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at least one owner" in response.json()["detail"][0]


def test_a_role_change_needs_the_version_its_owner_read(cast, client):
    client = api(client, cast.owner)
    viewer = next(
        m
        for m in client.get(f"/api/v1/orgs/{cast.acme.slug}/members/").json()["results"]
        if m["email"] == "victor@audit.test"
    )
    address = f"/api/v1/orgs/{cast.acme.slug}/members/{viewer['id']}/"
    missing = client.patch(address, {"role": "manager"}, content_type="application/json")
    assert missing.status_code == 400
    assert "version" in missing.json()
    client.patch(
        address,
        {"role": "contributor", "version": viewer["version"]},
        content_type="application/json",
    )
    stale = client.patch(
        address, {"role": "manager", "version": viewer["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["role"] == "contributor"


def test_the_member_list_makes_the_same_queries_for_few_or_many(cast, client):
    client = api(client, cast.viewer)
    url = f"/api/v1/orgs/{cast.acme.slug}/members/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        services.add_member(
            org=cast.acme, actor=cast.owner, user=make_user(f"m{n}@acme.test"), role=Role.VIEWER
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["results"]) == 25
    assert len(many) == len(few)


def test_the_audit_api_filters_and_rejects_bad_dates(cast, client):
    client = api(client, cast.viewer)
    url = f"/api/v1/orgs/{cast.acme.slug}/audit-entries/"
    rows = client.get(url, {"action": "create"}).json()["results"]
    assert rows
    assert {row["action"] for row in rows} == {"create"}
    response = client.get(url, {"since": "yesterday"})
    assert response.status_code == 400
    assert "since" in response.json()


def test_the_schema_and_its_documentation_are_served(db, client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/orgs/{org_slug}/members/" in schema["paths"]
    assert "personalAccessToken" in schema["components"]["securitySchemes"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "//cdn" not in docs
