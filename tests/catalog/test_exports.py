import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema_rs
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from safelane.catalog import exports
from safelane.catalog.imports import CatalogImportError, read_table, to_document
from safelane.catalog.loader import load
from safelane.catalog.models import CatalogVersion
from safelane.catalog.selectors import current_version

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "oscal"


def test_json_has_every_criterion_with_its_core_fields(db):
    data = exports.as_json(current_version())
    assert len(data["criteria"]) == 101
    first = data["criteria"][0]
    assert first["id"] == "1.1"
    assert first["category"] == 1
    assert first["must_should"] == "should"
    assert first["entity_types"] == ["3PL", "FM", "HC", "IMP", "LH"]


def test_the_cli_prints_the_catalog_as_json(db, capsys):
    call_command("catalog", "export", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert {c["id"] for c in data["criteria"]} >= {"1.1", "4.13", "12.10"}
    assert all(
        {"id", "category", "must_should", "entity_types"} <= set(c) for c in data["criteria"]
    )


def test_csv_uses_the_column_layout_of_cbps_tables(db):
    text = exports.as_csv(current_version()).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:4] == ["ID", "Criteria", "Implementation Guidance", "Must/Should"]
    assert "Entity Types" in header


@pytest.mark.parametrize(("fmt", "name"), [("csv", "cat.csv"), ("xlsx", "cat.xlsx")])
def test_reimporting_an_export_changes_nothing(db, fmt, name):
    version = current_version()
    content = exports.as_csv(version) if fmt == "csv" else exports.as_xlsx(version)
    doc = to_document(read_table(content, name), version)
    result = load(doc, source="test", label="reimport")
    assert not result.created
    assert CatalogVersion.objects.count() == 1


def edit_csv(content, edit):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    edit(rows)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_corrected_row_becomes_a_new_version_with_a_report(db, tmp_path, capsys):
    def correct(rows):
        rows[1][3] = "Must"  # 1.1 Should -> Must, as read in a (hypothetical) newer document
        rows.append(
            ["12.5", "Brokers explain CTPAT to their importer clients.", "", "Must", "CB:official"]
        )

    path = tmp_path / "corrected.csv"
    path.write_bytes(edit_csv(exports.as_csv(current_version()), correct))
    call_command("catalog", "import", str(path), "--label", "2019-11-corrected")
    output = capsys.readouterr().out
    assert "2019-11-corrected is now current" in output
    assert "added:   12.5" in output
    version = current_version()
    assert version.criteria.count() == 102
    assert version.criteria.get(ident="1.1").must_should == "must"
    assert version.criteria.get(ident="12.5").applicability.get().entity_type == "CB"


def test_an_import_with_mistakes_reports_every_row_and_loads_nothing(db):
    def spoil(rows):
        rows[2][3] = "Mst"
        rows[3][4] = "IMP:official; XYZ"
        rows[4][0] = "four"

    content = edit_csv(exports.as_csv(current_version()), spoil)
    with pytest.raises(CatalogImportError) as refused:
        to_document(read_table(content, "bad.csv"), current_version())
    assert refused.value.problems == [
        "Row 3, Must/Should: 'Mst' is not Must, Should or Unknown.",
        "Row 4, Entity Types: XYZ is not an entity type code (IMP, EXP, FM, HC, LH, RAIL, SEA, AIR, CONS, 3PL, CB, MPTO).",
        "Row 5, ID: 'four' is not a criterion ID such as 4.10.",
    ]
    assert CatalogVersion.objects.count() == 1


def test_a_file_without_the_required_columns_is_refused(db):
    with pytest.raises(CatalogImportError, match="Must/Should"):
        read_table(b"ID,Criteria\n1.1,x\n", "short.csv")
    with pytest.raises(CatalogImportError, match="not a readable XLSX"):
        read_table(b"not a spreadsheet", "fake.xlsx")


def test_the_xlsx_export_opens_with_the_criteria(db):
    book = load_workbook(io.BytesIO(exports.as_xlsx(current_version())))
    sheet = book["MSC"]
    assert [c.value for c in sheet[1]][:4] == [
        "ID",
        "Criteria",
        "Implementation Guidance",
        "Must/Should",
    ]
    assert sheet.max_row == 102
    assert sheet["A2"].value == "1.1"


def validator(name):
    schema = json.loads((SCHEMAS / f"oscal_{name}_schema.json").read_text())
    return jsonschema_rs.validator_for(schema)


def test_the_oscal_catalog_and_every_profile_are_valid_oscal(db):
    version = current_version()
    archive = zipfile.ZipFile(io.BytesIO(exports.as_oscal_zip(version)))
    names = archive.namelist()
    assert len(names) == 13  # the catalog and one profile per entity type
    catalog = json.loads(archive.read(exports.catalog_filename(version)))
    errors = [e.message for e in validator("catalog").iter_errors(catalog)]
    assert errors == []
    groups = catalog["catalog"]["groups"]
    assert len(groups) == 12
    assert sum(len(g["controls"]) for g in groups) == 101
    profile_validator = validator("profile")
    for name in names:
        if "-profile-" in name:
            profile = json.loads(archive.read(name))
            assert [e.message for e in profile_validator.iter_errors(profile)] == [], name


def test_the_importer_profile_selects_the_importer_criteria(db):
    profile = exports.oscal_profile(current_version(), "IMP")
    ids = profile["profile"]["imports"][0]["include-controls"][0]["with-ids"]
    assert len(ids) == 90
    assert "msc-5.16" not in ids
    assert "msc-7.37" in ids


def test_the_validator_would_catch_a_broken_document(db):
    catalog = exports.oscal_catalog(current_version())
    catalog["catalog"]["groups"][0]["controls"][0]["id"] = "1 bad id"
    assert list(validator("catalog").iter_errors(catalog))
