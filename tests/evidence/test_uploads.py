import hashlib
import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from safelane.core.errors import DomainError
from safelane.evidence import services
from safelane.evidence.models import Evidence, EvidenceVersion
from safelane.evidence.uploads import safe_name

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2e1b5d80000000049454e44ae426082"
)
OOXML_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OOXML_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, fmt)
    return out.getvalue()


def docx_bytes():
    document = docx.Document()
    document.add_paragraph("Seals are checked with the VVTT method.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Container", "Seal"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, body, compress_type=kind)
    return out.getvalue()


def pptx_bytes():
    """The smallest package PowerPoint names a presentation: content types, relation, main part."""
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return zip_bytes(
        {
            "[Content_Types].xml": (
                f'<Types xmlns="{OOXML_TYPES}"><Override PartName="/ppt/presentation.xml" '
                f'ContentType="{main}"/></Types>'
            ),
            "_rels/.rels": (
                f'<Relationships xmlns="{OOXML_RELS}"><Relationship Id="rId1" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument" Target="ppt/presentation.xml"/></Relationships>'
            ),
            "ppt/presentation.xml": (
                '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
                'main"/>'
            ),
        }
    )


def odf_bytes(mimetype):
    """An OpenDocument package as LibreOffice writes it: the mimetype entry first, uncompressed."""
    return zip_bytes(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": (
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"/>'
            ),
            "content.xml": (
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0"/>'
            ),
        }
    )


def macro_docx_bytes():
    """A .docm under a .docx name: a Word document with a VBA project inside."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    return zip_bytes({**parts, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)})


def upload(name, content):
    return SimpleUploadedFile(name, content)


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("policy.pdf", pdf_bytes(), "application/pdf", "policy.pdf"),
        ("gate.png", image_bytes("PNG"), "image/png", "gate.png"),
        ("Scan 2024.JPEG", image_bytes("JPEG"), "image/jpeg", "Scan_2024.jpg"),
        ("fence.jpg", image_bytes("JPEG"), "image/jpeg", "fence.jpg"),
        ("yard.webp", image_bytes("WEBP"), "image/webp", "yard.webp"),
        (
            "manual.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "manual.docx",
        ),
        (
            "seal register.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "seal_register.xlsx",
        ),
        (
            "training.PPTX",
            pptx_bytes(),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "training.pptx",
        ),
        (
            "procedure.odt",
            odf_bytes("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
            "procedure.odt",
        ),
        (
            "inventory.ods",
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            "inventory.ods",
        ),
        ("log.txt", "Seal 1234 verified — VVTT\n".encode(), "text/plain; charset=utf-8", "log.txt"),
        (
            "seals.csv",
            b"container,seal\nMSCU1234567,H-00918\n",
            "text/csv; charset=utf-8",
            "seals.csv",
        ),
        ("notes.md", b"# Gate check\n\n- lights on\n", "text/markdown; charset=utf-8", "notes.md"),
        ("report.exe.pdf", pdf_bytes(), "application/pdf", "report_exe.pdf"),
        ("Scan 2024", image_bytes("JPEG"), "image/jpeg", "Scan_2024.jpg"),
        ("Minutes v1.2", PDF, "application/pdf", "Minutes_v1_2.pdf"),
        ("README", b"Gate log\n", "text/plain; charset=utf-8", "README.txt"),
    ],
)
def test_accepted_files_are_stored_under_the_name_of_their_type(
    cast, name, content, content_type, stored_as
):
    evidence = services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": name},
        upload=upload(name, content),
        criteria=["6.1"],
    )
    version = EvidenceVersion.objects.for_org(cast.acme).get(evidence=evidence)
    assert version.content_type == content_type
    assert version.original_name == stored_as
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.file.name.startswith(f"evidence/{cast.acme.pk}/")
    assert version.file.name.endswith(f"/{stored_as}")
    assert default_storage.open(version.file.name).read() == content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("invoice.pdf", b"\x7fELF\x02\x01\x01" + bytes(200), "not accepted"),
        ("archive.docx", b"PK\x03\x04" + bytes(100), "not accepted"),
        ("empty.txt", b"", "empty"),
        ("evil.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
        (
            "evil.html",
            b"Hello <script>alert(1)</script>",
            "is plain text, but its name ends in .html",
        ),
        (
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "markup",
        ),
        ("logo.svg", b'\xef\xbb\xbf \n\t<svg onload="alert(1)"/>', "markup"),
        ("notes.txt", b"  <script>alert(1)</script>", "markup"),
        ("notes.txt", b"<html><body>Seal log</body></html>", "markup"),
        ("notes.txt", b"seal\x00log", "not accepted"),
        (
            "invoice\u202efdp.exe",
            PDF,
            "is a PDF document, but its name ends in .exe. .* end in .pdf",
        ),
        ("invoicefdp.exe", b"MZ\x90\x00" + bytes(200), "not accepted"),
        ("invoice.pdf.exe", PDF, "ends in .exe"),
        ("invoice.exe.", PDF, "ends in .exe"),
        ("invoice.pdf .exe  ", PDF, "ends in .exe"),
        ("report.docx", PDF, "is a PDF document, but its name ends in .docx"),
        ("evil.html", PNG, "is a PNG image, but its name ends in .html"),
        ("photo.png", image_bytes("JPEG"), "is a JPEG image, but its name ends in .png"),
        ("seals.pdf", b"container,seal\n", "is plain text, but its name ends in .pdf"),
        ("backup.zip", zip_bytes({"seals.csv": "container,seal\n"}), "not accepted"),
        ("backup.docx", zip_bytes({"seals.csv": "container,seal\n"}), "not accepted"),
        ("macros.docx", macro_docx_bytes(), "macros"),
        ("animation.gif", image_bytes("GIF"), "not accepted"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "not accepted"),
    ],
)
def test_refused_files_leave_nothing_behind(cast, media_root, name, content, reason):
    with pytest.raises(DomainError, match=reason):
        services.create_evidence(
            org=cast.acme, actor=cast.owner, values={"title": name}, upload=upload(name, content)
        )
    assert not Evidence.objects.for_org(cast.acme).exists()
    assert stored_files(media_root) == []


def test_the_refusal_names_what_is_accepted(cast):
    with pytest.raises(DomainError) as refused:
        services.create_evidence(
            org=cast.acme,
            actor=cast.owner,
            values={"title": "Logo"},
            upload=upload("logo.svg", b"<svg/>"),
        )
    assert ".pdf, .docx, .xlsx, .pptx, .odt, .ods, .png, .jpg, .jpeg, .webp, .txt, .csv, .md" in (
        str(refused.value)
    )


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
    ("given", "extension", "safe"),
    [
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\me\\plan.pdf", "pdf", "plan.pdf"),
        (".htaccess", "txt", "htaccess.txt"),
        ("a b;rm -rf.pdf", "pdf", "a_brm_-rf.pdf"),
        ("", "pdf", "file.pdf"),
        ("€€€.pdf", "pdf", "file.pdf"),
        ("report.exe.pdf", "pdf", "report_exe.pdf"),
        ("Scan 2024.JPEG", "jpg", "Scan_2024.jpg"),
        ("inv\x00oice\x1b\u200b.pdf", "pdf", "invoice.pdf"),
        ("--help.pdf", "pdf", "help.pdf"),
        ("Año 2025.pdf", "pdf", "Año_2025.pdf"),
        ("An\u0303o.pdf", "pdf", "A\u00f1o.pdf"),
        ("x" * 300 + ".pdf", "pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_lose_paths_and_tricks_and_end_in_their_type(given, extension, safe):
    assert safe_name(given, extension) == safe


def test_the_download_is_named_by_the_detected_type(cast, as_user):
    evidence = services.create_evidence(
        org=cast.acme,
        actor=cast.owner,
        values={"title": "Seal photo"},
        upload=upload("Seal photo.JPEG", image_bytes("JPEG")),
    )
    version = evidence.versions.get()
    download = as_user(cast.viewer).get(
        reverse("evidence:download", args=[cast.acme.slug, version.pk])
    )
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"].startswith('attachment; filename="Seal_photo.jpg"')
    assert Image.open(io.BytesIO(b"".join(download.streaming_content))).format == "JPEG"


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


def test_uploading_through_the_page_says_what_a_misnamed_file_is(cast, as_user):
    response = as_user(cast.contributor).post(
        reverse("evidence:create", args=[cast.acme.slug]),
        {"title": "Gate", "file": upload("gate.html", PNG)},
    )
    assert response.status_code == 400
    assert "This file is a PNG image, but its name ends in .html." in response.content.decode()
    assert not Evidence.objects.for_org(cast.acme).exists()


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
