"""Exports and imports of one organisation, from the command line and the settings page."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safelane.core.records import create_record
from safelane.jobs import services as jobs
from safelane.orgs.access import require_role
from safelane.orgs.models import Role
from safelane.transfer import archive
from safelane.transfer.export import Exporter
from safelane.transfer.load import Loader
from safelane.transfer.models import Transfer, TransferKind

if TYPE_CHECKING:
    from safelane.accounts.models import User
    from safelane.jobs.models import Job
    from safelane.orgs.models import Organisation

JOB_KIND = "org-export"
# How long a download link works once shown, and how long an archive is offered on the page.
LINK_MAX_AGE = datetime.timedelta(hours=24)
_SALT = "safelane.transfer.download"


def register() -> None:
    jobs.register_destination(
        JOB_KIND,
        lambda org: (
            str(gettext_lazy("Download the archive")),
            reverse("transfer:page", kwargs={"org_slug": org.slug}),
        ),
    )


def manifest_hash(manifest: dict[str, Any]) -> str:
    return archive.sha256(archive.dumps(archive.data_manifest(manifest)))


def export_organisation(
    *,
    org: Organisation,
    actor: User | None,
    out: IO[bytes],
    archive_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Transfer, list[str]]:
    """Write the archive to `out`; the export is in the audit trail (actor None: the command
    line, run by whoever runs the installation). Returns the record and any warnings."""
    if actor is not None:
        require_role(org, actor, Role.OWNER)
    exporter = Exporter(org)
    manifest = exporter.write(out, progress=progress)
    transfer = create_record(
        org=org,
        actor=actor,
        obj=Transfer(
            organisation=org,
            kind=TransferKind.EXPORT,
            archive_name=archive_name[:200],
            manifest_sha256=manifest_hash(manifest),
            rows=sum(manifest["counts"].values()),
            created_by=actor,
        ),
    )
    return transfer, exporter.warnings


def import_organisation(
    *,
    source: IO[bytes] | str,
    slug: str | None,
    actor: User | None,
    archive_name: str,
    limits: archive.Limits | None = None,
) -> Transfer:
    """Check the whole archive, then load it as a new organisation in one transaction.
    Raises ArchiveRefusedError (nothing written) for a damaged, edited or foreign archive or a
    short name in use."""
    reader = archive.Reader(source, limits)
    try:
        loader = Loader(reader)
        new_slug = loader.check(slug)
        try:
            with transaction.atomic():
                org = loader.load(new_slug)
                return create_record(
                    org=org,
                    actor=actor,
                    obj=Transfer(
                        organisation=org,
                        kind=TransferKind.IMPORT,
                        archive_name=archive_name[:200],
                        manifest_sha256=manifest_hash(reader.manifest),
                        rows=sum(len(rows) for rows in loader.rows.values()),
                        created_by=actor,
                    ),
                )
        except BaseException:
            loader.discard()
            raise
    finally:
        reader.close()


def start_export(*, org: Organisation, actor: User) -> Job:
    """An export built in the background, for an owner to download from the settings page."""
    from safelane.transfer import tasks

    require_role(org, actor, Role.OWNER)
    job = jobs.create_job(
        org=org, actor=actor, kind=JOB_KIND, title=_("Archive of %(name)s") % {"name": org.name}
    )
    transaction.on_commit(lambda: tasks.build_export.enqueue(org.pk, job.pk, actor.pk))
    return job


def build_export(*, org: Organisation, actor: User, job: Job) -> Transfer:
    """The task's work: the archive into storage, streamed, with the job's progress."""
    name = f"{org.slug}-{timezone.now():%Y-%m-%d}.zip"
    with tempfile.TemporaryFile() as spool:
        transfer, _warnings = export_organisation(
            org=org,
            actor=actor,
            out=spool,
            archive_name=name,
            progress=lambda done, total: jobs.progress(job, done=done, total=total),
        )
        size = spool.tell()
        spool.seek(0)
        path = default_storage.save(f"transfer/{org.pk}/{job.pk}/{name}", File(spool, name=name))
    Transfer.objects.for_org(org).filter(pk=transfer.pk).update(
        stored_path=path, size=size, job=job
    )
    jobs.done(job)
    return transfer


def download_token(transfer: Transfer, user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"t": transfer.pk, "u": user.pk})


def downloadable(*, org: Organisation, user: User, pk: int, token: str) -> Transfer | None:
    """The archive a link names, if the link was made for this person and this archive and
    has not expired; None otherwise (every failure looks the same)."""
    try:
        found = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if found != {"t": pk, "u": user.pk}:
        return None
    return (
        Transfer.objects.for_org(org)
        .filter(pk=pk, kind=TransferKind.EXPORT)
        .exclude(stored_path="")
        .first()
    )
