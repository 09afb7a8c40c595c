"""The inspection pages: the list's empty states, doing an inspection in the form (refused with
the reason, then recorded once), its page with the action it raised, and the sign-off door."""

import uuid

from django.urls import reverse

from safelane.inspections.models import ChecklistPoint, Inspection
from tests.inspections.conftest import checklists, jpeg, receive, site


def url(cast, name, *args):
    return reverse(f"inspections:{name}", args=[cast.acme.slug, *args])


def test_the_list_says_what_is_missing_before_the_first_inspection(cast, as_user):
    client = as_user(cast.contributor)
    page = client.get(url(cast, "list")).content.decode()
    assert "There is no checklist yet." in page
    assert "No inspections yet." in page
    checklists(cast)
    assert "There is no site yet." in client.get(url(cast, "list")).content.decode()
    site(cast)
    page = client.get(url(cast, "list")).content.decode()
    assert "17-point tractor and trailer inspection" in page


def form_data(checklist, where, client_id, fail=None):
    data = {
        "client_id": str(client_id),
        "checklist": checklist.pk,
        "site": where.pk,
        "tractor": "T-104",
        "trailer": "53-8812",
        "seals": "ACME0012345",
        "driver": "Luis Pérez",
        "device_time": "2026-12-02T08:15:00",
        "signed_name": "Carla Contributor",
        "attested": "on",
    }
    for point in ChecklistPoint.objects.for_org(checklist.organisation).filter(checklist=checklist):
        data[f"outcome-{point.pk}"] = "fail" if point.key == fail else "pass"
        data[f"note-{point.pk}"] = "Loose panel behind the bunk." if point.key == fail else ""
        if point.photo_required:
            data[f"photos-{point.pk}"] = jpeg(f"{point.key}.jpg")
    return data


def test_an_inspector_does_an_inspection_and_a_failed_point_raises_an_action(cast, as_user):
    tractor = checklists(cast)["tractor-trailer-17-point"]
    where = site(cast)
    client = as_user(cast.contributor)
    form = client.get(url(cast, "inspection_create"), {"checklist": tractor.pk})
    assert form.status_code == 200
    client_id = form.context["form"].initial["client_id"]
    data = form_data(tractor, where, client_id, fail="cab-sleeper")
    unsigned = client.post(url(cast, "inspection_create"), {**data, "attested": ""})
    assert unsigned.status_code == 400
    assert "Sign the inspection" in unsigned.content.decode()
    assert "Loose panel behind the bunk." in unsigned.content.decode()  # kept for the retry
    done = client.post(
        url(cast, "inspection_create"), form_data(tractor, where, client_id, fail="cab-sleeper")
    )
    inspection = Inspection.objects.for_org(cast.acme).get()
    assert done["Location"] == url(cast, "inspection", inspection.pk)
    page = client.get(done["Location"]).content.decode()
    assert "The inspection is recorded." in page
    assert "1 point failed" in page
    assert "Inspection exception" in page
    assert "Awaiting sign-off" in page
    again = client.post(url(cast, "inspection_create"), form_data(tractor, where, client_id))
    assert again["Location"] == done["Location"]
    assert Inspection.objects.for_org(cast.acme).count() == 1


def test_without_a_checklist_the_form_offers_them_and_a_bad_one_is_not_found(cast, as_user):
    client = as_user(cast.contributor)
    assert (
        "There is no checklist yet." in client.get(url(cast, "inspection_create")).content.decode()
    )
    assert client.get(url(cast, "inspection_create"), {"checklist": "x"}).status_code == 404


def test_the_supervisor_signs_off_from_the_inspection_page(cast, as_user):
    found = checklists(cast)
    inspection = receive(cast, found["tractor-trailer-17-point"], site(cast)).inspection
    refused = as_user(cast.viewer).post(
        url(cast, "inspection_signoff", inspection.pk), {"version": 1}
    )
    assert refused.status_code == 403
    done = as_user(cast.manager).post(
        url(cast, "inspection_signoff", inspection.pk), {"version": 1}
    )
    assert done.status_code == 302
    page = as_user(cast.viewer).get(done["Location"]).content.decode()
    assert "Signed off by manuel@acme.test" in page


def test_a_manager_adds_a_site_with_its_supervisor(cast, as_user):
    client = as_user(cast.manager)
    done = client.post(
        url(cast, "site_create"), {"name": "Laredo yard", "supervisors": "manuel@acme.test"}
    )
    assert done.status_code == 302
    assert "manuel@acme.test" in client.get(url(cast, "site_list")).content.decode()
    refused = client.post(url(cast, "site_create"), {"name": "Dock 4", "supervisors": "x@y.test"})
    assert refused.status_code == 400
    assert "is not a member" in refused.content.decode()


def test_a_new_client_id_is_offered_each_time(cast, as_user):
    tractor = checklists(cast)["seal-check"]
    client = as_user(cast.contributor)
    ids = {
        client.get(url(cast, "inspection_create"), {"checklist": tractor.pk})
        .context["form"]
        .initial["client_id"]
        for _ in range(2)
    }
    assert len(ids) == 2
    assert all(isinstance(i, uuid.UUID) for i in ids)


def test_only_who_may_sign_off_is_offered_the_button(cast, as_user):
    found = checklists(cast)
    inspection = receive(cast, found["tractor-trailer-17-point"], site(cast)).inspection
    page = url(cast, "inspection", inspection.pk)
    assert "Sign off as supervisor" not in as_user(cast.contributor).get(page).content.decode()
    assert "Sign off as supervisor" in as_user(cast.manager).get(page).content.decode()


def test_the_phone_app_is_served_by_safelane(cast, as_user):
    client = as_user(cast.viewer)
    worker = client.get(url(cast, "worker"))
    assert worker["Content-Type"].startswith("text/javascript")
    assert url(cast, "list") in worker.content.decode()
    manifest = client.get(url(cast, "manifest")).json()
    assert manifest["scope"] == url(cast, "list")
    assert manifest["display"] == "standalone"
