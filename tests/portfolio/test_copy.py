"""A consultant brings own criteria, questionnaire templates and courses from one client to
another: copied as the other client's own, what it has already left alone, all or nothing, and
only into a client the consultant manages."""

from __future__ import annotations

from django.urls import reverse

from safelane.catalog import services as catalog_services
from safelane.catalog.models import OwnCriterion
from safelane.core.models import AuditEntry
from safelane.questionnaires import services as questionnaire_services
from safelane.questionnaires.models import Question, QuestionnaireTemplate
from safelane.training import services as training_services
from safelane.training.models import Course

URL = reverse("portfolio:copy")


def norte_templates(cast):
    """Consuelo's work for Norte: an own criterion, the shipped questionnaires, a course that
    names the own criterion."""
    norte, consuelo = cast.norte, cast.consultant
    catalog_services.save_own_criterion(
        org=norte,
        actor=consuelo,
        values={
            "code": "SEC-01",
            "category": 6,
            "must_should": "must",
            "requirement": "Seals are counted every shift.",
            "guidance": "",
        },
    )
    questionnaire_services.load_shipped_templates(org=norte, actor=consuelo)
    training_services.create_course(
        org=norte,
        actor=consuelo,
        values={
            "key": "shift-seal-count",
            "title": "Counting seals at every shift",
            "topic": "seals",
            "criteria": ["own:SEC-01", "6.2"],
        },
    )


def test_a_consultant_brings_a_clients_templates_to_another_once(cast, as_user):
    norte_templates(cast)
    client = as_user(cast.consultant)
    assert "Acme Imports" in client.get(URL).content.decode()
    done = client.post(
        URL,
        {
            "source": "norte",
            "target": cast.acme.slug,
            "kinds": ["own-criteria", "questionnaires", "courses"],
        },
        follow=True,
    )
    assert done.status_code == 200
    text = done.content.decode()
    assert "Own criteria: 1 brought, 0 already there" in text
    own = OwnCriterion.objects.for_org(cast.acme).get()
    assert (own.code, own.requirement) == ("SEC-01", "Seals are counted every shift.")
    course = Course.objects.for_org(cast.acme).get(key="shift-seal-count")
    assert course.criteria == ["own:SEC-01", "6.2"]
    norte_count = QuestionnaireTemplate.objects.for_org(cast.norte).count()
    assert QuestionnaireTemplate.objects.for_org(cast.acme).count() == norte_count > 0
    assert (
        Question.objects.for_org(cast.acme).count() == Question.objects.for_org(cast.norte).count()
    )
    assert AuditEntry.objects.for_org(cast.acme).filter(actor=cast.consultant).count() >= 3

    again = client.post(
        URL,
        {"source": "norte", "target": cast.acme.slug, "kinds": ["own-criteria", "courses"]},
        follow=True,
    ).content.decode()
    assert "Own criteria: 0 brought, 1 already there" in again
    assert "Training courses: 0 brought, 1 already there" in again
    assert OwnCriterion.objects.for_org(cast.acme).count() == 1


def test_only_a_client_one_manages_can_receive_and_never_the_same_one(cast, as_user):
    norte_templates(cast)
    carla = as_user(cast.contributor)  # a contributor of Acme, no member of Norte
    refused = carla.post(URL, {"source": "norte", "target": cast.acme.slug, "kinds": ["courses"]})
    assert refused.status_code == 400
    same = as_user(cast.consultant).post(
        URL, {"source": "norte", "target": "norte", "kinds": ["courses"]}
    )
    assert same.status_code == 400
    assert "Choose two different organisations." in same.content.decode()
    assert not Course.objects.for_org(cast.acme).exists()
    empty = carla.get(URL).content.decode()
    assert "You manage no client yet." in empty
