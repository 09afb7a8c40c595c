"""Partners from a spreadsheet: every row checked, all or nothing unless the good rows are
chosen, the same from the command line."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from safelane.core.imports import RowsRefusedError
from safelane.core.models import AuditEntry
from safelane.partners import imports
from safelane.partners.models import Partner, PartnerImport

GOOD = (
    "name,type,country,other_names,contact_email\n"
    "Shenzhen Homeware Co. Ltd.,supplier,CN,Homeware SZ,li@homeware.example\n"
    "Transportes del Norte,Transportista por carretera,México,,\n"
    "Laredo Cross-Dock LLC,3pl,US; MX,,\n"
)


def run(cast, content, skip=False, name="partners.csv"):
    headers, rows = imports.read_table(content, name)
    checked = imports.check_rows(rows, imports.guess_mapping(headers))
    return imports.write(
        org=cast.acme,
        actor=cast.owner,
        rows=checked,
        file_name=name,
        content=content,
        skip_bad_rows=skip,
    )


def test_codes_english_and_spanish_labels_and_country_names_are_understood(cast):
    outcome = run(cast, GOOD.encode())
    assert len(outcome.partners) == 3
    carrier = Partner.objects.for_org(cast.acme).get(name="Transportes del Norte")
    assert (carrier.kind, [c.code for c in carrier.countries]) == ("highway_carrier", ["MX"])
    laredo = Partner.objects.for_org(cast.acme).get(name="Laredo Cross-Dock LLC")
    assert [c.code for c in laredo.countries] == ["MX", "US"]
    shenzhen = Partner.objects.for_org(cast.acme).get(name__startswith="Shenzhen")
    assert [n.name for n in shenzhen.other_names.all()] == ["Homeware SZ"]
    assert shenzhen.contacts.get().email == "li@homeware.example"
    assert shenzhen.tier_reasons  # worked out on the way in


def test_one_bad_row_stops_the_whole_file_with_its_reason(cast):
    bad = GOOD + "Atlantis Trading,pirate,Atlantis,,\n"
    with pytest.raises(RowsRefusedError) as refused:
        run(cast, bad.encode())
    assert refused.value.problems == [
        "Row 5: 'pirate' is not a partner type; 'Atlantis' is not a country."
    ]
    assert not Partner.objects.for_org(cast.acme).exists()


def test_the_good_rows_only_when_chosen_and_the_import_says_so(cast):
    bad = GOOD + "Atlantis Trading,pirate,Atlantis,,\n"
    outcome = run(cast, bad.encode(), skip=True)
    assert len(outcome.partners) == 3
    record = PartnerImport.objects.for_org(cast.acme).get()
    assert (record.imported, record.skipped) == (3, 1)
    entry = AuditEntry.objects.for_org(cast.acme).for_object(record).get()
    assert entry.changes["partners imported"] == [None, 3]
    assert entry.changes["rows left out"] == [None, 1]


def test_an_excel_file_imports_like_a_csv(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nombre", "Tipo", "País"])
    sheet.append(["Aceros del Norte", "Proveedor o fabricante", "MX"])
    out = io.BytesIO()
    book.save(out)
    assert len(run(cast, out.getvalue(), name="socios.xlsx").partners) == 1
    assert Partner.objects.for_org(cast.acme).get().kind == "supplier"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"name,type\nX,supplier\n", "Choose the column of"),
        (
            b"name,type,country\n=HYPERLINK(1),supplier,CN\nbad\x0bname,supplier,CN\n",
            "control character",
        ),
        (b"name,type,country\n" + b"x" * 300 + b",supplier,CN\n", "at most 200"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_hostile_files_are_refused_row_by_row(cast, content, problem):
    with pytest.raises(RowsRefusedError, match=problem):
        run(cast, content)
    assert not Partner.objects.for_org(cast.acme).exists()


def test_the_command_line_imports_or_writes_nothing(cast, tmp_path, capsys):
    good = tmp_path / "partners.csv"
    good.write_text(GOOD)
    call_command("partners", "import", cast.acme.slug, str(good))
    assert Partner.objects.for_org(cast.acme).count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type,country\nOK Co,supplier,CN\nBad,pirate,CN\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("partners", "import", cast.acme.slug, str(bad))
    assert "Row 3: 'pirate' is not a partner type." in capsys.readouterr().err
    assert Partner.objects.for_org(cast.acme).count() == 3
    call_command("partners", "import", cast.acme.slug, str(bad), "--skip-bad-rows")
    assert Partner.objects.for_org(cast.acme).count() == 4


def test_the_command_exits_non_zero_for_a_bad_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type,country\nBad,pirate,CN\n")
    finished = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from safelane.cli import main; sys.argv=['safelane','partners','import','nobody',sys.argv[1]]; main()",
            str(bad),
        ],
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "SAFELANE_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert finished.returncode != 0
