"""Reads of the evidence library that its pages show."""

from django.urls import reverse

from safelane.evidence import selectors, services
from tests.factories import action, evidence, gap


def test_what_a_document_supports_is_listed_once_each_and_named_by_kind(cast, as_user):
    answer = gap(cast, "4.8")
    act = action(cast, title="MFA on every terminal")
    document = evidence(cast, subject=answer, criteria=["4.8"])
    services.link(org=cast.acme, actor=cast.owner, evidence=document, subject=act)
    items = selectors.supported(cast.acme, document)
    assert [(item.noun, item.label) for item in items] == [
        ("Action", "MFA on every terminal"),
        ("Answer", "4.8 · Initial"),
    ]
    page = as_user(cast.viewer).get(reverse("evidence:detail", args=[cast.acme.slug, document.pk]))
    html = page.content.decode()
    assert "Action: <a" in html
    assert "<strong>4.8</strong> · " not in html
