"""The inspections API: a device sends a finished inspection with its photos once; a resend
answers with the first record; refusals say why; the list holds the organisation's own."""

import json
import uuid

import pytest

from safelane.accounts.tokens import create_token
from safelane.actions import selectors as action_selectors
from safelane.inspections.models import ChecklistPoint, Inspection, Photo
from tests.inspections.conftest import checklists, jpeg, site


@pytest.fixture
def api(client):
    def as_(user):
        _, raw = create_token(user=user, name="t")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return as_


def base(cast):
    return f"/api/v1/orgs/{cast.acme.slug}/inspections/"


def payload(checklist, where, client_id, fail=None):
    points = ChecklistPoint.objects.for_org(checklist.organisation).filter(checklist=checklist)
    return {
        "client_id": str(client_id),
        "checklist": checklist.pk,
        "site": where.pk,
        "seals": ["ACME0012345"],
        "signed_name": "Carla Contributor",
        "attested": True,
        "device_time": "2026-12-02T08:15:00Z",
        "results": [
            {"point": p.pk, "outcome": "fail" if p.key == fail else "pass", "note": "Cut seal"}
            for p in points
        ],
    }


def test_a_device_sends_an_inspection_with_photos_once(cast, api):
    seal = checklists(cast)["seal-check"]
    where = site(cast)
    view = ChecklistPoint.objects.for_org(cast.acme).get(checklist=seal, key="view")
    body = payload(seal, where, uuid.uuid4(), fail="tug")
    form = {
        **body,
        "results": json.dumps(body["results"]),
        "seals": body["seals"],
        "attested": "true",
    }
    client = api(cast.contributor)
    first = client.post(base(cast), {**form, f"photos-{view.pk}": jpeg("seal.jpg")})
    assert first.status_code == 201, first.content
    assert first.json()["failed"] == 1
    again = client.post(base(cast), {**form, f"photos-{view.pk}": jpeg("seal.jpg")})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Inspection.objects.for_org(cast.acme).count() == 1
    assert Photo.objects.for_org(cast.acme).count() == 1
    inspection = Inspection.objects.for_org(cast.acme).get()
    assert action_selectors.for_origin(cast.acme, inspection).count() == 1


def test_a_json_send_without_the_required_photo_is_refused_with_the_reason(cast, api):
    seal = checklists(cast)["seal-check"]
    sent = api(cast.contributor).post(
        base(cast), payload(seal, site(cast), uuid.uuid4()), content_type="application/json"
    )
    assert sent.status_code == 400
    assert "needs a photo" in json.dumps(sent.json())
    assert not Inspection.objects.for_org(cast.acme).exists()


def test_another_organisations_checklist_is_refused(cast, api):
    seal = checklists(cast)["seal-check"]
    sent = api(cast.outsider).post(
        f"/api/v1/orgs/{cast.norte.slug}/inspections/",
        payload(seal, site(cast), uuid.uuid4()),
        content_type="application/json",
    )
    assert sent.status_code == 400


def test_a_viewer_may_not_send_and_the_list_is_the_organisations_own(cast, api):
    seal = checklists(cast)["container-7-point"]
    refused = api(cast.viewer).post(
        base(cast), payload(seal, site(cast), uuid.uuid4()), content_type="application/json"
    )
    assert refused.status_code == 403
    assert api(cast.viewer).get(base(cast)).json()["results"] == []
