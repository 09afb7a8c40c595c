"""The risk assessment read and documented in Spanish."""

import re

from django.urls import reverse

from tests.risk.builders import mapped


def field(html, name):
    """The value the page holds in an input, as the browser would send it back."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_a_spanish_reader_marks_the_assessment_documented_with_the_date_the_page_shows(
    cast, as_user
):
    a, _nodes = mapped(cast)
    client = as_user(cast.manager)
    client.post(reverse("set_language"), {"language": "es"})
    page = client.get(reverse("risk:detail", args=[cast.acme.slug, a.pk])).content.decode()
    next_due = field(page, "next_due")
    assert next_due == a.next_due.isoformat()  # what a date input can show, not 26/12/2026

    done = client.post(
        reverse("risk:finalise", args=[cast.acme.slug, a.pk]),
        {"participants": "Olivia (COO)", "next_due": next_due, "version": a.version},
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.finalised_at is not None
    assert a.next_due.isoformat() == next_due
