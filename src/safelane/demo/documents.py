"""The demo's own company documents (data/documents/): Acme's security manual, rendered from
HTML to PDF, and its Monterrey HR policy, turned from Markdown into a Word file, as a company
would have them, for a person to map to the criteria."""

from __future__ import annotations

import io
import re
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "data" / "documents"
MANUAL = FOLDER / "security-manual.html"
HR_POLICY = FOLDER / "politica-recursos-humanos.md"


def manual_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(filename=str(MANUAL)).write_pdf()


def _plain(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text).strip()


def markdown_docx(text: str) -> bytes:
    """The few Markdown forms the policy uses: headings, numbered and bulleted lists, tables,
    paragraphs, each with the Word style a person would have used."""
    import docx

    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if table_rows:
            table = document.add_table(rows=0, cols=max(len(r) for r in table_rows))
            table.style = "Table Grid"
            for row in table_rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = value
            table_rows.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [_plain(c) for c in stripped.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table_rows.append(cells)
            continue
        flush_table()
        heading = re.match(r"^(#{1,4})\s+(.*)", stripped)
        if heading:
            document.add_heading(_plain(heading.group(2)), level=len(heading.group(1)))
        elif re.match(r"^\d+\.\s", stripped):
            document.add_paragraph(_plain(stripped.split(" ", 1)[1]), style="List Number")
        elif stripped.startswith(("- ", "* ")):
            document.add_paragraph(_plain(stripped[2:]), style="List Bullet")
        elif stripped:
            document.add_paragraph(_plain(stripped))
    flush_table()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hr_policy_docx() -> bytes:
    return markdown_docx(HR_POLICY.read_text(encoding="utf-8"))
