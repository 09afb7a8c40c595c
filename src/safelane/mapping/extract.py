"""Text out of a company's documents (PDF, Word, plain text, Excel forms), as blocks in reading
order: each block a heading or a paragraph with the page it stands on. Pure: bytes in, blocks
out. A file without text (a scanned PDF) is refused with what to do, never mapped as empty."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from safelane.core.errors import DomainError

MAX_PAGES = 500
# A page with fewer characters than this is taken to hold no text layer (a scan).
MIN_PAGE_TEXT = 20
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Block:
    text: str
    page: int | None = None  # 1-based, where the format has pages
    # 1, 2, ...: a heading the file marks as such; 0: text that may still look like a heading;
    # -1: a table row or a form's line, never a heading.
    heading_level: int = 0


def kind_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_kind(name: str) -> None:
    """Refuse, before anything is stored, a file of a kind this module does not read."""
    if kind_of(name) not in SUPPORTED:
        raise DomainError(
            _("Safelane reads PDF, Word (.docx), plain text and Excel (.xlsx) files for mapping."),
            field="file",
        )


@dataclass(frozen=True)
class Extracted:
    blocks: list[Block]
    pages: int | None = None  # where the format has pages
    pages_without_text: tuple[int, ...] = ()  # pages that are pictures only (scanned)


def read(content: bytes, name: str) -> Extracted:
    """The file's text as blocks, or a DomainError saying why none could be read."""
    check_kind(name)
    try:
        pages, blank, raw = READERS[kind_of(name)](content)
        found = [Block(CONTROL.sub("", b.text).strip(), b.page, b.heading_level) for b in raw]
    except DomainError:
        raise
    except Exception as error:  # a damaged file: whatever the library raises
        raise DomainError(
            _("This file could not be read (%(why)s). Save it again and upload that copy.")
            % {"why": type(error).__name__}
        ) from error
    found = [b for b in found if b.text]
    if not found:
        raise DomainError(_("This file holds no text to map."))
    return Extracted(found, pages, blank)


Read = tuple[int | None, tuple[int, ...], list[Block]]


def _pdf(content: bytes) -> Read:
    """Text by page with PDFium (pypdfium2, which pdfplumber builds on): tens of times faster
    than laying the page out again, and the same words in the same order."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    document = pdfium.PdfDocument(content)
    try:
        if len(document) > MAX_PAGES:
            raise DomainError(
                _("This PDF has %(n)s pages; Safelane maps up to %(max)s at a time.")
                % {"n": len(document), "max": MAX_PAGES}
            )
        texts = []
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            texts.append(text_page.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            text_page.close()
            page.close()
    finally:
        document.close()
    blank = tuple(n for n, t in enumerate(texts, start=1) if len(t.strip()) < MIN_PAGE_TEXT)
    if len(blank) == len(texts):
        raise DomainError(
            _(
                "This PDF holds no text, only pictures of pages (a scan). Run it through text "
                "recognition (OCR) or upload the original Word file."
            )
        )
    texts = _without_running_lines(texts)
    found = [
        Block(paragraph, page=number)
        for number, text in enumerate(texts, start=1)
        for paragraph in _paragraphs(text)
    ]
    return len(texts), blank, found


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _without_running_lines(texts: list[str]) -> list[str]:
    """Pages without their running header and footer ("Manual SCS-001 rev. 4", "Page 3 of
    10"): a line among a page's first or last two that recurs, numbers aside, on more than
    half of the pages is the page's frame, not its text."""
    if len(texts) < 3:
        return texts
    counts: dict[str, int] = {}
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip()]
        for shape in {_shape(line) for line in lines[:2] + lines[-2:]}:
            counts[shape] = counts.get(shape, 0) + 1
    frame = {shape for shape, n in counts.items() if n > len(texts) / 2}
    out = []
    for text in texts:
        lines = text.splitlines()
        kept = [
            line
            for i, line in enumerate(lines)
            if not ((i < 2 or i >= len(lines) - 2) and _shape(line) in frame)
        ]
        out.append("\n".join(kept))
    return out


def _paragraphs(text: str) -> Iterator[str]:
    """A page's lines joined into paragraphs: a blank line, a numbered step, a bullet or a
    heading-like short line starts a new one, and so does the line after a sentence that ends
    well short of the page's width (the last line of a paragraph); a line that runs on is joined
    to the last."""
    lines = text.splitlines()
    width = max((len(line.strip()) for line in lines), default=0)
    current: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                yield " ".join(current)
                current = []
            continue
        starts_new = bool(STEP.match(line)) or looks_like_heading(line)
        if current and (starts_new or looks_like_heading(current[-1]) or _ends(current[-1], width)):
            yield " ".join(current)
            current = []
        current.append(line)
    if current:
        yield " ".join(current)


def _ends(line: str, width: int) -> bool:
    """The last line of a paragraph: a sentence's end, well short of a full line."""
    return width > 40 and line.endswith((".", ":", "!", "?")) and len(line) < 0.8 * width


STEP = re.compile(
    r"^(\(?\d{1,2}(\.\d{1,2})*[.)]?\s|\(?[a-z][.)]\s|[•·\-\u2013*▪]\s)", re.IGNORECASE
)


def looks_like_heading(line: str) -> bool:
    """A short line that does not end a sentence and starts with a capital or a number: "4.2
    Seal control", "SEAL CONTROL", "Política de sellos". A bulleted item is not one."""
    words = line.split()
    if not words or len(words) > 9 or len(line) > 80 or line.endswith(tuple(".,;:!?")):
        return False
    if re.match("^[•·\\-\u2013*▪(]", line):
        return False
    first = line.lstrip("0123456789. ")
    return (
        bool(first)
        and (first[0].isupper() or line[0].isdigit())
        and any(c.isalpha() for c in first)
    )


def _docx(content: bytes) -> Read:
    return None, (), list(_docx_blocks(content))


def _docx_blocks(content: bytes) -> Iterator[Block]:
    import docx

    document = docx.Document(io.BytesIO(content))
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = 0
        if style.lower().startswith(("heading", "título", "titulo")):
            digits = "".join(c for c in style if c.isdigit())
            level = int(digits) if digits else 1
        elif style.lower() == "title":
            level = 1
        yield Block(paragraph.text, heading_level=level)
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                text = " ".join(cell.text.split())
                if text and text not in cells:
                    cells.append(text)
            yield Block(" · ".join(cells), heading_level=-1)


def _txt(content: bytes) -> Read:
    return None, (), list(_txt_blocks(content))


def _txt_blocks(content: bytes) -> Iterator[Block]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes all but five bytes
        text = content.decode("utf-8", errors="replace")
    for paragraph in _paragraphs(text.replace("\f", "\n\n")):
        yield Block(paragraph)


def _xlsx(content: bytes) -> Read:
    return None, (), list(_xlsx_blocks(content))


def _xlsx_blocks(content: bytes) -> Iterator[Block]:
    import openpyxl

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise DomainError(_("This is not an Excel workbook (.xlsx)."))
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield Block(str(sheet.title), heading_level=1)
            for row in sheet.iter_rows(values_only=True):
                cells = [" ".join(str(v).split()) for v in row if v not in (None, "")]
                if cells:
                    yield Block(" · ".join(cells), heading_level=-1)
    finally:
        book.close()


READERS: dict[str, Callable[[bytes], Read]] = {
    "pdf": _pdf,
    "docx": _docx,
    "txt": _txt,
    "xlsx": _xlsx,
}
SUPPORTED = tuple(READERS)  # the kinds a document may be mapped from
