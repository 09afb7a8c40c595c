"""Personnel security (11.x): background screening as cleared or not cleared only, seen and
recorded by owners and managers alone; code-of-conduct acknowledgements by version."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safelane.core.errors import DomainError, NotAllowedError
from safelane.training import services
from safelane.training.models import Screening
from tests.training.conftest import person

TODAY = timezone.localdate()


def url(cast, name, *args):
    return reverse(f"training:{name}", args=[cast.acme.slug, *args])


def test_screening_is_a_managers_to_record(cast):
    ana = person(cast, "E1")
    values = {"screened_on": TODAY, "result": "cleared", "next_due": None}
    with pytest.raises(NotAllowedError):
        services.record_screening(org=cast.acme, actor=cast.contributor, person=ana, values=values)
    made = services.record_screening(org=cast.acme, actor=cast.manager, person=ana, values=values)
    assert (made.result, made.recorded_by) == ("cleared", cast.manager)
    with pytest.raises(DomainError, match="comes after"):
        services.record_screening(
            org=cast.acme,
            actor=cast.manager,
            person=ana,
            values={**values, "next_due": TODAY - datetime.timedelta(1)},
        )
    with pytest.raises(DomainError, match="once it is done"):
        services.record_screening(
            org=cast.acme,
            actor=cast.manager,
            person=ana,
            values={**values, "screened_on": TODAY + datetime.timedelta(1)},
        )


def test_a_code_version_is_acknowledged_once(cast):
    ana = person(cast, "E1", name="Ana")
    values = {"code_version": "2026-01", "acknowledged_on": TODAY}
    services.acknowledge_code(org=cast.acme, actor=cast.contributor, person=ana, values=values)
    with pytest.raises(DomainError, match="acknowledged version 2026-01 already"):
        services.acknowledge_code(
            org=cast.acme,
            actor=cast.contributor,
            person=ana,
            values={**values, "code_version": " 2026-01"},
        )
    with pytest.raises(NotAllowedError):
        services.acknowledge_code(org=cast.acme, actor=cast.viewer, person=ana, values=values)


def test_a_contributor_cannot_see_screening_status(cast, as_user):
    ana = person(cast, "E1", name="Ana")
    services.record_screening(
        org=cast.acme,
        actor=cast.manager,
        person=ana,
        values={"screened_on": TODAY, "result": "not-cleared", "next_due": None},
    )
    contributor = as_user(cast.contributor)
    page = contributor.get(url(cast, "person", ana.pk)).content.decode()
    assert "Background screening" not in page
    assert "Not cleared" not in page
    assert contributor.get(url(cast, "security")).status_code == 403
    refused = contributor.post(
        url(cast, "person_screening", ana.pk), {"screened_on": TODAY, "result": "cleared"}
    )
    assert refused.status_code == 403
    manager = as_user(cast.manager)
    assert "Not cleared" in manager.get(url(cast, "person", ana.pk)).content.decode()
    listed = manager.get(url(cast, "security"))
    assert [(r.person.name, r.screening.result) for r in listed.context["rows"]] == [
        ("Ana", "not-cleared")
    ]


def test_recording_from_the_page(cast, as_user):
    ana = person(cast, "E1", name="Ana")
    manager = as_user(cast.manager)
    done = manager.post(
        url(cast, "person_screening", ana.pk),
        {"screened_on": "2026-01-05", "result": "cleared", "next_due": "2029-01-05"},
    )
    assert done.status_code == 302
    assert Screening.objects.for_org(cast.acme).get().next_due == datetime.date(2029, 1, 5)
    ack = as_user(cast.contributor).post(
        url(cast, "person_acknowledge", ana.pk),
        {"code_version": "v3", "acknowledged_on": "2026-02-01"},
    )
    assert ack.status_code == 302
    again = as_user(cast.contributor).post(
        url(cast, "person_acknowledge", ana.pk),
        {"code_version": "V3", "acknowledged_on": "2026-02-02"},
    )
    assert again.status_code == 400
    assert "acknowledged version V3 already" in again.content.decode()
