"""The partners API: filters in the schema, the version check, hits to read."""

import pytest

from safelane.accounts.tokens import create_token
from safelane.partners.models import Partner
from tests.partners.conftest import partner


@pytest.fixture
def api(client):
    def as_(user):
        _, raw = create_token(user=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_


def base(cast):
    return f"/api/v1/orgs/{cast.acme.slug}/partners/"


def test_the_api_creates_filters_and_updates_partners(cast, api):
    client = api(cast.contributor)
    made = client.post(
        base(cast),
        {
            "name": "Transportes del Norte",
            "type": "highway_carrier",
            "countries": ["MX"],
            "other_names": ["TDN"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["type"], body["countries"], body["tier"]) == (
        "highway_carrier",
        ["MX"],
        body["computed_tier"],
    )
    assert [
        p["name"] for p in client.get(base(cast), {"type": "highway_carrier"}).json()["results"]
    ] == ["Transportes del Norte"]
    assert client.get(base(cast), {"country": "CN"}).json()["results"] == []
    address = f"{base(cast)}{body['id']}/"
    current = client.get(address).json()
    ok = client.patch(
        address,
        {"ctpat_status": "certified", "version": current["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.json()
    stale = client.patch(
        address, {"name": "X", "version": current["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert client.patch(address, {"name": "X"}, content_type="application/json").status_code == 400


@pytest.mark.parametrize(
    "params", [{"type": "pirate"}, {"country": "²"}, {"due": "\x00"}, {"tier": "x" * 300}]
)
def test_odd_filters_never_answer_a_server_error(cast, api, params):
    partner(cast)
    assert api(cast.viewer).get(base(cast), params).status_code in (200, 400)


def test_a_viewer_reads_but_does_not_write(cast, api):
    partner(cast)
    client = api(cast.viewer)
    assert len(client.get(base(cast)).json()["results"]) == 1
    refused = client.post(
        base(cast), {"name": "x", "type": "supplier"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Partner.objects.for_org(cast.acme).count() == 1


def test_screening_hits_are_read_with_their_status(cast, api, csl):
    partner(cast, name="Gulf Gate Shipping Company L.L.C.", kind="sea_carrier", countries=["AE"])
    hits = (
        api(cast.viewer)
        .get(f"/api/v1/orgs/{cast.acme.slug}/screening-hits/", {"status": "open"})
        .json()
    )
    assert [h["matched_name"] for h in hits["results"]] == ["Gulf Gate Shipping Co. LLC"]
