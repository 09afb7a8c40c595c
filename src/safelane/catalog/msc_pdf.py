"""Reading an entity type's official CTPAT Minimum Security Criteria document (the PDF a member
downloads from the CTPAT Portal's public library) with pdfplumber.

The document's pages are headed "CTPAT Minimum Security Criteria - <Entity> | <date>", it says
"ID numbers not listed are not applicable to <Entity>", and its criteria sit in a table with the
columns ID / Criteria / Implementation Guidance / Must-Should that runs across pages (a row cut
by a page break goes on, without its ID, at the top of the next page). Anything else is refused
whole with the reason; nothing here writes.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field

import pdfplumber
from django.utils.translation import gettext as _
from pdfminer.pdfparser import PDFSyntaxError

from safelane.catalog.entity_types import EntityType, by_document_name
from safelane.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 150
# Reading stops between pages once this is spent; a genuine document takes a few seconds.
MAX_SECONDS = 30.0
MAX_CELL = 6000

HEADING = re.compile(
    r"CTPAT\s+Minimum\s+Security\s+Criteria\s*[-\u2013\u2014]\s*(?P<entity>[^|\n]+?)\s*\|\s*"
    r"(?P<date>[^\n]+?)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
NOTE = "ID numbers not listed are not applicable to "
IDENT = re.compile(r"^\d{1,2}\.\d{1,3}$")
COLUMNS = ("id", "criteria", "implementation guidance", "must/should")


class DocumentRefusedError(DomainError):
    """The file is not an official MSC document Safelane can read; nothing was changed."""


@dataclass(frozen=True)
class Row:
    ident: str
    must_should: str  # "must", "should" or "" when the cell says neither
    criteria: str
    guidance: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.ident,
            "must_should": self.must_should,
            "criteria": self.criteria,
            "guidance": self.guidance,
        }


@dataclass
class MscDocument:
    entity: EntityType
    entity_name: str
    heading: str
    date: str
    pages: int
    rows: list[Row] = field(default_factory=list)


def _words(text: str | None) -> str:
    """A cell's text on one line; a word that wraps after its hyphen ("high-\nsecurity") is
    joined again."""
    return " ".join(re.sub(r"-\n(?=\w)", "-", text or "").split())


def _header(cells: list[str | None]) -> bool:
    names = [_words(c).lower().replace(" / ", "/").replace(" /", "/") for c in cells]
    return tuple(names[:4]) == COLUMNS


def _designation(text: str) -> str:
    value = _words(text).lower()
    return value if value in {"must", "should"} else ""


def _open(content: bytes) -> pdfplumber.PDF:
    if len(content) > MAX_BYTES:
        raise DocumentRefusedError(
            _("The file is larger than %(mb)s MB; an MSC document is far smaller.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if not content.lstrip()[:5] == b"%PDF-":
        raise DocumentRefusedError(
            _("This file is not a PDF. Upload the MSC document as CBP publishes it (a PDF).")
        )
    try:
        return pdfplumber.open(io.BytesIO(content))
    except (PDFSyntaxError, ValueError, TypeError, KeyError, AttributeError):
        raise DocumentRefusedError(
            _("This PDF cannot be read: it is damaged or encrypted.")
        ) from None
    except Exception as exc:  # pdfminer raises many kinds on hostile files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise DocumentRefusedError(
                _("This PDF cannot be read: it is damaged or encrypted.")
            ) from None
        raise


def read(content: bytes) -> MscDocument:
    """The entity type, heading and criteria rows of an official MSC document, or
    DocumentRefusedError saying why the file is not one."""
    started = time.monotonic()
    pdf = _open(content)
    with pdf:
        try:
            pages = pdf.pages
        except Exception:
            raise DocumentRefusedError(
                _("This PDF cannot be read: it is damaged or encrypted.")
            ) from None
        if len(pages) > MAX_PAGES:
            raise DocumentRefusedError(
                _("The PDF has %(n)s pages; an MSC document has fewer than %(max)s.")
                % {"n": len(pages), "max": MAX_PAGES}
            )
        texts: list[str] = []
        tables: list[list[list[str | None]]] = []
        for page in pages:
            if time.monotonic() - started > MAX_SECONDS:
                raise DocumentRefusedError(_("Reading the PDF took too long; nothing was changed."))
            try:
                texts.append(page.extract_text() or "")
                tables.extend(_tables(page))
            except Exception:
                raise DocumentRefusedError(
                    _("Page %(n)s of this PDF cannot be read.") % {"n": page.page_number}
                ) from None
        count = len(pages)
    return _parse(texts, tables, count)


def _tables(page: pdfplumber.page.Page) -> list[list[list[str | None]]]:
    """The page's ruled tables. A row that a page break cuts has no bottom rule on this page;
    the column rules end where the cut is, so a rule is drawn there to keep that row."""
    columns = [edge["bottom"] for edge in page.edges if edge["orientation"] == "v"]
    settings = {"explicit_horizontal_lines": [max(columns)]} if columns else {}
    return list(page.extract_tables(settings))


def _parse(texts: list[str], tables: list[list[list[str | None]]], pages: int) -> MscDocument:
    if not any(text.strip() for text in texts):
        raise DocumentRefusedError(
            _(
                "This PDF has no text to read: it looks scanned. Download the MSC document "
                "from the CTPAT Portal's public library and upload that file instead."
            )
        )
    headings = [match for text in texts for match in HEADING.finditer(text)]
    if not headings:
        raise DocumentRefusedError(
            _(
                "This is not a CTPAT Minimum Security Criteria document: its pages are not "
                "headed 'CTPAT Minimum Security Criteria - <entity type> | <date>'."
            )
        )
    names = {_words(m.group("entity")) for m in headings}
    if len(names) > 1:
        raise DocumentRefusedError(
            _("The pages name different entity types (%(names)s); upload one document at a time.")
            % {"names": ", ".join(sorted(names))}
        )
    name = names.pop()
    entity = by_document_name(name)
    if entity is None:
        raise DocumentRefusedError(
            _("The document is for '%(name)s', which is not a CTPAT entity type Safelane knows.")
            % {"name": name}
        )
    if f"{NOTE}{name}".lower() not in _words("\n".join(texts)).lower():
        raise DocumentRefusedError(
            _(
                "The document does not say that 'ID numbers not listed are not applicable to "
                "%(name)s', so Safelane cannot tell which criteria do not apply."
            )
            % {"name": name}
        )
    document = MscDocument(
        entity=entity,
        entity_name=name,
        heading=_words(headings[0].group(0)),
        date=_words(headings[0].group("date")),
        pages=pages,
        rows=_rows(tables),
    )
    if not document.rows:
        raise DocumentRefusedError(
            _(
                "No criteria table was found: the document has no table with the columns "
                "ID, Criteria, Implementation Guidance and Must / Should."
            )
        )
    return document


def _rows(tables: list[list[list[str | None]]]) -> list[Row]:
    """The criteria of every table headed ID / Criteria / Implementation Guidance / Must-Should,
    with rows that a page break cut joined again."""
    parts: list[list[str]] = []
    for table in tables:
        if not table or not _header(table[0]):
            continue
        for cells in table[1:]:
            values = [_words(c) for c in (*cells, "", "", "", "")[:4]]
            ident, criteria, guidance, designation = values
            if IDENT.match(ident):
                parts.append([ident, criteria, guidance, designation])
            elif not ident and parts and (criteria or guidance or designation):
                last = parts[-1]
                last[1] = f"{last[1]} {criteria}".strip()
                last[2] = f"{last[2]} {guidance}".strip()
                last[3] = last[3] or designation
            # Any other row is a category heading ("1. Security Vision & Responsibility").
    seen: set[str] = set()
    rows = []
    for ident, criteria, guidance, designation in parts:
        if ident in seen:
            raise DocumentRefusedError(
                _("Criterion %(id)s is listed twice; this is not a document Safelane can read.")
                % {"id": ident}
            )
        seen.add(ident)
        rows.append(Row(ident, _designation(designation), criteria[:MAX_CELL], guidance[:MAX_CELL]))
    return rows
