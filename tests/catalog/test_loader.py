import pytest
import yaml

from safelane.catalog.loader import (
    BUNDLED,
    BUNDLED_SOURCE,
    CatalogFileError,
    canonical,
    compare,
    ensure_bundled_catalog,
    load,
    parse_yaml,
)
from safelane.catalog.models import CatalogVersion, Criterion
from safelane.catalog.selectors import current_version


def bundled():
    return parse_yaml(BUNDLED.read_text(encoding="utf-8"), name=BUNDLED.name)


def test_a_new_database_holds_the_bundled_catalog(db):
    version = current_version()
    assert version.label == "2019-11.2"
    assert version.criteria.count() == 102
    assert version.categories.count() == 12
    assert (
        Criterion.objects.get(version=version, ident="7.37")
        .applicability.filter(applies=True)
        .count()
        == 12
    )


def test_unknowns_stay_unknown(db):
    version = current_version()
    c64 = version.criteria.get(ident="6.4")
    assert c64.must_should == "unknown"
    assert c64.note
    c22 = version.criteria.get(ident="2.2")
    assert c22.must_should_basis == "conflict"


def break_file(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


def test_a_broken_file_is_refused_with_line_and_field():
    text = BUNDLED.read_text(encoding="utf-8")
    broken = break_file(text, "must_should: should\n", "must_should: sometimes\n")
    with pytest.raises(CatalogFileError) as refused:
        parse_yaml(broken, name="msc.yaml")
    problem = refused.value.problems[0]
    line = broken.splitlines().index("  must_should: sometimes") + 1
    assert problem.startswith(f"msc.yaml:{line}: criteria[1.1].must_should:")
    assert "sometimes" in problem


def test_rules_beyond_the_schema_are_checked():
    data = bundled()
    data["criteria"][1]["id"] = "1.1"
    data["criteria"][2]["applies_to"]["XX"] = "official"
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(CatalogFileError) as refused:
        parse_yaml(text, name="msc.yaml")
    messages = "\n".join(refused.value.problems)
    assert "1.1 appears more than once" in messages
    assert "unknown entity type XX" in messages


def test_invalid_yaml_names_the_line():
    with pytest.raises(CatalogFileError, match=r"msc.yaml:2"):
        parse_yaml("format: x\n  bad: [\n", name="msc.yaml")


def test_the_report_lists_added_removed_and_changed_criteria():
    old = bundled()
    new = yaml.safe_load(yaml.safe_dump(old))
    new["criteria"] = [c for c in new["criteria"] if c["id"] != "9.2"]
    new["criteria"][0]["must_should"] = "must"
    new["criteria"].append(dict(new["criteria"][1], id="1.9"))
    diff = compare(canonical(old), canonical(new))
    assert diff.added == ["1.9"]
    assert diff.removed == ["9.2"]
    assert diff.changed == {"1.1": {"must_should": ["should", "must"]}}


def test_loading_an_upgrade_keeps_the_old_version(db):
    data = bundled()
    data["version"] = "2020-03"
    data["criteria"][0]["guidance"] = "New guidance."
    result = load(data, source="test")
    assert result.created
    assert result.version.is_current
    assert result.version.changes["changed"] == {
        "1.1": {"guidance": [bundled()["criteria"][0]["guidance"], "New guidance."]}
    }
    old = CatalogVersion.objects.get(label="2019-11.2")
    assert not old.is_current
    assert old.criteria.count() == 102


def test_loading_the_same_catalog_again_changes_nothing(db):
    result = load(bundled(), source="test", label="again")
    assert not result.created
    assert CatalogVersion.objects.count() == 1


def test_customs_brokers_answer_12_5_and_every_entity_type_answers_7_37_and_11_5(db):
    version = current_version()
    broker = version.criteria.get(ident="12.5")
    assert broker.must_should == "must"
    assert broker.requirement_es
    assert broker.guidance_es
    assert broker.evidence_es
    assert {(a.entity_type, a.applies) for a in broker.applicability.filter(applies=True)} == {
        ("CB", True)
    }
    assert broker.applicability.filter(applies=False).count() == 11
    for ident in ("7.37", "11.5"):
        criterion = version.criteria.get(ident=ident)
        rules = criterion.applicability.all()
        assert {(a.applies, a.basis) for a in rules} == {(True, "cbp-notice")}
        assert rules.count() == 12
        assert "CSMS #41052241" in criterion.note


def test_a_database_on_the_earlier_bundled_edition_moves_to_the_new_one(db):
    earlier = bundled()
    earlier["version"] = "2019-11"
    earlier["criteria"] = [c for c in earlier["criteria"] if c["id"] != "12.5"]
    for criterion in earlier["criteria"]:
        if criterion["id"] in {"7.37", "11.5"}:
            criterion["note"] = "Added by CBP for the entire membership in November 2019."
    CatalogVersion.objects.all().delete()
    load(earlier, source=BUNDLED_SOURCE)
    ensure_bundled_catalog()
    version = current_version()
    assert version.label == "2019-11.2"
    assert version.previous.label == "2019-11"
    assert version.changes["added"] == ["12.5"]
    assert set(version.changes["changed"]) == {"7.37", "11.5"}
    ensure_bundled_catalog()
    assert CatalogVersion.objects.count() == 2


def test_an_edition_loaded_here_is_not_replaced_by_the_bundled_one(db):
    data = bundled()
    data["version"] = "2019-11"
    CatalogVersion.objects.all().delete()
    load(data, source="import of corrections.csv")
    ensure_bundled_catalog()
    assert current_version().label == "2019-11"
