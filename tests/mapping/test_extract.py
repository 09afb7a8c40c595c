"""Text out of the documents a company already has, cut into passages under their headings."""

import pytest

from safelane.core.errors import DomainError
from safelane.mapping import extract, sections
from tests.mapping import documents


def test_a_pdf_gives_its_paragraphs_and_steps_with_their_page_and_heading():
    found = extract.read(documents.text_pdf(), "manual.pdf")
    assert found.pages == 1
    assert found.pages_without_text == ()
    cut = sections.passages(found.blocks)
    seal = next(p for p in cut if "locked cabinet" in p.text)
    assert seal.heading.endswith("4. Seal control")
    assert seal.page == 1
    assert seal.text.startswith("The shipping supervisor keeps high-security bolt seals")
    assert seal.text.endswith("written in the seal log.")  # the wrapped lines are one passage
    # Each step of the list is a passage of its own (a PDF's list numbers may be drawn apart).
    steps = [p.text for p in cut if p.text.lstrip("12. ").startswith(("Verify", "Pull"))]
    assert steps == [
        "Verify the seal number against the bill of lading before the trailer leaves.",
        "Pull, twist and turn the seal to check that it is locked.",
    ]
    assert all(any(c.isalpha() for c in p.text) for p in cut)
    drill = next(p for p in cut if "evacuation" in p.text)
    assert drill.heading.endswith("9. Fire drills")


def test_a_scanned_pdf_is_refused_with_what_to_do():
    with pytest.raises(DomainError) as refused:
        extract.read(documents.scanned_pdf(), "scan.pdf")
    assert "OCR" in str(refused.value.message)


def test_a_word_file_keeps_its_heading_styles_and_tables():
    content = documents.word(
        [
            ("Heading 1", "Personnel security"),
            ("Normal", "Every new hire is checked against references and past employers."),
            ("Heading 2", "Leaving the company"),
            ("List Number", "The badge is collected and system access removed on the last day."),
        ]
    )
    cut = sections.passages(extract.read(content, "hr.docx").blocks)
    assert [(p.heading, p.text[:14]) for p in cut] == [
        ("Personnel security", "Every new hire"),
        (f"Personnel security{sections.SEPARATOR}Leaving the company", "The badge is c"),
    ]


def test_an_excel_form_is_read_row_by_row_under_its_sheet_name():
    content = documents.workbook(
        [
            ["Point", "What to look at"],
            ["Front wall", "Blocks and vents are original, no bolts added"],
        ]
    )
    cut = sections.passages(extract.read(content, "form.xlsx").blocks)
    assert cut[-1].heading == "Inspection form"
    # The header row is short: it is read with the first row, as a person reads the form.
    assert cut[-1].text == (
        "Point · What to look at Front wall · Blocks and vents are original, no bolts added"
    )


def test_plain_text_in_windows_encoding_and_control_characters():
    content = "Política de sellos\n\nEl guardia revisa el sello\x07 de cada caja seca.".encode(
        "cp1252"
    )
    cut = sections.passages(extract.read(content, "sellos.txt").blocks)
    assert cut[0].text == "El guardia revisa el sello de cada caja seca."


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"GIF89a", "photo.gif", "Safelane reads PDF"),
        (b"not a pdf at all", "broken.pdf", "could not be read"),
        (b"PK\x03\x04 broken", "broken.xlsx", "not an Excel workbook"),
        (b"   \n\n ", "empty.txt", "holds no text"),
    ],
)
def test_files_that_cannot_be_mapped_say_why(content, name, says):
    with pytest.raises(DomainError) as refused:
        extract.read(content, name)
    assert says in str(refused.value.message)


def test_a_long_passage_is_cut_at_sentence_ends():
    sentence = "The guard checks every trailer that enters the yard and writes it down. "
    cut = sections.passages([extract.Block(sentence * 40)])
    assert len(cut) > 1
    assert all(len(p.text) <= sections.LONG for p in cut)
    assert all(p.text.endswith("down.") for p in cut)
