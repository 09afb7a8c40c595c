"""Archived evidence: marked wherever it is listed, kept as it was (no new version, no new link),
and restored to the library by a manager, with the version they saw and in the audit trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.core.errors import ConflictError, DomainError, NotAllowedError
from safelane.core.models import AuditEntry
from safelane.evidence import services
from safelane.evidence.models import EvidenceVersion
from tests.factories import action, evidence, gap


def url(cast, name, obj):
    return reverse(f"evidence:{name}", args=[cast.acme.slug, obj.pk])


def archived(cast, **link):
    doc = evidence(cast, **link)
    return services.archive(
        org=cast.acme, actor=cast.manager, evidence=doc, expected_version=doc.version
    )


def upload(name="seal-log-v2.txt"):
    return SimpleUploadedFile(name, b"seal 5678 verified")


def test_archived_evidence_takes_no_new_version(cast, media_root):
    doc = archived(cast)
    with pytest.raises(DomainError, match="is archived: a manager can restore it"):
        services.add_version(org=cast.acme, actor=cast.owner, evidence=doc, upload=upload())
    assert EvidenceVersion.objects.for_org(cast.acme).filter(evidence=doc).count() == 1
    assert len(list(media_root.rglob("seal-log-v2*"))) == 0


def test_a_manager_restores_archived_evidence_with_the_version_they_saw(cast):
    doc = archived(cast)
    with pytest.raises(NotAllowedError):
        services.restore(
            org=cast.acme, actor=cast.contributor, evidence=doc, expected_version=doc.version
        )
    with pytest.raises(ConflictError):
        services.restore(
            org=cast.acme, actor=cast.manager, evidence=doc, expected_version=doc.version - 1
        )
    restored = services.restore(
        org=cast.acme, actor=cast.manager, evidence=doc, expected_version=doc.version
    )
    assert restored.archived_at is None
    assert restored.version == doc.version + 1
    entry = AuditEntry.objects.for_org(cast.acme).for_object(doc).order_by("pk").last()
    assert entry.actor == cast.manager
    assert entry.changes["archived_at"][1] is None
    with pytest.raises(DomainError, match="is in the library already"):
        services.restore(
            org=cast.acme, actor=cast.manager, evidence=doc, expected_version=restored.version
        )
    services.add_version(org=cast.acme, actor=cast.owner, evidence=restored, upload=upload())


def test_the_detail_page_says_it_is_archived_and_offers_restore_not_archive(cast, as_user):
    doc = archived(cast)
    html = as_user(cast.manager).get(url(cast, "detail", doc)).content.decode()
    assert "This evidence was archived on" in html
    assert url(cast, "restore", doc) in html
    assert url(cast, "archive", doc) not in html
    assert url(cast, "upload", doc) not in html
    # Only managers see the restore button; everyone reads that it is archived.
    viewer = as_user(cast.viewer).get(url(cast, "detail", doc)).content.decode()
    assert "This evidence was archived on" in viewer
    assert url(cast, "restore", doc) not in viewer


def test_a_new_version_of_archived_evidence_is_refused_on_the_page(cast, as_user):
    doc = archived(cast)
    page = as_user(cast.owner).post(url(cast, "upload", doc), {"file": upload()})
    assert page.status_code == 400
    assert "is archived: a manager can restore it" in page.content.decode()


def test_restoring_through_the_page_puts_it_back_in_the_library(cast, as_user):
    doc = archived(cast)
    client = as_user(cast.manager)
    library = reverse("evidence:list", args=[cast.acme.slug])
    assert doc not in client.get(library).context["page"]
    listed = client.get(library, {"show": "archived"})
    assert list(listed.context["page"]) == [doc]
    assert "Archived</span>" in listed.content.decode()
    done = client.post(url(cast, "restore", doc), {"version": doc.version}, follow=True)
    assert "is back in the library" in done.content.decode()
    assert doc in client.get(library).context["page"]
    refused = as_user(cast.contributor).post(url(cast, "restore", doc), {"version": 1})
    assert refused.status_code == 403


def test_links_to_archived_evidence_stay_and_are_marked_on_answers_and_actions(cast, as_user):
    answer = gap(cast)
    act = action(cast)
    doc = evidence(cast, subject=answer)
    services.link(org=cast.acme, actor=cast.owner, evidence=doc, subject=act)
    doc.refresh_from_db()
    services.archive(org=cast.acme, actor=cast.manager, evidence=doc, expected_version=doc.version)
    client = as_user(cast.viewer)
    for page in (
        reverse("assessments:response", args=[cast.acme.slug, answer.pk]),
        reverse("actions:detail", args=[cast.acme.slug, act.pk]),
    ):
        html = client.get(page).content.decode()
        section = html[html.index('id="evidence"') :]
        assert doc.title in section, page
        assert "Archived</span>" in section[: section.index("</section>")], page
