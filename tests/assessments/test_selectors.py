"""Reads of assessments: scores, gaps and the warnings a validator would give."""

from safelane.assessments import selectors, services
from safelane.assessments.models import Status
from tests.factories import answer, importer_cycle, response


def test_scores_count_musts_and_shoulds_apart(cast):
    cycle = importer_cycle(cast)
    answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "1.1", Status.MET)
    answer(cast, cycle, "4.8", Status.NOT_MET)
    answer(
        cast,
        cycle,
        "9.2",
        Status.NOT_APPLICABLE,
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


def test_boilerplate_is_flagged(cast):
    cycle = importer_cycle(cast)
    starter = services.starter_text(
        org_name=cast.acme.name, ident="1.2", requirement=response(cast, cycle, "1.2").requirement
    )
    answer(cast, cycle, "1.2", Status.MET, narrative=starter)
    answer(cast, cycle, "6.2", Status.MET)
    answer(cast, cycle, "6.5", Status.MET)  # the same text as 6.2
    answer(cast, cycle, "4.8", Status.MET, narrative="We have passwords.")
    answer(cast, cycle, "4.7", Status.MET, narrative="")
    rows = list(selectors.responses(cast.acme, cycle))
    found = {
        r.criterion_ident: " ".join(
            map(str, selectors.warnings(rows, cast.acme.name).get(r.pk, []))
        )
        for r in rows
    }
    assert "Still the starter text" in found["1.2"]
    assert "Same text as 6.5" in found["6.2"]
    assert "Very short" in found["4.8"]
    assert "No narrative" in found["4.7"]
    assert found["1.1"] == ""


def test_the_answer_page_knows_its_neighbours(cast):
    cycle = importer_cycle(cast)
    page = selectors.answer_page(cast.acme, response(cast, cycle, "1.2"))
    before, after = page.neighbours
    assert (before.criterion_ident, after.criterion_ident) == ("1.1", "1.3")
