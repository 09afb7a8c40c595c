import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safelane.screening import selectors
from safelane.screening.management.commands.screen import COLUMNS

from .conftest import SNAPSHOTS

ROOT = Path(__file__).resolve().parents[2]


def load(list_name, path):
    call_command("lists", "load", list_name, str(path))


@pytest.fixture
def loaded(db):
    load("dpl", SNAPSHOTS / "dpl.txt")
    load("csl", SNAPSHOTS / "csl-sample.csv")


def partners(tmp_path, text, name="partners.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def screen(tmp_path, source, *args):
    output = tmp_path / "hits.csv"
    call_command("screen", str(source), "--output", str(output), *args)
    with output.open(encoding="utf-8", newline="") as hits:
        return list(csv.reader(hits))


def test_lists_load_and_show(db, capsys):
    load("ofac-sdn", SNAPSHOTS)
    assert "8,976 entries and 20,886 names loaded" in capsys.readouterr().out
    load("dpl", SNAPSHOTS / "dpl.txt")
    load("dpl", SNAPSHOTS / "dpl.txt")
    assert "No change" in capsys.readouterr().out
    call_command("lists", "show")
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 2
    assert shown[0].startswith("dpl: 581 entries, 581 names, loaded ")
    assert shown[0].endswith("files dpl.txt 9bac1eb5401d")
    assert shown[1].startswith("ofac-sdn: 8,976 entries, 20,886 names, loaded ")
    assert "sdn.csv 2a08fac873a3, alt.csv 82403d348e22, add.csv c98720815c45" in shown[1]


def test_lists_show_says_when_nothing_is_loaded(db, capsys):
    call_command("lists", "show")
    assert "No list is loaded" in capsys.readouterr().out


def test_a_bad_file_is_refused_one_line_per_problem(loaded, tmp_path, capsys):
    before = selectors.active_snapshots()
    lines = (SNAPSHOTS / "csl-sample.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = "Entity List (EL) - Bureau of Industry and Security,,,,,"
    lines[7] += ",one,cell,too,many"
    broken = partners(tmp_path, "\n".join(lines) + "\n", "consolidated.csv")
    with pytest.raises(
        CommandError, match="csl was not loaded \\(2 problems\\); the active snapshot stays"
    ):
        load("csl", broken)
    assert capsys.readouterr().err.splitlines() == [
        "consolidated.csv:4: the name is empty",
        "consolidated.csv:8: more cells than the header has columns",
    ]
    assert selectors.active_snapshots() == before


def test_the_command_line_ends_a_refusal_without_a_traceback(tmp_path):
    broken = partners(tmp_path, "Name\tCity\nSOMEONE\n", "dpl.txt")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "safelane.settings_test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "safelane.cli", "lists", "load", "dpl", str(broken)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "dpl.txt:2: expected 2 columns, found 1",
        "CommandError: dpl was not loaded (1 problem); the active snapshot stays as it was.",
    ]


def test_screen_writes_one_row_per_hit_in_the_interface_columns(loaded, tmp_path):
    source = partners(
        tmp_path,
        "id,name,country\n"
        "P1,Gulf Gate Shipping Company LLC,United Arab Emirates\n"
        "P2,Bluewater Textiles Ltd,CN\n"
        "P3,Al-Naser Airlines,\n",
    )
    rows = screen(tmp_path, source)
    assert tuple(rows[0]) == COLUMNS == ("id", "name", "list", "entry_id", "matched_name", "score")
    by_id = {}
    for row in rows[1:]:
        by_id.setdefault(row[0], []).append(row)
    assert set(by_id) == {"P1", "P3"}
    gulf = by_id["P1"][0]
    assert gulf[1:3] == ["Gulf Gate Shipping Company LLC", "csl"]
    assert gulf[4:] == ["Gulf Gate Shipping Co. LLC", "1.000"]
    assert {row[2] for row in by_id["P3"]} == {"dpl"}
    assert all(len(row[5].split(".")[1]) == 3 for row in rows[1:])


def test_screen_names_sdn_entries_by_their_ent_num(db, tmp_path):
    load("ofac-sdn", SNAPSHOTS)
    rows = screen(tmp_path, partners(tmp_path, "id,name\n7,Anglo Caribean Co Ltd\n"))
    assert rows[1][:5] == [
        "7",
        "Anglo Caribean Co Ltd",
        "ofac-sdn",
        "173",
        "ANGLO-CARIBBEAN CO., LTD.",
    ]
    assert 0.8 <= float(rows[1][5]) < 1


def test_screen_escapes_what_a_spreadsheet_would_run(loaded, tmp_path):
    rows = screen(tmp_path, partners(tmp_path, 'id,name\n=1+1,"@Gulf Gate Shipping Co. LLC"\n'))
    assert rows[1][0] == "'=1+1"
    assert rows[1][1] == "'@Gulf Gate Shipping Co. LLC"


def test_screen_applies_the_threshold_it_is_given(loaded, tmp_path):
    source = partners(tmp_path, "id,name\nP1,Gulf Gate Shiping Co\n")
    assert len(screen(tmp_path, source)) > 1
    assert screen(tmp_path, source, "--threshold", "0.99") == [list(COLUMNS)]
    with pytest.raises(CommandError, match="threshold"):
        screen(tmp_path, source, "--threshold", "2")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id,title\n1,Acme\n", "Row 1: the columns name are missing."),
        ("id,name\n1,Caf\xe9\n".encode("latin-1"), "The file is not UTF-8 text."),
        (f"id,name\n1,{'x' * 200_000}\n", "a field is longer than 131,072 characters."),
        ("id,name\n1,Acme\n2,\n", "Row 3: the name is empty."),
        ("id,name,country\n1,Acme,Atlantis\n", "Row 2: unknown country 'Atlantis'."),
        (
            "id,name,kind\n1,Acme,robot\n",
            "Row 2: the kind must be one of aircraft, entity, individual, vessel, not 'robot'.",
        ),
    ],
)
def test_screen_refuses_a_bad_file_and_writes_nothing(loaded, tmp_path, capsys, content, problem):
    source = partners(tmp_path, content)
    output = tmp_path / "hits.csv"
    with pytest.raises(CommandError, match="was not screened"):
        call_command("screen", str(source), "--output", str(output))
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(problem)
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_screen_needs_a_loaded_list(db, tmp_path):
    with pytest.raises(CommandError, match="No restricted-party list is loaded"):
        screen(tmp_path, partners(tmp_path, "id,name\n1,Acme\n"))


def test_the_benchmark_still_runs():
    from bench.screening import run

    result = run(smoke=True)
    assert result["smoke"] is True
    assert result["names"] == result["perturbed"] + result["clean"] > 100
    for figure in ("names_per_second", "recall", "clean_alerted"):
        assert set(result[figure]) == {"measured", "target", "ratio"}
    assert result["recall"]["measured"] > 0.9
