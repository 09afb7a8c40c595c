"""The checklist pages: the empty list offers the starter set, a manager loads and edits it,
Spanish readers read the Spanish wording, a contributor reads without live fields."""

from django.urls import reverse
from django.utils import translation

from safelane.inspections.models import ChecklistPoint
from tests.inspections.conftest import checklists


def url(cast, name, *args):
    return reverse(f"inspections:{name}", args=[cast.acme.slug, *args])


def test_the_empty_list_offers_the_starter_checklists_to_a_manager(cast, as_user):
    page = as_user(cast.manager).get(url(cast, "checklists")).content.decode()
    assert "No checklists yet." in page
    assert "Add the starter checklists" in page
    page = as_user(cast.contributor).get(url(cast, "checklists")).content.decode()
    assert "A manager or an owner adds them." in page
    assert "Add the starter checklists" not in page


def test_a_manager_loads_the_starter_checklists(cast, as_user):
    client = as_user(cast.manager)
    done = client.post(url(cast, "checklists_load"))
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "5 starter checklists were added." in page
    assert "17-point tractor and trailer inspection" in page
    assert "Add the starter checklists" not in page


def test_a_contributor_may_not_load_them(cast, as_user):
    assert as_user(cast.contributor).post(url(cast, "checklists_load")).status_code == 403


def test_the_checklist_page_reads_in_spanish(cast, as_user):
    reefer = checklists(cast)["reefer-8-point"]
    client = as_user(cast.viewer)
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        page = client.get(url(cast, "checklist", reefer.pk), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    assert "Carcasa del ventilador" in text
    assert all(f.disabled for f in page.context["form"].fields.values())


def test_a_manager_rewords_a_point_and_a_bad_criterion_is_refused(cast, as_user):
    point = ChecklistPoint.objects.for_org(cast.acme).filter(
        checklist=checklists(cast)["seal-check"]
    )[0]
    client = as_user(cast.manager)
    data = {
        "version": point.version,
        "title": point.title,
        "title_es": point.title_es,
        "look_at": "Check the seal class on the seal itself.",
        "look_at_es": point.look_at_es,
        "photo_required": "on",
        "criteria": "6.2, 77.1",
    }
    refused = client.post(url(cast, "point_save", point.pk), data)
    assert refused.status_code == 400
    assert "77.1 is not a criterion" in refused.content.decode()
    saved = client.post(url(cast, "point_save", point.pk), {**data, "criteria": "6.2, 6.5"})
    assert saved["Location"] == url(cast, "checklist", point.checklist_id)
    point.refresh_from_db()
    assert point.criteria == ["6.2", "6.5"]
    assert point.photo_required
