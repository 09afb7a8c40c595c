import csv
import io
import json
import zipfile
from pathlib import Path

import jsonschema_rs
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safelane.catalog import exports
from safelane.catalog.imports import CatalogImportError, read_table, to_document
from safelane.catalog.loader import load
from safelane.catalog.models import CatalogVersion
from safelane.catalog.selectors import current_version

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "oscal"


def test_json_has_every_criterion_with_its_core_fields(db):
    data = exports.as_json(current_version())
    assert len(data["criteria"]) == 102
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
            ["12.3", "Test row: an ID the catalog does not hold.", "", "Must", "CB:official"]
        )

    path = tmp_path / "corrected.csv"
    path.write_bytes(edit_csv(exports.as_csv(current_version()), correct))
    call_command("catalog", "import", str(path), "--label", "2019-11-corrected")
    output = capsys.readouterr().out
    assert "2019-11-corrected is now current" in output
    assert "added:   12.3" in output
    version = current_version()
    assert version.criteria.count() == 103
    assert version.criteria.get(ident="1.1").must_should == "must"
    assert version.criteria.get(ident="12.3").applicability.get().entity_type == "CB"


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
    assert sheet.max_row == 103
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
    assert sum(len(g["controls"]) for g in groups) == 102
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


def tailored_acme(cast):
    from safelane.catalog import services

    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    services.decide(
        org=cast.acme,
        actor=cast.owner,
        ident="9.2",
        decision="not-applicable",
        justification="No yard: offices in a shared tower.",
    )
    services.save_own_criterion(
        org=cast.acme,
        actor=cast.owner,
        values={
            "code": "ACME-01",
            "category": 10,
            "must_should": "must",
            "requirement": "Dock doors at Joliet open only with a supervisor's badge.",
        },
    )
    return exports.tailoring(cast.acme, current_version())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_organisations_table_carries_its_decisions_and_own_criteria(cast, as_user, fmt):
    tailored_acme(cast)
    response = as_user(cast.viewer).get(reverse("catalog:export", args=[cast.acme.slug, fmt]))
    assert "acme-imports" in response["Content-Disposition"]
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content))["MSC"]
        table = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    header, body = table[0], table[1:]
    assert header[-3:] == ["Our Scope", "Our Decision", "Decision Reason"]
    row = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert row["9.2"]["Our Scope"] == "Not applicable (our decision)"
    assert row["9.2"]["Decision Reason"] == "No yard: offices in a shared tower."
    assert row["6.2"]["Our Scope"] == "Applies"
    own = row["own:ACME-01"]
    assert own["Criteria"] == "Dock doors at Joliet open only with a supervisor's badge."
    assert (own["Category"], own["Must/Should"]) == ("10", "Must")
    # The organisation's table still loads as the catalog: nothing changes.
    content = response.content
    doc = to_document(read_table(content, f"acme.{fmt}"), current_version())
    assert not load(doc, source="test", label="reimport").created


def test_the_organisations_json_carries_its_scope_and_own_criteria(cast, as_user):
    tailored_acme(cast)
    data = json.loads(
        as_user(cast.viewer).get(reverse("catalog:export", args=[cast.acme.slug, "json"])).content
    )
    assert data["organisation"]["entity_types"] == ["IMP"]
    by_id = {c["id"]: c for c in data["criteria"]}
    assert by_id["9.2"]["scope"]["decision"] == "not-applicable"
    assert by_id["9.2"]["scope"]["justification"] == "No yard: offices in a shared tower."
    assert [c["code"] for c in data["own_criteria"]] == ["ACME-01"]


def test_the_organisations_oscal_profile_tailors_the_catalog(cast, as_user):
    tailored_acme(cast)
    response = as_user(cast.viewer).get(reverse("catalog:export", args=[cast.acme.slug, "oscal"]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    profile = json.loads(archive.read("safelane-acme-imports-profile.json"))
    assert [e.message for e in validator("profile").iter_errors(profile)] == []
    own = json.loads(archive.read("safelane-acme-imports-own-criteria-catalog.json"))
    assert [e.message for e in validator("catalog").iter_errors(own)] == []
    [control] = [c for g in own["catalog"]["groups"] for c in g["controls"]]
    assert control["title"].startswith("ACME-01 Dock doors")
    imports = profile["profile"]["imports"]
    included = imports[0]["include-controls"][0]["with-ids"]
    assert "msc-6.2" in included
    assert "msc-9.2" not in included
    assert imports[1]["href"] == "safelane-acme-imports-own-criteria-catalog.json"
    [decision] = [p for p in profile["profile"]["metadata"]["props"] if p["name"] == "decision"]
    assert decision["class"] == "msc-9.2"
    assert decision["remarks"] == "No yard: offices in a shared tower."


def test_control_titles_end_at_a_word(db):
    catalog = exports.oscal_catalog(current_version())
    for group in catalog["catalog"]["groups"]:
        for control in group["controls"]:
            title = control["title"].partition(" ")[2]
            statement = " ".join(control["parts"][0]["prose"].split())
            start = title.removesuffix("…")
            # The title is the statement's opening, ending where a word ends.
            assert statement.startswith(start), control["id"]
            assert statement[len(start) : len(start) + 1] in {"", " ", ".", ",", ";", ":"}, control[
                "id"
            ]
            assert len(title) <= exports.TITLE_WORDS + 1


def test_the_cli_exports_an_organisations_table(cast, tmp_path):
    from django.core.management import call_command

    tailored_acme(cast)
    out = tmp_path / "acme.csv"
    call_command("catalog", "export", "--format", "csv", "--org", "acme-imports", "-o", str(out))
    assert "own:ACME-01" in out.read_text(encoding="utf-8-sig")
