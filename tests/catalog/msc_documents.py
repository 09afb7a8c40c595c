"""PDFs in the layout of CBP's per-entity MSC documents, made with WeasyPrint for the tests: the
heading "CTPAT Minimum Security Criteria - <Entity> | <date>" on every page, the note on IDs not
listed, category rows, and one table of ID / Criteria / Implementation Guidance / Must / Should
that runs over several pages, with cells that wrap over many lines (some rows are cut by a page
break). The criteria texts are the catalog's own summaries, repeated so that they wrap; an ID the
catalog lacks gets a text that says it is a test fixture (no CTPAT criterion is invented).

`python -m tests.catalog.msc_documents DIR` writes the sample documents into DIR (to try the
upload page by hand).
"""

from __future__ import annotations

import html
import io
import sys
from pathlib import Path

import weasyprint
import yaml
from PIL import Image

CATALOG = Path(__file__).resolve().parents[2] / "src/safelane/catalog/data/msc-2019-11.yaml"
FIXTURE_TEXT = "Test fixture: a criterion ID that Safelane's catalog does not hold."


def catalog_rows() -> list[dict[str, str]]:
    data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    return [
        {
            "id": c["id"],
            "criteria": c["requirement"],
            "guidance": c.get("guidance", ""),
            "must_should": c["must_should"],
        }
        for c in data["criteria"]
    ]


def msc_pdf(
    entity: str,
    rows: list[dict[str, str]],
    *,
    date: str = "March 2020",
    note: bool = True,
    heading: bool = True,
) -> bytes:
    """An MSC document for `entity` listing `rows` (id, criteria, guidance, must_should)."""
    body = []
    category = None
    for row in rows:
        number = row["id"].split(".")[0]
        if number != category:
            category = number
            body.append(f'<tr><td colspan="4"><b>{number}. Category {number}</b></td></tr>')
        ms = {"must": "Must", "should": "Should"}.get(row["must_should"], "")
        # Long cells wrap over many lines; every fifth one is long enough to cross a page.
        repeat = 6 if row["id"].endswith("1") else 1
        criteria = html.escape(" ".join([row["criteria"]] * repeat))
        guidance = html.escape(" ".join([row["guidance"] or "See the criterion."] * repeat))
        body.append(
            f"<tr><td>{row['id']}</td><td>{criteria}</td><td>{guidance}</td><td>{ms}</td></tr>"
        )
    title = f"CTPAT Minimum Security Criteria - {entity} | {date}"
    listed = f" ID numbers not listed are not applicable to {html.escape(entity)}." if note else ""
    top = f'@top-center {{ content: "{title}"; font-size: 9pt; }}' if heading else ""
    page = f"""<html><head><style>
      @page {{ size: letter; margin: 2.2cm 1.5cm 1.8cm; {top}
               @bottom-right {{ content: counter(page); font-size: 8pt; }} }}
      body {{ font-family: sans-serif; font-size: 9pt; }}
      table {{ border-collapse: collapse; width: 100%; }}
      th, td {{ border: 0.75pt solid #333; padding: 3pt; vertical-align: top; }}
      td:first-child {{ width: 8%; }} td:last-child {{ width: 10%; }}
    </style></head><body>
    <h1>Minimum Security Criteria &ndash; {html.escape(entity)}</h1>
    <p>Criteria ID numbers may not be sequential.{listed}</p>
    <h2>First Focus Area: Corporate Security</h2>
    <table><thead><tr><th>ID</th><th>Criteria</th><th>Implementation Guidance</th>
    <th>Must / Should</th></tr></thead><tbody>{"".join(body)}</tbody></table>
    </body></html>"""
    return weasyprint.HTML(string=page).write_pdf()


def foreign_manufacturer_pdf() -> bytes:
    """Foreign Manufacturers: every catalog criterion but the carriers' and the brokers', plus
    7.3, which the catalog lacks."""
    skipped = {"5.15", "5.16", "5.24", "6.3", "6.4", "7.35", "7.36", "12.5"}
    rows = [r for r in catalog_rows() if r["id"] not in skipped]
    extra = {"id": "7.3", "criteria": FIXTURE_TEXT, "guidance": "", "must_should": "must"}
    rows.insert(next(i for i, r in enumerate(rows) if r["id"] == "7.4"), extra)
    return msc_pdf("Foreign Manufacturers", rows)


def highway_carrier_pdf() -> bytes:
    """Highway Carriers: the categories 1 to 6 and 11, with 1.1 designated Must (the catalog
    says Should)."""
    rows = [
        r for r in catalog_rows() if r["id"].split(".")[0] in {"1", "2", "3", "4", "5", "6", "11"}
    ]
    rows = [r for r in rows if r["id"] not in {"6.4", "5.14"}]
    rows[0] = {**rows[0], "must_should": "must"}
    return msc_pdf("Highway Carriers", rows, date="November 2019")


def memo_pdf() -> bytes:
    """A PDF that is not an MSC document: a memo with a table."""
    page = """<html><body><h1>Quarterly safety memo</h1><p>Fire drills are held in March.</p>
    <table><tr><th>Item</th><th>Owner</th></tr><tr><td>1.1</td><td>Facilities</td></tr></table>
    </body></html>"""
    return weasyprint.HTML(string=page).write_pdf()


def scanned_pdf() -> bytes:
    """A PDF holding only a picture of a page, as a scanner makes it: no text to read."""
    out = io.BytesIO()
    Image.new("RGB", (850, 1100), "white").save(out, "PDF")
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for name, build in {
        "msc-foreign-manufacturers.pdf": foreign_manufacturer_pdf,
        "msc-highway-carriers.pdf": highway_carrier_pdf,
        "memo.pdf": memo_pdf,
        "scanned.pdf": scanned_pdf,
    }.items():
        (target / name).write_bytes(build())
        sys.stdout.write(f"{target / name}\n")
