"""The weekly training digest: owners and managers hear who is overdue or due soon, by course."""

from django.core import mail
from django.core.management import call_command

from tests.training.conftest import courses, person, session


def test_the_digest_names_who_is_overdue_for_seals(cast, committed):
    found = courses(cast)
    driver = person(cast, "E1", name="Ana García", role="Driver", site="Laredo yard")
    person(cast, "E2", name="Luis Office", role="Office", site="Chicago")
    session(cast, [found["seals"]], [driver], days_ago=400)
    with committed():
        call_command("send_training_digests")
    message = mail.outbox[-1]
    assert set(message.to) == {"olivia@acme.test", "manuel@acme.test", "consuelo@consult.test"}
    assert "overdue" in message.subject
    body = message.body
    seals = body.split("High-security seals and the VVTT check")[1].split("\n\n")[0]
    assert "Ana García (E1, Laredo yard): Overdue" in seals
    assert "Luis Office" not in seals  # seals are not required of the office
    assert "state=late" in body


def test_no_digest_when_nobody_is_late(cast, committed):
    courses(cast)
    with committed():
        call_command("send_training_digests")
    assert mail.outbox == []


def test_the_dashboard_tile_shows_coverage_and_what_is_overdue(cast, as_user):
    from django.urls import reverse

    dashboard = reverse("orgs:dashboard", args=[cast.acme.slug])
    page = as_user(cast.manager).get(dashboard).content.decode()
    assert "No one to train yet" in page
    found = courses(cast)
    driver = person(cast, "E1", name="Ana García", role="Driver", site="Laredo yard")
    session(cast, [found["seals"]], [driver], days_ago=400)
    page = as_user(cast.manager).get(dashboard).content.decode()
    assert "0% trained" in page  # her seal training ran out, and nothing else is done
    assert "overdue: the matrix lists who and which course." in page
    assert "Open the training matrix" in page
