import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safelane.core.errors import DomainError
from safelane.evidence import services
from safelane.evidence.models import Evidence, EvidenceVersion
from safelane.evidence.uploads import safe_name

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2e1b5d80000000049454e44ae426082"
)


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("policy.pdf", PDF, "application/pdf"),
        ("gate.png", PNG, "image/png"),
        (
            "manual.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("log.txt", "Seal 1234 verified — VVTT\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepted_files_are_stored_with_their_hash(cast, name, content, content_type):
    evidence = services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": name},
        upload=upload(name, content),
        criteria=["6.1"],
    )
    version = EvidenceVersion.objects.for_org(cast.acme).get(evidence=evidence)
    assert version.content_type == content_type
    assert version.size == len(content)
    import hashlib

    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.file.name.startswith(f"evidence/{cast.acme.pk}/")
    assert default_storage.open(version.file.name).read() == content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("invoice.pdf", b"\x7fELF\x02\x01\x01" + bytes(200), "not accepted"),
        ("archive.docx", b"PK\x03\x04" + bytes(100), "not accepted"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_refused_files_leave_nothing_behind(cast, media_root, name, content, reason):
    with pytest.raises(DomainError, match=reason):
        services.create_evidence(
            org=cast.acme, actor=cast.owner, values={"title": name}, upload=upload(name, content)
        )
    assert not Evidence.objects.for_org(cast.acme).exists()
    assert stored_files(media_root) == []


def test_files_over_the_limit_are_refused(cast, settings, media_root):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(DomainError, match="limit"):
        services.create_evidence(
            org=cast.acme,
            actor=cast.owner,
            values={"title": "big"},
            upload=upload("big.txt", b"a" * 1001),
        )
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\plan.pdf", "plan.pdf"),
        (".htaccess", "htaccess"),
        ("a b;rm -rf.pdf", "a_brm_-rf.pdf"),
        ("", "file"),
    ],
)
def test_file_names_lose_paths_and_tricks(given, safe):
    assert safe_name(given) == safe


def test_new_versions_keep_the_old_ones(cast):
    evidence = services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": "Seal policy"},
        upload=upload("v1.pdf", PDF),
    )
    services.add_version(
        org=cast.acme, actor=cast.owner, evidence=evidence, upload=upload("v2.pdf", PDF + b"% v2\n")
    )
    numbers = list(
        EvidenceVersion.objects.for_org(cast.acme)
        .filter(evidence=evidence)
        .values_list("number", flat=True)
    )
    assert numbers == [2, 1]


def test_only_members_download_a_file(cast, as_user):
    evidence = services.create_evidence(
        org=cast.acme, actor=cast.owner, values={"title": "Policy"}, upload=upload("p.pdf", PDF)
    )
    version = evidence.versions.get()
    url = reverse("evidence:download", args=[cast.acme.slug, version.pk])
    response = as_user(cast.viewer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="p.pdf"')
    assert as_user(cast.outsider).get(url).status_code == 404
    assert (
        as_user(cast.consultant)
        .get(reverse("evidence:download", args=[cast.norte.slug, version.pk]))
        .status_code
        == 404
    )


def test_uploading_through_the_page_reports_a_bad_file(cast, as_user):
    response = as_user(cast.contributor).post(
        reverse("evidence:create", args=[cast.acme.slug]),
        {"title": "Trojan", "file": upload("policy.pdf", b"MZ\x90\x00" + bytes(100))},
    )
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()


def test_expired_and_expiring_evidence_is_listed(cast, as_user):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    for title, offset in (("Old audit", -1), ("Soon", 10), ("Later", 90)):
        services.create_evidence(
            org=cast.acme,
            actor=cast.owner,
            values={"title": title, "review_date": today + datetime.timedelta(days=offset)},
            upload=upload("x.txt", b"record"),
        )
    client = as_user(cast.viewer)
    expired = client.get(reverse("evidence:list", args=[cast.acme.slug]), {"show": "expired"})
    assert [e.title for e in expired.context["page"].object_list] == ["Old audit"]
    soon = client.get(reverse("evidence:list", args=[cast.acme.slug]), {"show": "soon"})
    assert [e.title for e in soon.context["page"].object_list] == ["Soon"]
    assert "1 item has expired" in soon.content.decode()


@pytest.fixture
def s3(settings):
    """A local S3-compatible endpoint (moto's server) on loopback, for the object-storage backend."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket="safelane-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "safelane-test",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield endpoint
    server.stop()


def test_files_go_to_s3_compatible_storage_and_come_back(cast, s3, as_user):
    evidence = services.create_evidence(
        org=cast.acme, actor=cast.owner, values={"title": "Policy"}, upload=upload("p.pdf", PDF)
    )
    version = evidence.versions.get()
    import boto3

    keys = [
        o["Key"]
        for o in boto3.client(
            "s3",
            endpoint_url=s3,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        ).list_objects_v2(Bucket="safelane-test")["Contents"]
    ]
    assert keys == [version.file.name]
    response = as_user(cast.viewer).get(
        reverse("evidence:download", args=[cast.acme.slug, version.pk])
    )
    assert b"".join(response.streaming_content) == PDF
