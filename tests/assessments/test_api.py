"""The responses API: the same filters as the page, the version check, no 5xx on odd input."""

import pytest

from safelane.accounts.tokens import create_token
from safelane.assessments.models import Status
from tests.factories import NARRATIVE, answer, importer_cycle


@pytest.fixture
def api(client):
    def as_(user):
        _, raw = create_token(user=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_


def test_the_api_reads_and_updates_responses_with_the_version(cast, api):
    cycle = importer_cycle(cast)
    client = api(cast.contributor)
    rows = client.get(
        f"/api/v1/orgs/{cast.acme.slug}/responses/", {"cycle": cycle.pk, "page_size": 200}
    ).json()["results"]
    assert len(rows) == 94
    target = next(r for r in rows if r["criterion_ident"] == "6.2")
    url = f"/api/v1/orgs/{cast.acme.slug}/responses/{target['id']}/"
    ok = client.patch(
        url,
        {"status": "met", "narrative": NARRATIVE, "version": target["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        url, {"status": "not-met", "version": target["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    refused = client.patch(
        url,
        {"status": "not-applicable", "justification": "", "version": ok.json()["version"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "justification" in refused.json()


def test_the_api_filters_answers_like_the_page(cast, api):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    client = api(cast.viewer)
    base = f"/api/v1/orgs/{cast.acme.slug}/responses/"
    met = client.get(base, {"cycle": cycle.pk, "status": "met"}).json()["results"]
    assert [r["criterion_ident"] for r in met] == ["6.2"]
    seals = client.get(base, {"category": "6", "page_size": 200}).json()["results"]
    assert {r["criterion_ident"].split(".")[0] for r in seals} == {"6"}


@pytest.mark.parametrize(
    "params",
    [
        {"cycle": "²"},
        {"cycle": "99999999999999999999999"},
        {"cycle": "-1"},
        {"status": "nope"},
        {"category": "²"},
        {"category": "a" * 50},
    ],
)
def test_odd_filters_are_refused_or_empty_never_a_server_error(cast, api, params):
    importer_cycle(cast)
    answer_ = api(cast.viewer).get(f"/api/v1/orgs/{cast.acme.slug}/responses/", params)
    assert answer_.status_code in (200, 400)
