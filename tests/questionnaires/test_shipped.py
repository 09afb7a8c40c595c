"""The templates Safelane ships: written from the catalog, in English and Spanish, one for
every kind of partner, and loaded into an organisation as its own copy."""

from pathlib import Path

import pytest
import yaml

from safelane.partners.models import PartnerType
from safelane.questionnaires import shipped
from safelane.questionnaires.shipped import ShippedTemplateError, parse

CATALOG = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "safelane"
    / "catalog"
    / "data"
    / "msc-2019-11.yaml"
)
CRITERIA = {c["id"] for c in yaml.safe_load(CATALOG.read_text())["criteria"]}


def test_every_question_checks_criteria_the_catalog_holds():
    for template in shipped.templates():
        for question in template.all_questions():
            assert question.criteria, f"{template.key}:{question.key}"
            unknown = set(question.criteria) - CRITERIA
            assert not unknown, f"{template.key}:{question.key} names {unknown}"


def test_every_text_is_written_in_english_and_spanish():
    for template in shipped.templates():
        assert template.name_es
        assert template.intro_es
        for q in template.all_questions():
            assert q.text_es, f"{template.key}:{q.key}"
            assert q.text_es != q.text, f"{template.key}:{q.key}"
            assert bool(q.guidance) == bool(q.guidance_es), f"{template.key}:{q.key}"
            assert all(c.label_es for c in q.choices), f"{template.key}:{q.key}"


def test_every_kind_of_partner_has_a_template_and_only_one():
    meant = [code for t in shipped.templates() for code in t.partner_types]
    assert sorted(meant) == sorted(PartnerType.values)


def test_carriers_are_asked_about_conveyance_inspections_and_seals():
    for key in ("highway-carrier", "carrier"):
        asked = {c for q in shipped.template(key).all_questions() for c in q.criteria}
        assert {"5.2", "5.3", "6.1", "6.2"} <= asked, key
    highway = {c for q in shipped.template("highway-carrier").all_questions() for c in q.criteria}
    assert {"3.8", "5.15", "5.16", "5.24", "6.3", "6.7"} <= highway


def test_suppliers_are_asked_about_business_partners_and_categories_5_to_12():
    asked = {c for q in shipped.template("supplier").all_questions() for c in q.criteria}
    categories = {int(c.split(".")[0]) for c in asked}
    assert {3, 5, 6, 7, 8, 9, 10, 11, 12} <= categories
    assert 4 not in categories


def test_each_yes_or_no_must_question_says_which_answer_scores():
    for template in shipped.templates():
        for q in template.all_questions():
            if q.kind == "yes_no" and q.weight:
                assert q.expected == "yes", f"{template.key}:{q.key}"
            if q.kind == "choice":
                assert all(c.score is not None for c in q.choices), f"{template.key}:{q.key}"


def test_a_follow_up_shows_on_an_answer_its_question_has():
    follow_ups = [(q, f) for t in shipped.templates() for q in t.questions for f in q.follow_ups]
    assert follow_ups
    for question, follow_up in follow_ups:
        answers = {"yes", "no"} if question.kind == "yes_no" else {c.key for c in question.choices}
        assert follow_up.when in answers


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "Bad Key"}, "key must be"),
        ({"questions": []}, "questions must be a list"),
        ({"medium_from": 95}, "medium_from is above low_from"),
    ],
)
def test_a_malformed_template_is_refused_naming_what_is_wrong(change, message):
    good = yaml.safe_load((shipped.DATA / "supplier.yaml").read_text())
    with pytest.raises(ShippedTemplateError, match=message):
        parse({**good, **change}, "supplier.yaml")


def test_a_malformed_question_is_refused_naming_the_question():
    good = yaml.safe_load((shipped.DATA / "supplier.yaml").read_text())
    question = {**good["questions"][1], "expected": True}  # YAML's unquoted yes
    with pytest.raises(ShippedTemplateError, match=r"question 2 \(ctpat-status\): expected"):
        parse({**good, "questions": [good["questions"][0], question]}, "supplier.yaml")
    follow_up = {
        **good["questions"][1],
        "follow_ups": [{**good["questions"][1]["follow_ups"][0], "when": "maybe"}],
    }
    with pytest.raises(ShippedTemplateError, match="when must be an answer"):
        parse({**good, "questions": [follow_up]}, "supplier.yaml")
