"""A large library costs the pages nothing: the answer and action pages never draw the library
(the search-as-you-type picker asks for a page of results at its own address), and the library's
review notice counts in the database instead of loading every expired document."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safelane.evidence import selectors
from safelane.evidence.models import Evidence
from tests.factories import action, evidence, gap


def grow_library(cast, n: int) -> None:
    """`n` more documents, past their review date, written straight in (the pages are under
    test here, not the upload)."""
    past = timezone.localdate() - datetime.timedelta(days=3)
    Evidence.objects.bulk_create(
        Evidence(organisation=cast.acme, title=f"Bulk record {i:04d}", review_date=past)
        for i in range(n)
    )


def test_the_review_notice_counts_in_the_database(cast, as_user):
    grow_library(cast, 60)
    soon = evidence(cast, title="Fire drill log")
    soon.review_date = timezone.localdate() + datetime.timedelta(days=5)
    soon.save(update_fields=["review_date"])
    assert selectors.review_counts(cast.acme) == {"total": 61, "expired": 60, "expiring": 1}
    with CaptureQueriesContext(connection) as queries:
        page = as_user(cast.viewer).get(reverse("evidence:list", args=[cast.acme.slug]))
    html = page.content.decode()
    assert "60 items have expired" in html
    assert "1 expires within 30 days" in html
    # Every read of documents is a count or a page of 50, none the whole library.
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "evidence_evidence"' in q["sql"]]
    assert reads
    for sql in reads:
        assert "COUNT(" in sql or "LIMIT" in sql, sql


def _picker_pages(cast, as_user):
    answer = gap(cast, "4.8")
    act = action(cast, title="MFA on every terminal")
    client = as_user(cast.owner)
    return client, [
        reverse("assessments:response", args=[cast.acme.slug, answer.pk]),
        reverse("actions:detail", args=[cast.acme.slug, act.pk]),
    ]


def _measure(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries.captured_queries), len(page.content), page.content.decode()


def test_the_answer_and_action_pages_do_not_grow_with_the_library(cast, as_user):
    client, urls = _picker_pages(cast, as_user)
    evidence(cast, title="Seal log 2026")
    for url in urls:
        client.get(url)  # caches warm
    small = [_measure(client, url) for url in urls]
    grow_library(cast, 300)
    large = [_measure(client, url) for url in urls]
    for (queries, size, _html), (queries_after, size_after, html) in zip(small, large, strict=True):
        assert queries_after == queries
        assert size_after == size  # not one byte more for 300 more documents
        assert "Bulk record" not in html
        assert "<option" not in html.split('id="evidence"')[1].split("</section>")[0]
        # The picker: a plain search form (works without script) that htmx asks in place.
        assert re.search(r'<form method="get" action="[^"]+/evidence/attach/', html)
        assert 'hx-target="#attach-results"' in html


def test_the_picker_answers_a_page_at_a_time_at_its_own_address(cast, as_user):
    client, _urls = _picker_pages(cast, as_user)
    grow_library(cast, 300)
    subject = action(cast, title="Seal audit")
    url = reverse("evidence:attach_action", args=[cast.acme.slug, subject.pk])
    client.get(url, {"q": "bulk"}, HTTP_HX_REQUEST="true")  # caches warm
    with CaptureQueriesContext(connection) as few:
        first = client.get(url, {"q": "bulk"}, HTTP_HX_REQUEST="true")
    html = first.content.decode()
    assert html.count('name="evidence"') == selectors.ATTACH_PAGE_SIZE
    assert "<html" not in html  # the fragment only
    assert "page=2" in html
    grow_library(cast, 300)
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"q": "bulk"}, HTTP_HX_REQUEST="true")
    assert len(more.captured_queries) == len(few.captured_queries)
