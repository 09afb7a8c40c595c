"""Reads of assessments: scores, gaps and the warnings a validator would give."""

import pytest
from django.utils import translation

from safelane.assessments import selectors, services
from safelane.assessments.models import Status
from safelane.core.errors import DomainError
from tests.factories import NARRATIVE, answer, importer_cycle, response


def test_scores_count_musts_and_shoulds_apart(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "1.1", Status.MET, narrative=OTHER_NARRATIVE)
    answer(cast, cycle, "4.8", Status.NOT_MET, narrative="Shared warehouse login; MFA planned.")
    answer(
        cast,
        cycle,
        "9.2",
        Status.NOT_APPLICABLE,
        narrative="",
        justification="No yard: offices in a shared tower.",
    )
    rows = list(selectors.responses(cast.acme, cycle))
    score = selectors.scores(rows, selectors.category_names(cycle))
    assert (score.overall.must_met, score.overall.must_total) == (1, 61)
    assert (score.overall.should_met, score.overall.should_total) == (1, 32)
    seals = next(t for t in score.categories if t.number == 6)
    assert seals.must_met == 1
    gaps = selectors.gaps(rows)
    assert gaps[0].must_should == "must"
    assert "9.2" not in [g.criterion_ident for g in gaps]


OTHER_NARRATIVE = (
    "The security manager reviews this written policy every January with the plant managers of "
    "Joliet and Laredo and files the signed review in the compliance share."
)


def test_boilerplate_cannot_be_met_and_says_why(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "4.1", Status.MET)
    starter = services.starter_text(
        org_name=cast.acme.name, ident="1.2", requirement=response(cast, cycle, "1.2").requirement
    )
    with translation.override("es"):
        spanish = services.starter_text(org_name=cast.acme.name, ident="1.2", requirement="x")
    refused = {
        "Still the starter text": [starter, spanish + " Y algo más."],
        "Very short": ["Yes.", "  Yes.  "],
        "Same text as 4.1": [NARRATIVE, "  " + NARRATIVE.upper().replace(" ", "\n ")],
        "No narrative": ["", "   "],
    }
    for why, texts in refused.items():
        for text in texts:
            with pytest.raises(DomainError, match=why) as error:
                answer(cast, cycle, "4.7", Status.MET, narrative=text)
            assert error.value.field == "narrative"
    assert response(cast, cycle, "4.7").status == Status.NOT_STARTED
    # The same words as a partial answer are kept, and flagged.
    answer(cast, cycle, "4.7", Status.PARTIAL, narrative="Yes.")
    rows = list(selectors.responses(cast.acme, cycle))
    found = {
        r.criterion_ident: " ".join(map(str, w))
        for r in rows
        for w in [selectors.warnings(rows).get(r.pk, [])]
    }
    assert "Very short" in found["4.7"]
    assert found["4.1"] == ""


def test_a_met_answer_copied_elsewhere_stops_counting_as_met(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "6.5", Status.PARTIAL)  # the same text, pasted
    rows = list(selectors.responses(cast.acme, cycle))
    found = selectors.warnings(rows)
    six_two = next(r for r in rows if r.criterion_ident == "6.2")
    assert "Same text as 6.5" in str(found[six_two.pk][0])
    score = selectors.scores(rows, selectors.category_names(cycle))
    assert score.overall.counts[Status.MET] == 0
    assert "6.2" in [g.criterion_ident for g in selectors.gaps(rows)]
    tile = selectors.dashboard_tile(cast.acme, cast.owner)
    assert "Musts met 0/" in str(tile.figure)


def test_the_answer_page_knows_its_neighbours(cast):
    cycle = importer_cycle(cast)
    page = selectors.answer_page(cast.acme, response(cast, cycle, "1.2"))
    before, after = page.neighbours
    assert (before.criterion_ident, after.criterion_ident) == ("1.1", "1.3")


def test_a_fresh_assessment_says_nothing_is_answered_not_that_everything_is_a_gap(cast):
    importer_cycle(cast)
    tile = selectors.dashboard_tile(cast.acme, cast.owner)
    assert str(tile.detail) == "94 criteria, none answered yet"
