"""`safelane documents map INPUT.csv --output PRED.csv [--threshold X]`."""

import csv

import pytest
from django.core.management import CommandError, call_command

from safelane.mapping import ranking

pytestmark = pytest.mark.django_db

PARAGRAPHS = (
    "pid,text,lang\n"
    'p1,"Seals are kept in a locked drawer; each seal number is logged.",en\n'
    'p2,"Las cámaras de videovigilancia graban los andenes las 24 horas.",\n'
    'p3,"Employees accrue paid vacation days every month.",en\n'
)


def mapped(tmp_path, content: str | bytes, *extra: str) -> list[dict[str, str]]:
    source = tmp_path / "in.csv"
    if isinstance(content, str):
        content = content.encode()
    source.write_bytes(content)
    output = tmp_path / "pred.csv"
    call_command("documents", "map", str(source), "--output", str(output), *extra)
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["pid", "rank", "criterion_id", "score"]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_it_writes_the_top_ten_of_each_paragraph_best_first(tmp_path):
    rows = mapped(tmp_path, PARAGRAPHS)
    for pid in ("p1", "p2", "p3"):
        mine = [r for r in rows if r["pid"] == pid]
        assert [int(r["rank"]) for r in mine] == list(range(1, 11))
        scores = [float(r["score"]) for r in mine]
        assert scores == sorted(scores, reverse=True)
    assert next(r for r in rows if r["pid"] == "p2")["criterion_id"].startswith("9.")


def test_it_keeps_only_rows_at_or_above_the_threshold(tmp_path):
    rows = mapped(tmp_path, PARAGRAPHS, "--threshold", str(ranking.THRESHOLD))
    assert rows
    assert all(float(r["score"]) >= ranking.THRESHOLD for r in rows)
    assert "p3" not in {r["pid"] for r in rows}
    assert mapped(tmp_path, PARAGRAPHS, "--threshold", "1.0") == []


def test_it_reads_utf8_with_a_byte_order_mark_and_without_lang(tmp_path):
    content = "\ufeffpid,text\nq1,Los marchamos se guardan bajo llave.\n".encode()
    rows = mapped(tmp_path, content)
    assert rows[0]["pid"] == "q1"
    assert len(rows) == 10


def test_it_refuses_a_file_without_the_text_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("pid,body\n1,Seals are logged.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing: text"):
        call_command("documents", "map", str(source), "--output", str(tmp_path / "o.csv"))


def test_it_refuses_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "documents", "map", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "o.csv")
        )
    binary = tmp_path / "in.csv"
    binary.write_bytes(b"\xff\xfe\x00pid")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("documents", "map", str(binary), "--output", str(tmp_path / "o.csv"))


def test_the_help_states_the_default_threshold(capsys):
    with pytest.raises(SystemExit):
        call_command("documents", "map", "--help")
    assert str(ranking.THRESHOLD) in capsys.readouterr().out
