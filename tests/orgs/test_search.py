"""The organisation's search: one box over criteria, answers, evidence, actions, risk points and
partners, inside the organisation, with a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from safelane.actions import services as action_services
from safelane.assessments import services as assessment_services
from safelane.catalog import services as catalog_services
from safelane.orgs import search
from safelane.partners import services as partner_services
from safelane.risk import services as risk_services


def url(org):
    return reverse("orgs:search", args=[org.slug])


def partner(org, actor, name, other_names=""):
    return partner_services.create_partner(
        org=org,
        actor=actor,
        values={"name": name, "kind": "supplier", "countries": ["MX"]},
        other_names=other_names,
    )


def titles(found):
    return {str(group.label): [r.title for r in group.results] for group in found}


def test_a_partner_is_found_by_an_other_name_and_another_organisations_never(cast, as_user):
    partner(cast.acme, cast.owner, "Maquiladora del Norte S.A. de C.V.", other_names="Norteña")
    partner(cast.norte, cast.outsider, "Norteña Secreta S.A.")
    page = as_user(cast.viewer).get(url(cast.acme), {"q": "norteña"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Maquiladora del Norte S.A. de C.V." in html
    assert "Norteña Secreta" not in html  # Norte's partner, however well it matches


def test_criteria_are_found_by_id_and_by_words_in_either_language(cast):
    by_id = titles(search.search(cast.acme, "7.2"))["Security criteria"]
    assert by_id
    assert all(t.startswith("7.2") for t in by_id)
    with translation.override("es"):
        spanish = titles(search.search(cast.acme, "sello"))["Criterios de seguridad"]
    english = titles(search.search(cast.acme, "sello"))["Security criteria"]
    # a Spanish word finds the criteria for an English reader too, each shown in its language
    assert spanish
    assert [t.split(" · ")[0] for t in english] == [t.split(" · ")[0] for t in spanish]
    assert "sello" in spanish[0].lower()
    assert "seal" in english[0].lower()


def test_every_kind_of_record_answers_and_a_long_list_links_to_all(cast):
    catalog_services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessment_services.start_cycle(
        org=cast.acme, actor=cast.owner, kind="initial", title="Initial 2026"
    )
    for n in range(7):
        action_services.create_action(
            org=cast.acme,
            actor=cast.owner,
            notify=False,
            values={"title": f"Replace the perimeter fence, part {n}", "kind": "physical"},
        )
    assessment = risk_services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026
    )
    risk_services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=assessment,
        values={"name": "Fence line yard", "kind": "warehouse", "country": "US"},
    )
    found = {str(g.label): g for g in search.search(cast.acme, "fence")}
    actions = found["Actions"]
    assert len(actions.results) == search.SHOWN
    assert actions.more_url == reverse("actions:list", args=[cast.acme.slug]) + "?q=fence"
    assert found["Risk assessment points"].results[0].title == "Fence line yard · Risk 2026"
    answers = found.get("Answers")
    assert answers is not None
    assert cycle.title in answers.results[0].title


def test_short_hostile_and_empty_texts_are_answered_calmly(cast, as_user):
    client = as_user(cast.contributor)
    assert "at least two characters" in client.get(url(cast.acme), {"q": "a"}).content.decode()
    assert search.clean("\x00fen\x0bce\u202e  yard") == "fen ce yard"
    nothing = client.get(url(cast.acme), {"q": '=HYPERLINK("x")'})
    assert nothing.status_code == 200
    assert "Nothing matches" in nothing.content.decode()
    assert client.get(url(cast.acme), {"q": "x" * 5000}).status_code == 200


def test_as_you_type_the_results_come_alone(cast, as_user):
    partner(cast.acme, cast.owner, "Transportes del Bajío")
    page = as_user(cast.manager).get(url(cast.acme), {"q": "bajío"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="search-results"')
    assert "Transportes del Bajío" in html
    assert "<html" not in html


def test_the_search_makes_as_many_queries_with_many_matches_as_with_two(cast, as_user):
    client = as_user(cast.viewer)
    for n in range(2):
        partner(cast.acme, cast.owner, f"Harbour Logistics {n}")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(cast.acme), {"q": "harbour"}).status_code == 200
        return len(captured)

    count()  # the first request of a session reads what later ones find cached
    few = count()
    for n in range(2, 50):
        partner(cast.acme, cast.owner, f"Harbour Logistics {n}")
    assert count() == few
