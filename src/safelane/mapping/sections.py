"""A document's blocks as passages to map: each a paragraph or a numbered step, under the
heading it sits in (kept as context: "4. Seal control" tells what "Record the number" is
about). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from safelane.mapping.extract import Block, looks_like_heading

SEPARATOR = " \u203a "  # between a heading and its sub-heading
SHORT = 40  # characters: a label ("Purpose:") is read with what follows it
LONG = 1500  # characters: a longer passage is cut at sentence ends
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÁÉÍÓÚÑ¿¡0-9(])")


@dataclass(frozen=True)
class Passage:
    position: int
    text: str
    heading: str = ""
    page: int | None = None

    @property
    def context(self) -> str:
        """What the ranker reads: the heading, then the passage."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


def passages(blocks: Iterable[Block]) -> list[Passage]:
    found: list[Passage] = []
    headings: dict[int, str] = {}
    pending = ""  # a short label carried into the next passage
    pending_page: int | None = None

    def heading() -> str:
        return SEPARATOR.join(headings[k] for k in sorted(headings))[:300]

    for block in blocks:
        if sum(c.isalpha() for c in block.text) < 3:
            continue  # a page number, a list marker on its own, a rule of dashes
        level = block.heading_level or (1 if looks_like_heading(block.text) else 0)
        if level > 0 and len(block.text) <= 200:
            if pending and not pending.endswith(":"):  # a short line of its own, kept
                found.append(Passage(len(found) + 1, pending, heading(), pending_page))
            pending = ""
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = block.text
            continue
        text = f"{pending} {block.text}".strip() if pending else block.text
        page = pending_page if pending else block.page
        if len(text) < SHORT:
            pending, pending_page = text, page
            continue
        pending = ""
        for piece in _cut(text):
            found.append(Passage(len(found) + 1, piece, heading(), page))
    if pending:
        found.append(Passage(len(found) + 1, pending, heading(), pending_page))
    return found


def _cut(text: str) -> list[str]:
    if len(text) <= LONG:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > LONG // 2:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    # One sentence longer than LONG: cut at a space.
    out: list[str] = []
    for piece in pieces:
        while len(piece) > LONG:
            at = piece.rfind(" ", 0, LONG)
            at = at if at > 0 else LONG
            out.append(piece[:at])
            piece = piece[at:].strip()
        out.append(piece)
    return out
