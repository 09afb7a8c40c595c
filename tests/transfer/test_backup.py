"""The whole-installation backup of docs/backup-restore.md, rehearsed: the database dumped and
restored into an empty one, the uploaded files copied, and everything counted again."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection
from model_bakery import baker

from safelane.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _fill(cast) -> None:
    from safelane.evidence.models import Evidence, EvidenceVersion

    evidence = baker.make(Evidence, organisation=cast.acme)
    version = baker.make(
        EvidenceVersion, organisation=cast.acme, evidence=evidence, _create_files=True
    )
    version.sha256 = hashlib.sha256(version.file.open("rb").read()).hexdigest()
    version.save()


def _tables() -> list[str]:
    return sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
        & set(connection.introspection.table_names())
    )


def _counts(cursor) -> dict[str, int]:
    found = {}
    for table in _tables():
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (table names from the registry)
        found[table] = cursor.fetchone()[0]
    return found


def _check_files(tmp_path: Path) -> None:
    """The media backup (tar of MEDIA_ROOT), unpacked elsewhere, holds every evidence file
    with the SHA-256 its version records."""
    root = Path(default_storage.location)  # type: ignore[attr-defined]
    backup = tmp_path / "media.tar.gz"
    with tarfile.open(backup, "w:gz") as tar:
        tar.add(root, arcname="media")
    restored = tmp_path / "restored"
    with tarfile.open(backup) as tar:
        tar.extractall(restored, filter="data")
    versions = _all_versions()
    assert versions
    for version in versions:
        content = (restored / "media" / version.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == version.sha256


def _all_versions():
    from safelane.evidence.models import EvidenceVersion
    from safelane.orgs.models import Organisation

    return [v for org in Organisation.objects.all() for v in EvidenceVersion.objects.for_org(org)]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://...), as CI does",
)
def test_a_postgresql_dump_restores_into_an_empty_database(cast, tmp_path):
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    _fill(cast)
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"] or "postgres",
    }
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    dump = tmp_path / "safelane.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", settings["NAME"]], env=env, check=True
    )
    target = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["psql", "-q", "-d", "postgres", "-c", f'CREATE DATABASE "{target}"'], env=env, check=True
    )
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={target}", str(dump)], env=env, check=True
        )
        import psycopg

        with psycopg.connect(
            dbname=target,
            host=env["PGHOST"],
            port=env["PGPORT"],
            user=env["PGUSER"],
            password=settings["PASSWORD"] or None,
        ) as restored:
            with connection.cursor() as ours:
                assert _counts(restored.cursor()) == _counts(ours)
            last = AuditEntry.objects.order_by("-pk").first()
            row = restored.execute(
                "SELECT id, object_repr FROM core_auditentry ORDER BY id DESC LIMIT 1"
            ).fetchone()
            assert row == (last.pk, last.object_repr)
    finally:
        subprocess.run(
            ["psql", "-q", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{target}"'],
            env=env,
            check=True,
        )
    _check_files(tmp_path)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite rehearsal runs when the suite runs on SQLite"
)
def test_a_sqlite_backup_restores_into_an_empty_file(cast, tmp_path):
    _fill(cast)
    copy = tmp_path / "safelane.sqlite3"
    target = sqlite3.connect(copy)
    connection.ensure_connection()
    connection.connection.backup(target)  # what sqlite3's ".backup" does
    target.close()
    restored = sqlite3.connect(copy)
    with connection.cursor() as ours:
        assert _counts(restored.cursor()) == _counts(ours)
    restored.close()
    _check_files(tmp_path)
