"""Receiving an inspection, exactly once, with its checks; a failed point raises an action and
tells the site's supervisors; the supervisor's sign-off."""

import uuid

import pytest
from django.core import mail

from safelane.actions import selectors as action_selectors
from safelane.core.errors import DomainError, NotAllowedError
from safelane.evidence.models import EvidenceLink
from safelane.inspections import services
from safelane.inspections.models import Inspection, Photo, PointResult
from tests.inspections.conftest import answers, checklists, jpeg, receive, site


@pytest.fixture
def found(cast):
    return checklists(cast)


def test_an_inspection_is_recorded_with_its_points_and_both_times(cast, found):
    got = receive(cast, found["container-7-point"], site(cast))
    assert got.created
    inspection = got.inspection
    assert inspection.container == "CSQU3054383"
    assert inspection.recorded_at is not None
    assert inspection.inspector == cast.contributor
    assert PointResult.objects.for_org(cast.acme).filter(inspection=inspection).count() == 7
    assert inspection.failed == 0
    assert not action_selectors.for_origin(cast.acme, inspection).exists()


def test_a_resend_with_the_same_client_id_returns_the_first_record(cast, found):
    client_id = uuid.uuid4()
    first = receive(cast, found["seal-check"], site(cast), client_id=client_id)
    again = receive(cast, found["seal-check"], first.inspection.site, client_id=client_id)
    assert not again.created
    assert again.inspection.pk == first.inspection.pk
    assert Inspection.objects.for_org(cast.acme).count() == 1
    assert Photo.objects.for_org(cast.acme).count() == 1


def test_the_same_client_id_in_another_organisation_is_another_record(cast, found):
    client_id = uuid.uuid4()
    receive(cast, found["seal-check"], site(cast), client_id=client_id)
    norte = services.load_checklists(org=cast.norte, actor=cast.outsider)
    seal = next(c for c in norte if c.key == "seal-check")
    where = services.save_site(
        org=cast.norte,
        actor=cast.outsider,
        obj=None,
        values={"name": "Nuevo Laredo"},
        expected_version=None,
    )
    other = receive(cast, seal, where, org=cast.norte, actor=cast.outsider, client_id=client_id)
    assert other.created


def test_a_container_number_with_a_wrong_check_digit_is_refused(cast, found):
    where = site(cast)
    values = {"container": "CSQU3054384", "signed_name": "Carla", "attested": True}
    with pytest.raises(DomainError) as refused:
        receive(cast, found["container-7-point"], where, values=values)
    assert refused.value.field == "container"
    assert "ISO 6346" in str(refused.value.message)
    assert not Inspection.objects.for_org(cast.acme).exists()


def test_typed_container_numbers_are_read_as_on_the_door(cast, found):
    values = {"container": "csqu 305438-3", "signed_name": "Carla", "attested": True}
    got = receive(cast, found["container-7-point"], site(cast), values=values)
    assert got.inspection.container == "CSQU3054383"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"results": {}}, "choose pass, fail or not applicable"),
        ({"photos": {}}, "needs a photo"),
        ({"values": {"container": "CSQU3054383", "signed_name": "Carla"}}, "Sign the inspection"),
    ],
)
def test_an_unfinished_inspection_is_refused(cast, found, change, says):
    with pytest.raises(DomainError) as refused:
        receive(cast, found["container-7-point"], site(cast), **change)
    assert says in str(refused.value.message)


def test_a_failed_point_needs_a_note(cast, found):
    checklist = found["container-7-point"]
    results = answers(checklist, {"floor": " "})
    with pytest.raises(DomainError) as refused:
        receive(cast, checklist, site(cast), results=results)
    assert "say what you found" in str(refused.value.message)


def test_a_photo_must_be_an_image_checked_by_the_evidence_rules(cast, found):
    checklist = found["seal-check"]
    view = next(p for p in checklist.points.all() if p.key == "view")
    with pytest.raises(DomainError):
        receive(cast, checklist, site(cast), photos={view.pk: [jpeg("seal.pdf")]})
    disguised = jpeg("seal.png")  # a JPEG named as a PNG: the evidence check refuses it
    with pytest.raises(DomainError):
        receive(cast, checklist, site(cast), photos={view.pk: [disguised]})
    assert not Inspection.objects.for_org(cast.acme).exists()


def test_photos_are_evidence_for_the_points_criteria(cast, found):
    got = receive(cast, found["tractor-trailer-17-point"], site(cast))
    photo = Photo.objects.for_org(cast.acme).get()
    links = EvidenceLink.objects.for_org(cast.acme).filter(evidence=photo.evidence)
    assert {link.criterion_ident for link in links} == {"5.3", "5.4"}
    assert any(link.subject_id == got.inspection.pk for link in links)


def test_a_failed_point_raises_an_action_and_tells_the_supervisors(cast, found, committed):
    checklist = found["tractor-trailer-17-point"]
    where = site(cast, supervisors=["manuel@acme.test"])
    results = answers(checklist, {"fuel-tanks": "Fresh welds on the left tank."})
    with committed():
        got = receive(cast, checklist, where, results=results)
    action = action_selectors.for_origin(cast.acme, got.inspection).get()
    assert action.priority == "high"
    assert "Fresh welds on the left tank." in action.description
    assert action.criteria == ["5.3"]
    assert [m.to for m in mail.outbox] == [["manuel@acme.test"]]
    assert "Fresh welds on the left tank." in mail.outbox[0].body
    assert "1 point failed" in mail.outbox[0].subject


def test_without_supervisors_the_owners_and_managers_are_told(cast, found, committed):
    checklist = found["seal-check"]
    with committed():
        receive(cast, checklist, site(cast), results=answers(checklist, {"verify": "Mismatch"}))
    assert sorted(mail.outbox[0].to) == [
        "consuelo@consult.test",
        "manuel@acme.test",
        "olivia@acme.test",
    ]


def test_a_supervisor_signs_off_where_the_checklist_asks(cast, found):
    where = site(cast, supervisors=["manuel@acme.test"])
    inspection = receive(cast, found["tractor-trailer-17-point"], where).inspection
    assert inspection.awaiting_signoff
    with pytest.raises(NotAllowedError):
        services.sign_off(
            org=cast.acme, actor=cast.owner, inspection=inspection, expected_version=1
        )
    signed = services.sign_off(
        org=cast.acme, actor=cast.manager, inspection=inspection, expected_version=1
    )
    assert signed.supervisor == cast.manager
    assert not signed.awaiting_signoff
    with pytest.raises(DomainError):
        services.sign_off(org=cast.acme, actor=cast.manager, inspection=signed, expected_version=2)


def test_the_inspector_does_not_sign_off_their_own(cast, found):
    inspection = receive(
        cast, found["tractor-trailer-17-point"], site(cast), actor=cast.manager
    ).inspection
    with pytest.raises(NotAllowedError):
        services.sign_off(
            org=cast.acme, actor=cast.manager, inspection=inspection, expected_version=1
        )


def test_a_checklist_without_signoff_takes_none(cast, found):
    inspection = receive(cast, found["seal-check"], site(cast)).inspection
    with pytest.raises(DomainError):
        services.sign_off(
            org=cast.acme, actor=cast.owner, inspection=inspection, expected_version=1
        )


def test_a_site_names_members_only_as_supervisors(cast):
    with pytest.raises(DomainError) as refused:
        site(cast, supervisors=["oscar@norte.test"])
    assert refused.value.field == "supervisors"


def test_the_demo_has_a_clean_container_and_a_failed_tractor_inspection(db):
    from safelane.demo.data import load_demo
    from safelane.orgs.models import Organisation

    load_demo()
    acme = Organisation.objects.get(slug="acme-imports")
    found = {
        i.checklist.key: i for i in Inspection.objects.for_org(acme).select_related("checklist")
    }
    assert found["container-7-point"].failed == 0
    tractor = found["tractor-trailer-17-point"]
    assert tractor.failed == 1
    assert action_selectors.for_origin(acme, tractor).count() == 1
