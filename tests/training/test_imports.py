"""The people register from a spreadsheet: every row checked, all or nothing unless the good rows
are chosen, re-imports update by employee number, leavers are made inactive; the same from the
command line."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from safelane.core.imports import RowsRefusedError
from safelane.core.models import AuditEntry
from safelane.training import imports, services
from safelane.training.models import PeopleImport, Person

GOOD = (
    "employee_number,name,role,site\n"
    "E1001,Ana García,Driver,Laredo yard\n"
    "E1002,Luis Smith,Warehouse operator,Joliet DC\n"
    "E1003,María López,Finance,Chicago office\n"
)


def run(cast, content, skip=False, name="people.csv", everyone=False, actor=None):
    headers, rows = imports.read_table(content, name)
    checked = imports.check_rows(rows, imports.guess_mapping(headers))
    return services.import_people(
        org=cast.acme,
        actor=actor or cast.contributor,
        rows=checked,
        file_name=name,
        content=content,
        skip_bad_rows=skip,
        deactivate_missing=everyone,
    )


def register(cast):
    return {p.employee_number: p for p in Person.objects.for_org(cast.acme)}


def test_the_four_interface_columns_are_enough(cast):
    outcome = run(cast, GOOD.encode())
    assert (outcome.added, outcome.updated, outcome.deactivated) == (3, 0, 0)
    ana = register(cast)["E1001"]
    assert (ana.name, ana.role, ana.site, ana.active) == (
        "Ana García",
        "Driver",
        "Laredo yard",
        True,
    )
    entry = AuditEntry.objects.for_org(cast.acme).for_object(outcome.record).get()
    assert entry.changes["people added"] == [None, 3]


def test_spanish_headers_and_the_optional_columns_are_read(cast):
    content = (
        "Número de empleado,Nombre,Puesto,Planta,Departamento,Fecha de ingreso,Activo\n"
        "7,Jorge Pérez,Chofer,Monterrey,Logística,2024-03-01,sí\n"
    )
    run(cast, content.encode())
    jorge = register(cast)["7"]
    assert (jorge.role, jorge.site, jorge.department) == ("Chofer", "Monterrey", "Logística")
    assert jorge.start_date == datetime.date(2024, 3, 1)


def test_one_bad_row_stops_the_whole_file_with_its_reasons(cast):
    bad = GOOD + ",Nobody,Driver,Laredo\nE1005,Bea,Driver,Laredo\nE1005,Bea Twice,Driver,X\n"
    with pytest.raises(RowsRefusedError) as refused:
        run(cast, bad.encode())
    assert refused.value.problems == [
        "Row 5: the employee number is missing.",
        "Row 7: employee number E1005 is on row 6 too.",
    ]
    assert not Person.objects.for_org(cast.acme).exists()
    assert not PeopleImport.objects.for_org(cast.acme).exists()


def test_only_the_good_rows_when_asked(cast):
    bad = GOOD + "E1004,,Driver,Laredo\n"
    outcome = run(cast, bad.encode(), skip=True)
    assert (outcome.added, outcome.record.skipped) == (3, 1)


def test_a_re_import_updates_by_employee_number_and_never_duplicates(cast):
    run(cast, GOOD.encode())
    ana = register(cast)["E1001"]
    changed = GOOD.replace("Ana García,Driver", "Ana García Ruiz,Dispatcher") + "E1004,New,X,Y\n"
    outcome = run(cast, changed.encode())
    assert (outcome.added, outcome.updated) == (1, 1)
    after = register(cast)
    assert len(after) == 4
    assert (after["E1001"].pk, after["E1001"].role) == (ana.pk, "Dispatcher")
    assert after["E1001"].version == ana.version + 1
    entry = AuditEntry.objects.for_org(cast.acme).for_object(ana).order_by("-pk").first()
    assert entry.changes["role"] == ["Driver", "Dispatcher"]
    assert run(cast, changed.encode()).updated == 0  # the same file again changes nothing


def test_people_who_leave_are_made_inactive_never_deleted(cast):
    run(cast, GOOD.encode())
    without_luis = "\n".join(line for line in GOOD.splitlines() if "E1002" not in line) + "\n"
    assert run(cast, without_luis.encode()).deactivated == 0  # not unless the file is everyone
    outcome = run(cast, without_luis.encode(), everyone=True)
    assert outcome.deactivated == 1
    luis = register(cast)["E1002"]
    assert luis.active is False
    back = run(cast, GOOD.encode(), everyone=True)  # he is back on the list: active again
    assert (back.updated, register(cast)["E1002"].active) == (1, True)


def test_an_active_column_says_who_left(cast):
    run(cast, (GOOD.replace("\n", ",yes\n", 1).replace("site,yes", "site,active")).encode())
    run(cast, b"employee_number,name,active\nE1001,Ana Garc\xc3\xada,no\n")
    assert register(cast)["E1001"].active is False


def test_hostile_cells_are_refused_or_kept_as_text(cast):
    content = (
        "employee_number,name,role,site,start_date\n"
        'E1,=HYPERLINK("http://x"),Driver,Laredo,\n'
        f"{'9' * 41},Big Number,Driver,Laredo,\n"
        "E3,Someone,Driver,Laredo,03/04/2024\n"
        "E4,Bell\x07Name,Driver,Laredo,\n"
    )
    with pytest.raises(RowsRefusedError) as refused:
        run(cast, content.encode())
    problems = "\n".join(refused.value.problems)
    assert "Row 5 holds a control character" in problems
    content = "\n".join(content.splitlines()[:4]) + "\n"
    with pytest.raises(RowsRefusedError) as refused:
        run(cast, content.encode())
    assert refused.value.problems == [
        "Row 3: Employee number: Ensure this value has at most 40 characters (it has 41).",
        "Row 4: '03/04/2024' is not a date written YYYY-MM-DD.",
    ]
    run(cast, content.encode(), skip=True)
    assert register(cast)["E1"].name == '=HYPERLINK("http://x")'  # text; exports quote it


def test_excel_numbers_and_dates_read_as_people_write_them(cast):
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee number", "Name", "Role", "Site", "Start date"])
    sheet.append([1042, "Ana", "Driver", "Laredo", datetime.datetime(2025, 1, 6)])
    sheet.append([1043.0, "Luis", None, None, None])
    out = io.BytesIO()
    book.save(out)
    run(cast, out.getvalue(), name="people.xlsx")
    people = register(cast)
    assert set(people) == {"1042", "1043"}
    assert people["1042"].start_date == datetime.date(2025, 1, 6)


def test_a_viewer_cannot_import(cast):
    from safelane.core.errors import NotAllowedError

    with pytest.raises(NotAllowedError):
        run(cast, GOOD.encode(), actor=cast.viewer)


def test_the_command_imports_and_refuses_a_bad_file_whole(cast, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("people", "import", cast.acme.slug, str(path))
    assert "3 added, 0 updated" in capsys.readouterr().out
    path.write_text(GOOD.replace("E1001,Ana", "E1001,Ana B") + "E9,,Driver,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("people", "import", cast.acme.slug, str(path))
    assert "Row 5: the name is missing." in capsys.readouterr().err
    assert register(cast)["E1001"].name == "Ana García"  # nothing written
    call_command("people", "import", cast.acme.slug, str(path), "--skip-bad-rows")
    assert register(cast)["E1001"].name == "Ana B García"
    entry = AuditEntry.objects.for_org(cast.acme).filter(object_repr__startswith="people.csv")
    assert entry.first().source == "cli"
