"""The user guide inside the app, and the help link of each page."""

import re

import pytest
from django.urls import reverse

GUIDE_PAGES = [
    ("en", "getting-started"),
    ("en", "ctpat-journey"),
    ("en", "roles"),
    ("es", "recorrido-ctpat"),
    ("es", "primeros-pasos"),
]


@pytest.mark.parametrize(("language", "name"), GUIDE_PAGES)
def test_every_guide_page_opens(client, db, language, name):
    response = client.get(reverse("help_page", args=[language, name]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html
    # Links between guide pages stay inside the app.
    assert ".md" not in re.sub(r"<code>.*?</code>", "", html)


def test_a_page_outside_the_guide_is_404(client, db):
    assert client.get(reverse("help_page", args=["en", "no-such-page"])).status_code == 404
    assert client.get("/help/fr/roles/").status_code == 404
    assert client.get("/help/en/..%2F..%2Fsettings/").status_code == 404


def test_each_page_links_to_its_own_section_of_the_guide_in_the_readers_language(cast, as_user):
    from safelane.risk import services

    assessment = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026
    )
    client = as_user(cast.viewer)
    html = client.get(reverse("risk:detail", args=[cast.acme.slug, assessment.pk])).content.decode()
    link = re.search(r'class="help-link" href="([^"]+)"', html).group(1)
    assert link.startswith("/help/en/ctpat-journey/#3-")
    path, anchor = link.split("#")
    guide = client.get(path).content.decode()
    assert f'id="{anchor}"' in guide
    client.post(reverse("set_language"), {"language": "es"})
    html = client.get(reverse("risk:detail", args=[cast.acme.slug, assessment.pk])).content.decode()
    link = re.search(r'class="help-link" href="([^"]+)"', html).group(1)
    assert link.startswith("/help/es/recorrido-ctpat/#3-")
    assert f'id="{link.split("#")[1]}"' in client.get(link.split("#")[0]).content.decode()
