"""The offline ranker: a passage of a company's own document finds the criterion it evidences,
in either language, and one threshold keeps what evidences nothing off the review screen."""

from functools import cache

import pytest
from bench.mapping import file_criteria

from safelane.mapping import ranking
from safelane.mapping.ranking import CriterionText, Proposal, Ranker, text


@cache
def catalog_ranker() -> Ranker:
    return Ranker(file_criteria())


def idents(found: list[Proposal], n: int = 3) -> list[str]:
    return [p.ident for p in found[:n]]


def test_a_spanish_paragraph_finds_an_english_only_criterion():
    # Only English texts: the Spanish words meet them through the vocabulary's concepts.
    english_only = [
        CriterionText(c.ident, c.category, {"en": c.texts["en"]}) for c in file_criteria()
    ]
    found = Ranker(english_only).rank(
        "El guardia revisa el marchamo: lo jala y lo gira para confirmar que no se abre.",
        lang="es",
    )
    assert found[0].ident == "6.7"


def test_an_english_paragraph_finds_a_spanish_only_criterion():
    criteria = [
        CriterionText("x.1", 9, {"es": ["Las cámaras de videovigilancia cubren los andenes."]}),
        CriterionText("x.2", 11, {"es": ["Se realiza un estudio socioeconómico al aspirante."]}),
    ]
    found = Ranker(criteria).rank("CCTV cameras watch the loading docks around the clock.")
    assert found[0].ident == "x.1"
    found = Ranker(criteria).rank("HR runs a background check on every applicant.", "en")
    assert found[0].ident == "x.2"


def test_accents_are_folded_and_spans_point_into_the_original_text():
    assert text.fold("Cámaras, INSPECCIÓN, niño")[0] == "camaras, inspeccion, nino"
    criteria = [CriterionText("x.1", 9, {"es": ["Revisión de cámaras."]})]
    passage = "La revision de las CAMARAS es diaria."
    found = Ranker(criteria).rank(passage, "es")
    assert found
    assert found[0].ident == "x.1"
    highlighted = [passage[a:b].lower() for a, b in found[0].spans]
    assert "camaras" in " ".join(highlighted)
    accented = "Revisión de cámaras: diaria."
    spans = Ranker(criteria).rank(accented, "es")[0].spans
    assert [accented[a:b] for a, b in spans] == ["Revisión de cámaras"]


@pytest.mark.parametrize(
    ("passage", "lang", "criterion"),
    [
        ("Videovigilancia en todos los accesos, grabando las 24 horas.", "es", "9.13"),
        ("The gatehouse is staffed around the clock and checks every truck.", "en", "9.4"),
        ("Todas las tarimas deben llevar la marca NIMF 15.", "es", "8.1"),
        ("Candidates go through a socioeconomic study and a criminal record check.", "en", "11.1"),
        ("Nunca comparta su contraseña; cámbiela si alguien la conoce.", "es", "4.8"),
        ("Report phishing e-mails to the help desk; never click their links.", "en", "4.2"),
    ],
)
def test_the_vocabulary_bridges_synonyms_and_languages(passage, lang, criterion):
    assert criterion in idents(catalog_ranker().rank(passage, lang))


def test_the_language_is_detected():
    assert text.detect("Los sellos se guardan en un cajón con llave.") == "es"
    assert text.detect("Seals are kept in a locked drawer.") == "en"
    assert catalog_ranker().rank("Los marchamos se guardan bajo llave.")[0].score > 0


def test_one_threshold_separates_distractors_from_evidence():
    ranker = catalog_ranker()
    evidence = ranker.rank("Each seal number is written in the seal log with the trailer number.")
    vacation = ranker.rank("Employees accrue 1.25 days of paid vacation per month of service.")
    assert evidence[0].score >= ranking.THRESHOLD
    assert not vacation or vacation[0].score < ranking.THRESHOLD


def test_scores_are_best_first_between_zero_and_one():
    found = catalog_ranker().rank("Guards check the seal before the truck leaves.", limit=10)
    assert len(found) == 10
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s < 1 for s in scores)


def test_nothing_to_rank_gives_nothing():
    assert catalog_ranker().rank("   ") == []
    assert Ranker([]).rank("Seals are checked.") == []


@pytest.mark.django_db
def test_the_catalog_criteria_come_from_the_current_edition_in_both_languages():
    found = {c.ident: c for c in ranking.catalog_criteria()}
    assert "6.7" in found
    assert found["6.7"].category == 6
    assert set(found["6.7"].texts) == {"en", "es"}


def test_without_a_local_model_there_is_no_second_ranker(settings, tmp_path):
    from safelane.mapping.ranking import embedding

    settings.MAPPING_EMBEDDING_MODEL = ""
    assert embedding.embedding_ranker(file_criteria()) is None
    settings.MAPPING_EMBEDDING_MODEL = str(tmp_path / "absent")
    assert embedding.embedding_ranker(file_criteria()) is None
