"""The catalog's rules, asked of its services directly."""

import pytest

from safelane.catalog import selectors, services
from safelane.core.errors import DomainError


def test_typed_criterion_ids_split_only_on_commas_and_blanks():
    assert selectors.split_criterion_ids("4.8, 4.12\n4.8\t6.2") == ["4.8", "4.12", "6.2"]
    # A vertical tab is no separator: it stays in the ID, for the check to refuse.
    assert selectors.split_criterion_ids("4.7\x0b4.8") == ["4.7\x0b4.8"]


@pytest.mark.parametrize(
    ("idents", "said"),
    [
        (["99.1"], "99.1 is not a criterion of your catalogue"),
        (["4.8", "99.1", "²³"], "99.1, ²³ are not criteria of your catalogue"),
        (["4.7\x0b4.8"], "control character"),
        (["own:NOPE"], "own:NOPE is not a criterion"),
    ],
)
def test_only_criteria_of_the_organisations_catalogue_are_references(cast, idents, said):
    with pytest.raises(DomainError, match=said) as refused:
        services.check_criteria(org=cast.acme, idents=idents)
    assert refused.value.field == "criteria"


def test_references_are_kept_as_records_keep_them(cast):
    services.save_own_criterion(
        org=cast.acme,
        actor=cast.owner,
        values={"code": "ACME-1", "must_should": "must", "requirement": "Badges at docks."},
    )
    checked = services.check_criteria(org=cast.acme, idents=["4.8", "acme-1", "own:ACME-1"])
    assert checked == ["4.8", "own:ACME-1"]
    # Another organisation's own criterion is not one of Acme's.
    with pytest.raises(DomainError):
        services.check_criteria(org=cast.norte, idents=["ACME-1"])


def test_a_criterion_a_record_holds_already_is_kept(cast):
    assert services.check_criteria(org=cast.acme, idents=["3.99"], kept=["3.99"]) == ["3.99"]


def test_only_managers_change_the_organisations_view_of_the_catalog(cast):
    """The page asks for a manager; so does the service, for the API and any script."""
    from safelane.core.errors import NotAllowedError

    for actor in (cast.contributor, cast.viewer):
        with pytest.raises(NotAllowedError):
            services.set_entity_types(org=cast.acme, actor=actor, chosen={"IMP": "us"})
        with pytest.raises(NotAllowedError):
            services.decide(org=cast.acme, actor=actor, ident="1.1", decision="applies")
        with pytest.raises(NotAllowedError):
            services.save_own_criterion(
                org=cast.acme,
                actor=actor,
                values={"code": "X-1", "category": 1, "must_should": "must", "requirement": "Ours"},
            )
    assert services.held_entity_types(org=cast.acme) == {}
    services.set_entity_types(org=cast.acme, actor=cast.manager, chosen={"IMP": "us"})
    assert services.held_entity_types(org=cast.acme) == {"IMP": "us"}
