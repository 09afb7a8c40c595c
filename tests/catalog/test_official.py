"""An entity type's official MSC document: read, set beside the catalog, recorded as an edition;
anything else refused, changing nothing."""

from functools import cache
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from safelane.assessments import services as assessments
from safelane.catalog import msc_pdf, official, selectors, services
from safelane.catalog.models import (
    Applicability,
    Basis,
    CatalogVersion,
    OfficialUpload,
    UploadStatus,
)
from safelane.core.errors import ConflictError, NotAllowedError
from tests.catalog import msc_documents as docs

fm_pdf = cache(docs.foreign_manufacturer_pdf)
hc_pdf = cache(docs.highway_carrier_pdf)
memo_pdf = cache(docs.memo_pdf)


def upload(content, name="msc.pdf"):
    return official.upload(actor=None, content=content, file_name=name)


def record(content):
    read = upload(content)
    current = selectors.current_version()
    return official.record(actor=None, upload_record=read, expected_version=current.pk)


def staff(cast):
    cast.outsider.is_staff = True
    cast.outsider.save()
    return cast.outsider


# Reading


def test_it_reads_the_entity_type_heading_and_every_row_across_pages():
    document = msc_pdf.read(fm_pdf())
    assert document.entity.code == "FM"
    assert (
        document.heading == "CTPAT Minimum Security Criteria - Foreign Manufacturers | March 2020"
    )
    assert document.date == "March 2020"
    assert document.pages > 5
    rows = {row.ident: row for row in document.rows}
    catalog = {row["id"]: row for row in docs.catalog_rows()}
    assert len(rows) == 95
    assert "7.3" in rows
    assert "12.5" not in rows
    assert "5.16" not in rows
    # Every cell wrapped over several lines, some rows cut by a page break: each reads whole.
    for ident, row in rows.items():
        if ident in catalog:
            repeat = 6 if ident.endswith("1") else 1
            assert row.criteria == " ".join([catalog[ident]["criteria"]] * repeat), ident
            assert row.must_should == catalog[ident]["must_should"].replace("unknown", "")


def test_it_reads_a_designation_that_differs():
    rows = {row.ident: row for row in msc_pdf.read(hc_pdf()).rows}
    assert rows["1.1"].must_should == "must"
    assert rows["1.2"].must_should == "should"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (memo_pdf, "not a CTPAT Minimum Security Criteria document"),
        (docs.scanned_pdf, "no text to read: it looks scanned"),
        (lambda: b"ID,Criteria\n1.1,Text\n", "not a PDF"),
        (lambda: b"%PDF-1.7\n garbage", "cannot be read"),
        (
            lambda: docs.msc_pdf("Foreign Manufacturers", docs.catalog_rows()[:3], note=False),
            "ID numbers not listed are not applicable",
        ),
        (
            lambda: docs.msc_pdf("Widget Makers", docs.catalog_rows()[:3]),
            "'Widget Makers', which is not a CTPAT entity type",
        ),
        (
            lambda: docs.msc_pdf("Foreign Manufacturers", docs.catalog_rows()[:3], heading=False),
            "not a CTPAT Minimum Security Criteria document",
        ),
    ],
)
def test_a_file_that_is_not_such_a_document_is_refused_and_changes_nothing(db, content, reason):
    before = list(CatalogVersion.objects.values_list("pk", "is_current"))
    read = upload(content())
    assert read.status == UploadStatus.REFUSED
    assert reason in read.refusal
    assert list(CatalogVersion.objects.values_list("pk", "is_current")) == before


def test_big_and_long_files_are_refused(db, monkeypatch):
    too_big = upload(b"%PDF-1.7\n" + b"0" * msc_pdf.MAX_BYTES)
    assert "larger than 10 MB" in too_big.refusal
    monkeypatch.setattr(msc_pdf, "MAX_PAGES", 2)
    assert "fewer than 2" in upload(fm_pdf()).refusal


def test_reading_stops_when_it_takes_too_long(db, monkeypatch):
    monkeypatch.setattr(msc_pdf, "MAX_SECONDS", -1)
    assert "took too long" in upload(fm_pdf()).refusal


def test_a_document_listing_an_id_twice_is_refused(db):
    rows = docs.catalog_rows()[:3]
    assert "1.2 is listed twice" in upload(docs.msc_pdf("Exporters", [*rows, rows[1]])).refusal


# Comparing


def test_the_comparison_shows_new_missing_and_changed_ids(db):
    fm = official.compare(upload(fm_pdf()), selectors.current_version())
    assert [line.ident for line in fm.new] == ["7.3"]
    assert fm.new[0].document_text == docs.FIXTURE_TEXT
    assert [line.ident for line in fm.missing] == [
        "5.15", "5.16", "5.24", "6.3", "6.4", "7.35", "7.36", "12.5",
    ]  # fmt: skip
    assert fm.changed == []
    hc = official.compare(upload(hc_pdf()), selectors.current_version())
    assert [(x.ident, x.catalog_ms, x.document_ms) for x in hc.changed] == [
        ("1.1", "should", "must")
    ]
    # 7.37 is not in this document, but a CBP notice applies it to every entity type.
    assert [line.ident for line in hc.kept] == ["7.37"]
    assert "7.1" in [line.ident for line in hc.missing]


# Recording


def test_recording_makes_a_new_current_edition_with_the_official_applicability(db):
    before = selectors.current_version()
    result = record(fm_pdf())
    version = result.version
    assert version.is_current
    assert version.previous == before
    assert version.source.startswith("official document, uploaded by")
    assert "Foreign Manufacturers" in version.revision_note
    rules = {
        c.ident: next((a for a in c.applicability.all() if a.entity_type == "FM"), None)
        for c in selectors.criteria(version)
    }
    assert all(rule is not None for rule in rules.values())
    assert {rule.basis for rule in rules.values()} == {Basis.OFFICIAL_UPLOAD}
    assert not rules["6.3"].applies
    assert not rules["12.5"].applies
    assert rules["1.1"].applies
    # The criterion the catalog lacks is listed with the document's text, not invented.
    assert not version.criteria.filter(ident="7.3").exists()
    assert [row["id"] for row in version.changes["official"]["not_in_catalog"]] == ["7.3"]
    assert version.changes["changed"]["1.1"]["applies_to"][1]["FM"] == "official-doc"
    # The edition it came from is kept as it was.
    assert before.criteria.get(ident="6.3").applicability.filter(entity_type="FM").get().basis == (
        "inferred"
    )
    assert OfficialUpload.objects.get().status == UploadStatus.RECORDED


def test_a_foreign_manufacturer_then_sees_its_criteria_as_official(cast, as_user):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"FM": ""})
    client = as_user(cast.viewer)
    before = client.get(reverse("catalog:list", args=[cast.acme.slug]))
    assert before.context["summary"]["unconfirmed"] == 90
    assert "upload it" in before.content.decode()  # a viewer is told who can settle it
    record(fm_pdf())
    after = client.get(reverse("catalog:list", args=[cast.acme.slug]))
    assert after.context["summary"] == {
        "total": 94, "must": 61, "should": 33, "unconfirmed": 0, "not_applicable": 0,
    }  # fmt: skip
    page = after.content.decode()
    assert "Applicability not confirmed" not in page
    assert "Applicability from the official document" in page
    scope = selectors.applicable_criteria(cast.acme)
    assert len(scope) == 94
    assert {row.fit.basis for row in scope} == {Basis.OFFICIAL_UPLOAD}
    detail = client.get(reverse("catalog:criterion", args=[cast.acme.slug, "2.1"])).content
    assert "Official document" in detail.decode()
    assert "uploaded by" in detail.decode()
    cycle = assessments.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="FM")
    assert cycle.catalog_version == selectors.current_version()
    assert cycle.responses.count() == 94


def test_a_highway_carrier_answers_the_designation_of_its_own_document(cast, as_user):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"HC": "us-mexico"})
    record(hc_pdf())
    scope = {row.ident: row for row in selectors.applicable_criteria(cast.acme)}
    assert scope["1.1"].must_should == "must"
    assert scope["1.2"].must_should == "should"
    assert "7.37" in scope
    assert "9.1" not in scope
    detail = as_user(cast.viewer).get(reverse("catalog:criterion", args=[cast.acme.slug, "1.1"]))
    assert "official document designates it" in detail.content.decode()
    # Other entity types keep the catalog's designation; only the one that differs is kept.
    version = selectors.current_version()
    assert version.criteria.get(ident="1.1").must_should == "should"
    designated = Applicability.objects.filter(criterion__version=version, entity_type="HC")
    assert list(
        designated.exclude(must_should="").values_list("criterion__ident", "must_should")
    ) == [("1.1", "must")]


def test_a_second_document_keeps_the_first_ones_applicability(db):
    record(fm_pdf())
    record(hc_pdf())
    version = selectors.current_version()
    rules = version.criteria.get(ident="9.1").applicability
    assert rules.get(entity_type="FM").applies
    assert not rules.get(entity_type="HC").applies
    assert CatalogVersion.objects.count() == 3


def test_a_document_is_recorded_once_and_against_the_edition_seen(db):
    read = upload(fm_pdf())
    stale = selectors.current_version().pk
    record(hc_pdf())
    with pytest.raises(ConflictError, match="catalog changed"):
        official.record(actor=None, upload_record=read, expected_version=stale)
    current = selectors.current_version().pk
    official.record(actor=None, upload_record=read, expected_version=current)
    with pytest.raises(ConflictError, match="recorded already"):
        official.record(actor=None, upload_record=read, expected_version=current)


def test_only_administrators_upload_or_record(cast):
    with pytest.raises(NotAllowedError):
        official.upload(actor=cast.owner, content=fm_pdf(), file_name="fm.pdf")
    read = upload(fm_pdf())
    with pytest.raises(NotAllowedError):
        official.record(
            actor=cast.owner, upload_record=read, expected_version=selectors.current_version().pk
        )


# Pages


def test_staff_upload_review_and_record_a_document(cast, as_user):
    client = as_user(staff(cast))
    admin = client.get(reverse("catalog:admin")).content.decode()
    assert reverse("catalog:official") in admin
    empty = client.get(reverse("catalog:official")).content.decode()
    assert "No document uploaded yet." in empty
    sent = client.post(
        reverse("catalog:official"), {"file": SimpleUploadedFile("fm.pdf", fm_pdf())}
    )
    read = OfficialUpload.objects.get()
    assert sent.status_code == 302
    assert sent.url == reverse("catalog:official_detail", args=[read.pk])
    review = client.get(sent.url)
    page = review.content.decode()
    assert "Record as a new edition" in page
    assert escape(docs.FIXTURE_TEXT) in page
    assert review.context["page"].comparison.counts["missing"] == 8
    edition = selectors.current_version().pk
    done = client.post(sent.url, {"edition": edition})
    version = selectors.current_version()
    assert done.status_code == 302
    assert done.url == reverse("catalog:admin_version", args=[version.pk])
    report = client.get(done.url).content.decode()
    assert "In the document, not in the catalog" in report
    assert "7.3" in report
    again = client.post(sent.url, {"edition": version.pk})
    assert again.status_code == 409
    assert "Record as a new edition" not in client.get(sent.url).content.decode()


def test_a_refused_upload_says_why_on_the_page(cast, as_user):
    client = as_user(staff(cast))
    response = client.post(
        reverse("catalog:official"), {"file": SimpleUploadedFile("memo.pdf", memo_pdf())}
    )
    assert response.status_code == 400
    assert "not a CTPAT Minimum Security Criteria document" in response.content.decode()
    listing = client.get(reverse("catalog:official")).content.decode()
    assert "Refused" in listing
    refused = OfficialUpload.objects.get()
    assert (
        "Refused; nothing was changed"
        in client.get(reverse("catalog:official_detail", args=[refused.pk])).content.decode()
    )


def test_staff_see_the_way_to_settle_unconfirmed_criteria_from_the_catalog(cast, as_user):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"FM": ""})
    services_member = staff(cast)
    from safelane.orgs import services as orgs

    orgs.add_member(org=cast.acme, actor=cast.owner, user=services_member, role="viewer")
    page = as_user(services_member).get(reverse("catalog:list", args=[cast.acme.slug]))
    assert reverse("catalog:official") in page.content.decode()


# The command


def test_the_command_previews_and_records_with_confirm(db, tmp_path, capsys):
    path = tmp_path / "hc.pdf"
    path.write_bytes(hc_pdf())
    call_command("catalog", "official", str(path))
    preview = capsys.readouterr().out
    assert "Must/Should differ: 1.1 (should -> must)" in preview
    assert "kept (a CBP notice applies it to all): 7.37" in preview
    assert "Nothing recorded" in preview
    assert CatalogVersion.objects.count() == 1
    call_command("catalog", "official", str(path), "--confirm")
    assert "is now current" in capsys.readouterr().out
    assert CatalogVersion.objects.count() == 2
    assert OfficialUpload.objects.filter(source="cli").count() == 2


def test_the_command_refuses_a_file_that_is_not_a_document(db, tmp_path):
    path = tmp_path / "memo.pdf"
    path.write_bytes(memo_pdf())
    with pytest.raises(CommandError, match="refused, nothing changed"):
        call_command("catalog", "official", str(path), "--confirm")
    assert CatalogVersion.objects.count() == 1


def test_the_shipped_sample_documents_read_like_freshly_made_ones():
    shipped = Path(__file__).resolve().parents[1] / "data" / "msc"
    for name, build in {
        "msc-foreign-manufacturers.pdf": fm_pdf,
        "msc-highway-carriers.pdf": hc_pdf,
    }.items():
        sample = msc_pdf.read((shipped / name).read_bytes())
        assert sample.rows == msc_pdf.read(build()).rows, name


def test_a_table_import_that_drops_an_entity_type_drops_its_designation(db):
    from safelane.catalog.exports import as_csv
    from safelane.catalog.imports import read_table, to_document

    record(hc_pdf())
    table = read_table(as_csv(selectors.current_version()), "catalog.csv")
    row = next(r for r in table if r["ID"] == "1.1")
    row["Entity Types"] = "IMP:official"
    doc = to_document(table, selectors.current_version())
    assert next(c for c in doc["criteria"] if c["id"] == "1.1")["designations"] == {}


def test_an_encrypted_or_cut_off_pdf_is_refused(db):
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fm_pdf())))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    assert "damaged or encrypted" in upload(locked.getvalue()).refusal
    assert "damaged or encrypted" in upload(hc_pdf()[: len(hc_pdf()) // 2]).refusal
    assert CatalogVersion.objects.count() == 1


def test_the_catalog_pages_read_the_official_documents_in_one_query(cast, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    client = as_user(cast.owner)
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"HC": "us-mexico", "FM": ""})
    pages = [reverse("catalog:list", args=[cast.acme.slug])]
    pages.append(reverse("catalog:criterion", args=[cast.acme.slug, "1.1"]))
    record(hc_pdf())
    few = [queries(url) for url in pages]
    record(fm_pdf())
    record(hc_pdf())
    assert [queries(url) for url in pages] == few
