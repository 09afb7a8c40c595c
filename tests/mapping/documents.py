"""Documents the mapping tests read, built the way real ones are: a PDF with text (WeasyPrint),
a scanned PDF (a picture only), a Word file with heading styles, an Excel form."""

from __future__ import annotations

import io

MANUAL_HTML = """<html><body>
<h1>Supply Chain Security Manual</h1>
<h2>4. Seal control</h2>
<p>The shipping supervisor keeps high-security bolt seals meeting ISO 17712 in a locked cabinet;
only two named clerks may issue them, and every seal number is written in the seal log.</p>
<ol><li>Verify the seal number against the bill of lading before the trailer leaves.</li>
<li>Pull, twist and turn the seal to check that it is locked.</li></ol>
<h2>9. Fire drills</h2>
<p>Twice a year every employee takes part in an evacuation drill at the assembly point.</p>
</body></html>"""


def text_pdf(html: str = MANUAL_HTML) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def scanned_pdf() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 120), fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def word(paragraphs: list[tuple[str, str]]) -> bytes:
    """A .docx of (style, text) paragraphs: "Heading 1", "Normal", "List Number"..."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Inspection form"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
