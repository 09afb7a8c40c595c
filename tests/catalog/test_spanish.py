"""The criteria in Spanish: Safelane's translation, shown to Spanish readers, kept honest."""

import importlib

import django.apps
from django.urls import reverse

from safelane.assessments import services as assessments
from safelane.catalog import exports, services
from safelane.catalog.imports import read_table, to_document
from safelane.catalog.loader import load
from safelane.catalog.models import Criterion
from safelane.catalog.selectors import current_version
from tests.catalog.test_exports import edit_csv

ENGLISH_1_1 = "Senior management states in writing"
SPANISH_1_1 = "La alta dirección declara por escrito"


def in_spanish(client):
    client.post(reverse("set_language"), {"language": "es"})
    return client


def test_every_bundled_criterion_has_its_spanish(db):
    version_criteria = Criterion.objects.filter(version=current_version())
    missing = [c.ident for c in version_criteria if not (c.requirement_es and c.guidance_es)]
    assert missing == []
    uneven = [c.ident for c in version_criteria if len(c.evidence_es) != len(c.evidence)]
    assert uneven == []


def test_a_spanish_reader_reads_and_searches_the_criteria_in_spanish(cast, as_user):
    url = reverse("catalog:criterion", args=[cast.acme.slug, "1.1"])
    english = as_user(cast.viewer).get(url).content.decode()
    assert ENGLISH_1_1 in english
    assert SPANISH_1_1 not in english
    client = in_spanish(as_user(cast.viewer))
    spanish = client.get(url).content.decode()
    assert SPANISH_1_1 in spanish
    assert "Declaración de apoyo firmada" in spanish  # the evidence examples too
    found = client.get(
        reverse("catalog:list", args=[cast.acme.slug]), {"scope": "all", "q": "ingeniería social"}
    )
    idents = [c.ident for c, _f in found.context["page"].paginator.object_list]
    assert "4.2" in idents


def test_answering_shows_the_criterion_its_guidance_and_evidence_in_the_readers_language(
    cast, as_user
):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Y1")
    response = cycle.responses.get(criterion_ident="1.1")
    client = in_spanish(as_user(cast.contributor))
    cycle_page = client.get(reverse("assessments:cycle", args=[cast.acme.slug, cycle.pk]))
    assert SPANISH_1_1 in cycle_page.content.decode()
    page = client.get(reverse("assessments:response", args=[cast.acme.slug, response.pk]))
    html = page.content.decode()
    assert SPANISH_1_1 in html
    assert "Fotos de dónde está colocada" in html
    # The security profile filed with CBP stays in English.
    response.refresh_from_db()
    assert response.requirement.startswith(ENGLISH_1_1)


def test_a_corrected_english_text_drops_its_outdated_spanish(db):
    def correct(rows):
        rows[1][1] = "Senior management signs and posts a statement of support."  # 1.1

    version = current_version()
    content = edit_csv(exports.as_csv(version), correct)
    load(to_document(read_table(content, "c.csv"), version), source="test", label="corrected")
    corrected = Criterion.objects.get(version=current_version(), ident="1.1")
    assert corrected.requirement_es == ""
    assert corrected.guidance_es.startswith("Una declaración breve")  # guidance unchanged
    untouched = Criterion.objects.get(version=current_version(), ident="1.2")
    assert untouched.requirement_es.startswith("Un equipo formado")


def test_criteria_loaded_before_the_translation_receive_it(db):
    migration = importlib.import_module("safelane.catalog.migrations.0002_spanish_texts")
    Criterion.objects.update(requirement_es="", guidance_es="", evidence_es=[])
    Criterion.objects.filter(ident="1.2").update(requirement="A text someone corrected.")
    migration.add_spanish(django.apps.apps, None)
    assert Criterion.objects.get(ident="1.1").requirement_es.startswith(SPANISH_1_1)
    assert Criterion.objects.get(ident="1.2").requirement_es == ""  # its English changed


def test_the_gap_list_reads_in_spanish_too(cast, as_user):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Y1")
    client = in_spanish(as_user(cast.viewer))
    gaps = client.get(reverse("assessments:gaps", args=[cast.acme.slug, cycle.pk]))
    assert "Un equipo formado por los departamentos" in gaps.content.decode()
