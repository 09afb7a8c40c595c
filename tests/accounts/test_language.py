"""Each person's language: kept on their profile, used for their pages and their e-mails."""

from django.core import mail
from django.urls import reverse

from safelane.actions import services as action_services


def test_a_person_chooses_a_language_on_their_profile_and_every_page_follows(cast, as_user):
    client = as_user(cast.contributor)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="language"' in page
    saved = client.post(
        reverse("accounts:profile"), {"full_name": "Carla Contributor", "language": "es"}
    )
    assert saved.status_code == 302
    cast.contributor.refresh_from_db()
    assert cast.contributor.language == "es"
    # Another device: no cookie, a browser asking for English; the profile wins.
    other = as_user(cast.contributor)
    html = other.get(reverse("home"), follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="es"' in html


def test_the_footer_switch_of_a_signed_in_person_is_kept_on_their_profile(cast, as_user):
    client = as_user(cast.viewer)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    cast.viewer.refresh_from_db()
    assert cast.viewer.language == "es"


def test_a_visitor_switches_language_with_the_cookie_only(client, db):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"


def test_each_person_gets_their_e_mails_in_their_own_language(cast, committed):
    cast.manager.language = "es"
    cast.manager.save(update_fields=["language"])
    mail.outbox.clear()
    with committed():
        action_services.create_action(
            org=cast.acme,
            actor=cast.owner,
            values={"title": "Fit dock seals", "owner": cast.manager},
        )
        action_services.create_action(
            org=cast.acme,
            actor=cast.owner,
            values={"title": "Lock the yard", "owner": cast.contributor},
        )
    by_person = {m.to[0]: m for m in mail.outbox}
    spanish = by_person[cast.manager.email]
    english = by_person[cast.contributor.email]
    assert spanish.subject != english.subject
    assert "Fit dock seals" in spanish.subject or "Fit dock seals" in spanish.body
    assert "Nueva acción para ti" in spanish.subject
    assert "Ahora eres responsable" in spanish.body
    assert "You are now responsible" in english.body
