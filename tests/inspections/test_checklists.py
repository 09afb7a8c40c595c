"""The starter checklists: their points and criteria as the facts give them, loaded once per
organisation as its own copy, edited by managers only."""

import pytest

from safelane.catalog import selectors as catalog_selectors
from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.inspections import services
from safelane.inspections.models import Checklist, ChecklistPoint
from tests.inspections.conftest import checklists


def test_every_shipped_point_evidences_criteria_of_the_shipped_catalog(db):
    version = catalog_selectors.current_version()
    known = set(catalog_selectors.criteria(version).values_list("ident", flat=True))
    for checklist in services.shipped_checklists():
        assert checklist["title_es"], checklist["key"]
        assert checklist["description_es"], checklist["key"]
        assert set(checklist["criteria"]) <= known, checklist["key"]
        for point in checklist["points"]:
            assert point["criteria"], point["key"]
            assert set(point["criteria"]) <= known, point["key"]
            assert all(point[name] for name in ("title_es", "look_at", "look_at_es")), point["key"]


def test_the_shipped_checklists_have_the_ctpat_point_counts(db):
    shipped = {c["key"]: c for c in services.shipped_checklists()}
    assert len(shipped["container-7-point"]["points"]) == 7
    assert len(shipped["reefer-8-point"]["points"]) == 8
    assert shipped["reefer-8-point"]["points"][-1]["key"] == "fan-housing"
    sections = [p.get("section") for p in shipped["tractor-trailer-17-point"]["points"]]
    assert sections.count("tractor") == 7
    assert sections.count("trailer") == 10
    wood = [p for p in shipped["agricultural-pests"]["points"] if "ISPM 15" in p["title"]]
    assert wood
    assert wood[0]["criteria"] == ["8.1"]
    vvtt = [p["key"] for p in shipped["seal-check"]["points"]]
    assert vvtt == ["iso-17712", "view", "verify", "tug", "twist-turn"]


def test_the_starter_checklists_load_once_and_are_a_managers_call(cast):
    with pytest.raises(NotAllowedError):
        services.load_checklists(org=cast.acme, actor=cast.contributor)
    made = services.load_checklists(org=cast.acme, actor=cast.manager)
    assert len(made) == 5
    assert services.load_checklists(org=cast.acme, actor=cast.owner) == []
    tractor = Checklist.objects.for_org(cast.acme).get(key="tractor-trailer-17-point")
    assert tractor.supervisor_signoff
    points = list(ChecklistPoint.objects.for_org(cast.acme).filter(checklist=tractor))
    assert [p.position for p in points] == list(range(1, 18))
    assert not Checklist.objects.for_org(cast.norte).exists()


def test_a_deleted_starter_comes_back_and_the_others_stay_as_edited(cast):
    found = checklists(cast)
    services.update_checklist(
        org=cast.acme,
        actor=cast.manager,
        checklist=found["seal-check"],
        expected_version=1,
        values={"title": "Gate seal check"},
    )
    found["reefer-8-point"].delete()
    made = services.load_checklists(org=cast.acme, actor=cast.manager)
    assert [c.key for c in made] == ["reefer-8-point"]
    assert Checklist.objects.for_org(cast.acme).get(key="seal-check").title == "Gate seal check"


def test_a_point_is_reworded_and_its_criteria_checked(cast):
    point = ChecklistPoint.objects.for_org(cast.acme).filter(
        checklist=checklists(cast)["container-7-point"]
    )[0]
    with pytest.raises(DomainError) as refused:
        services.update_point(
            org=cast.acme,
            actor=cast.manager,
            point=point,
            expected_version=1,
            values={"criteria": ["5.3", "99.9"]},
        )
    assert refused.value.field == "criteria"
    with pytest.raises(DomainError):
        services.update_point(
            org=cast.acme,
            actor=cast.manager,
            point=point,
            expected_version=1,
            values={"title": " "},
        )
    with pytest.raises(NotAllowedError):
        services.update_point(
            org=cast.acme, actor=cast.contributor, point=point, expected_version=1, values={}
        )
    saved = services.update_point(
        org=cast.acme,
        actor=cast.manager,
        point=point,
        expected_version=1,
        values={"title": "Front wall (tap it)", "photo_required": True},
    )
    assert saved.version == 2
    assert saved.photo_required
    with pytest.raises(ConflictError):
        services.update_point(
            org=cast.acme, actor=cast.manager, point=saved, expected_version=1, values={}
        )


def test_an_archived_checklist_takes_no_edit(cast):
    seal = checklists(cast)["seal-check"]
    archived = services.set_checklist_archived(
        org=cast.acme, actor=cast.manager, checklist=seal, archived=True, expected_version=1
    )
    with pytest.raises(DomainError):
        services.update_checklist(
            org=cast.acme, actor=cast.manager, checklist=archived, expected_version=2, values={}
        )
    assert not Checklist.objects.for_org(cast.acme).live().filter(key="seal-check").exists()
