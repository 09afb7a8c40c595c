"""The archive page: owners only, built in the background, a download link that expires."""

from __future__ import annotations

import datetime
import io
import zipfile
from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from safelane.core.models import AuditEntry
from safelane.jobs.models import Job
from safelane.orgs.models import Role
from safelane.transfer import archive, services
from safelane.transfer.models import Transfer

pytestmark = pytest.mark.django_db


def page_url(org):
    return reverse("transfer:page", args=[org.slug])


def export_from_the_page(cast, as_user, committed):
    client = as_user(cast.owner)
    with committed():
        response = client.post(reverse("transfer:start", args=[cast.acme.slug]))
    job = Job.objects.for_org(cast.acme).get(kind=services.JOB_KIND)
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    return client, job


def test_the_settings_page_leads_owners_to_the_archive(cast, as_user):
    assert (
        page_url(cast.acme)
        in as_user(cast.owner).get(reverse("orgs:settings", args=[cast.acme.slug])).text
    )
    assert (
        page_url(cast.acme)
        not in as_user(cast.manager).get(reverse("orgs:settings", args=[cast.acme.slug])).text
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR, Role.MANAGER])
def test_only_owners_reach_the_page(cast, as_user, role):
    assert as_user(cast.member_of_acme(role)).get(page_url(cast.acme)).status_code == 403
    assert (
        as_user(cast.member_of_acme(role))
        .post(reverse("transfer:start", args=[cast.acme.slug]))
        .status_code
        == 403
    )


def test_the_page_says_when_nothing_was_exported(cast, as_user):
    response = as_user(cast.owner).get(page_url(cast.acme))
    assert response.status_code == 200
    assert "No archive made in the last 24 hours." in response.text


def test_an_owner_exports_and_downloads_the_archive(cast, as_user, committed):
    client, job = export_from_the_page(cast, as_user, committed)
    job.refresh_from_db()
    assert job.status == "done"
    assert (
        "Download the archive"
        in client.get(reverse("jobs:detail", args=[cast.acme.slug, job.pk])).text
    )
    page = client.get(page_url(cast.acme)).text
    transfer = Transfer.objects.for_org(cast.acme).get(kind="export")
    assert transfer.job == job
    link = reverse("transfer:download", args=[cast.acme.slug, transfer.pk])
    assert link in page
    token = page.split(link + "?link=")[1].split('"')[0]
    response = client.get(f"{link}?link={token}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    reader = archive.Reader(io.BytesIO(content))
    reader.verify()
    assert reader.manifest["organisation"]["slug"] == cast.acme.slug
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    entry = AuditEntry.objects.for_org(cast.acme).filter(object_repr__startswith="Export").get()
    assert entry.actor == cast.owner
    assert entry.source == "task"


def test_the_link_expires_after_a_day(cast, as_user, committed):
    client, _job = export_from_the_page(cast, as_user, committed)
    transfer = Transfer.objects.for_org(cast.acme).get(kind="export")
    url = reverse("transfer:download", args=[cast.acme.slug, transfer.pk])
    token = services.download_token(transfer, cast.owner)
    with _later(hours=23):
        assert client.get(f"{url}?link={token}").status_code == 200
    with _later(hours=25):
        assert client.get(f"{url}?link={token}").status_code == 404
        assert "No archive made in the last 24 hours." in client.get(page_url(cast.acme)).text


@contextmanager
def _later(*, hours: int):
    """The clock moved on by `hours` (for the signed link and for the page)."""
    now = timezone.now() + datetime.timedelta(hours=hours)
    with (
        mock.patch("django.core.signing.time.time", return_value=now.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=now),
    ):
        yield


def test_a_link_works_only_for_the_owner_it_was_made_for(cast, as_user, committed):
    export_from_the_page(cast, as_user, committed)
    transfer = Transfer.objects.for_org(cast.acme).get(kind="export")
    url = reverse("transfer:download", args=[cast.acme.slug, transfer.pk])
    token = services.download_token(transfer, cast.owner)
    assert as_user(cast.owner).get(f"{url}?link={token}").status_code == 200
    assert as_user(cast.owner).get(f"{url}?link={token[:-2]}xx").status_code == 404
    assert as_user(cast.owner).get(url).status_code == 404
    assert as_user(cast.viewer).get(f"{url}?link={token}").status_code == 403
    assert as_user(cast.outsider).get(f"{url}?link={token}").status_code == 404
    # Another owner's link names another person: this owner's session cannot use it.
    assert (
        services.downloadable(org=cast.acme, user=cast.manager, pk=transfer.pk, token=token) is None
    )
