"""A damaged, edited or hostile archive is refused before anything is written."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest

from safelane.orgs.models import Organisation
from safelane.transfer import archive, services
from tests.transfer.conftest import export

pytestmark = pytest.mark.django_db


def load(content: bytes, limits: archive.Limits | None = None):
    return services.import_organisation(
        source=io.BytesIO(content),
        slug="acme-copy",
        actor=None,
        archive_name="a.zip",
        limits=limits,
    )


def rewrite(content: bytes, change) -> bytes:
    """The archive with its entries passed through `change(name, bytes) -> [(name, bytes)]`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info)):
                target.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def content(cast):
    from model_bakery import baker

    from safelane.evidence.models import Evidence, EvidenceVersion

    evidence = baker.make(Evidence, organisation=cast.acme)
    baker.make(EvidenceVersion, organisation=cast.acme, evidence=evidence, _create_files=True)
    return export(cast.acme)[0]


def refused(content: bytes, match: str, limits: archive.Limits | None = None) -> None:
    before = Organisation.objects.count()
    with pytest.raises(archive.ArchiveRefusedError, match=match):
        load(content, limits)
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(slug="acme-copy").exists()


def test_the_untouched_archive_loads(content):
    assert load(content).organisation.slug == "acme-copy"


def test_a_changed_byte_in_a_data_file_is_refused(content):
    def change(name, data):
        if name == "data/orgs.organisation.json":
            data = data.replace(b"Acme", b"Acmf")
        return [(name, data)]

    refused(rewrite(content, change), "does not match its hash")


def test_a_changed_byte_in_a_stored_file_is_refused(content):
    def change(name, data):
        if name.startswith("files/"):
            data = bytes([data[0] ^ 1]) + data[1:]
        return [(name, data)]

    refused(rewrite(content, change), "does not match its hash")


def test_a_removed_file_is_refused(content):
    refused(rewrite(content, lambda n, d: [] if n.startswith("files/") else [(n, d)]), "missing")


def test_an_added_file_is_refused(content):
    def change(name, data):
        extra = [("files/" + "0" * 64, b"x")] if name == "manifest.json" else []
        return [(name, data), *extra]

    refused(rewrite(content, change), "not in its manifest")


def test_an_edited_manifest_is_refused(content):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["data"]["data/orgs.organisation.json"] = "0" * 64
            data = json.dumps(manifest).encode()
        return [(name, data)]

    refused(rewrite(content, change), "does not match its hash")


def test_another_format_version_is_refused(content):
    def change(name, data):
        if name == "manifest.json":
            data = json.dumps({**json.loads(data), "version": 99}).encode()
        return [(name, data)]

    refused(rewrite(content, change), "format version 99")


def test_something_that_is_not_a_zip_is_refused(db):
    refused(b"not a zip at all", "not a zip archive")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "data/../../x.json", "files\\..\\x", "data/x.py"]
)
def test_entries_that_point_outside_are_refused(content, name):
    refused(
        rewrite(content, lambda n, d: [(n, d), *([(name, b"x")] if n == "manifest.json" else [])]),
        "never writes",
    )


def test_duplicate_names_are_refused(content):
    with pytest.warns(UserWarning, match="Duplicate name"):
        doubled = rewrite(
            content, lambda n, d: [(n, d), (n, d)] if n == "manifest.json" else [(n, d)]
        )
    refused(doubled, "twice")


def test_a_link_or_directory_entry_is_refused(content):
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a") as target:
        info = zipfile.ZipInfo("files/" + "1" * 64)
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        target.writestr(info, "/etc/passwd")
    refused(out.getvalue(), "not a plain file")


def test_a_zip_bomb_is_refused_while_reading(content):
    bomb = rewrite(
        content,
        lambda n, d: [
            (n, d),
            *([("files/" + "2" * 64, b"\0" * 3_000_000)] if n == "manifest.json" else []),
        ],
    )
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert (
            z.getinfo("files/" + "2" * 64).compress_size == z.getinfo("files/" + "2" * 64).file_size
        )  # stored
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bomb)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    refused(out.getvalue(), "zip bomb")


def test_an_entry_larger_than_the_limit_is_refused(content):
    refused(content, "larger than Safelane accepts", archive.Limits(data_bytes=10))


def test_an_entry_that_lies_about_its_size_is_stopped_while_reading(content):
    # A header that says 10 bytes for a longer entry: counted while read, never trusted.
    reader = archive.Reader(io.BytesIO(content))
    name = next(n for n in reader.entries if n.startswith("data/"))
    reader.entries[name].file_size = 10
    with pytest.raises(archive.ArchiveRefusedError):
        reader.read(name)
