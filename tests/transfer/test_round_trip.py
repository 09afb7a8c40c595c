"""An organisation exported, imported and exported again gives the same data manifest."""

from __future__ import annotations

import io

import pytest

from safelane.core.models import AuditEntry
from safelane.orgs.models import Organisation
from safelane.transfer import archive, plan, services
from tests.transfer.conftest import differences, export, fill

pytestmark = pytest.mark.django_db


def test_every_installed_model_can_be_carried():
    assert plan.problems() == []


def test_round_trip_is_exact_for_every_tenant_model(cast):
    fill(cast.acme, cast.owner)
    content, first = export(cast.acme)
    transfer = services.import_organisation(
        source=io.BytesIO(content), slug="acme-copy", actor=None, archive_name="a.zip"
    )
    copy = transfer.organisation
    assert copy.slug == "acme-copy"
    assert copy.name == cast.acme.name
    for model in plan.carried_models():
        ours = model.objects.for_org(cast.acme).count()
        assert model.objects.for_org(copy).count() == ours, plan.label(model)
        assert ours >= 1, f"{plan.label(model)}: the test made none, so proves nothing"
    again, second = export(copy)
    assert differences(content, again) == []
    assert archive.data_manifest(second) == archive.data_manifest(first)
    # New rows, same people: nothing of the copy points at Acme's rows.
    assert not set(
        plan.carried_models()[0].objects.for_org(copy).values_list("pk", flat=True)
    ) & set(plan.carried_models()[0].objects.for_org(cast.acme).values_list("pk", flat=True))


def test_files_are_carried_and_stored_again(cast):
    made = fill(cast.acme, cast.owner)
    content, manifest = export(cast.acme)
    assert manifest["files"]
    copy = services.import_organisation(
        source=io.BytesIO(content), slug="acme-copy", actor=None, archive_name="a.zip"
    ).organisation
    version = made["evidence.evidenceversion"]
    theirs = type(version).objects.for_org(copy).order_by("pk").first()
    assert theirs.file.name != version.file.name
    assert f"/{copy.pk}/" in theirs.file.name
    assert (
        theirs.file.read()
        == type(version).objects.for_org(cast.acme).order_by("pk").first().file.read()
    )


def test_exporting_twice_gives_the_same_data_manifest(cast):
    fill(cast.acme, cast.owner)
    assert archive.data_manifest(export(cast.acme)[1]) == archive.data_manifest(
        export(cast.acme)[1]
    )


def test_people_are_carried_by_email_and_name_only(cast):
    content, _manifest = export(cast.acme)
    reader = archive.Reader(io.BytesIO(content))
    reader.verify()
    people = reader.data["data/accounts.user.json"]["rows"]
    assert {p["key"] for p in people} >= {"olivia@acme.test"}
    assert all(set(p["fields"]) == {"email", "full_name"} for p in people)
    assert b"pbkdf2" not in content
    assert b"argon2" not in content


def test_unknown_people_come_in_inactive_without_a_password(cast, django_user_model):
    content, _manifest = export(cast.acme)
    # The archive's Victor is someone this installation does not know.
    django_user_model.objects.filter(email="victor@audit.test").update(
        email="victor@elsewhere.test"
    )
    copy = services.import_organisation(
        source=io.BytesIO(content), slug="acme-copy", actor=None, archive_name="a.zip"
    ).organisation
    victor = django_user_model.objects.get(email="victor@audit.test")
    assert not victor.is_active
    assert not victor.has_usable_password()
    assert copy.pk != cast.acme.pk


def test_export_and_import_are_in_the_audit_trail(cast):
    content, _manifest = export(cast.acme)
    copy = services.import_organisation(
        source=io.BytesIO(content), slug="acme-copy", actor=cast.owner, archive_name="a.zip"
    ).organisation
    assert AuditEntry.objects.for_org(cast.acme).filter(object_repr__startswith="Export").exists()
    entry = AuditEntry.objects.for_org(copy).filter(object_repr__startswith="Import").get()
    assert entry.actor == cast.owner


def test_a_slug_in_use_is_refused_and_nothing_is_written(cast):
    content, _manifest = export(cast.acme)
    before = Organisation.objects.count()
    with pytest.raises(archive.ArchiveRefusedError, match="exists already"):
        services.import_organisation(
            source=io.BytesIO(content), slug=None, actor=None, archive_name="a.zip"
        )
    with pytest.raises(archive.ArchiveRefusedError, match="exists already"):
        services.import_organisation(
            source=io.BytesIO(content), slug=cast.norte.slug, actor=None, archive_name="a.zip"
        )
    assert Organisation.objects.count() == before


def test_the_demo_organisation_round_trips_exactly(db):
    """Real data as the services write it (lists of countries, copied years, a risk map)."""
    from safelane.demo.data import load_demo

    load_demo()
    demo = Organisation.objects.get(slug="acme-imports")
    content, first = export(demo)
    copy = services.import_organisation(
        source=io.BytesIO(content), slug="acme-copy", actor=None, archive_name="a.zip"
    ).organisation
    again, second = export(copy)
    assert differences(content, again) == []
    assert archive.data_manifest(second) == archive.data_manifest(first)
