import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safelane.core.models import AuditEntry
from safelane.orgs import services
from safelane.orgs.models import Membership, Role


def log_url(org):
    return reverse("audit:log", args=[org.slug])


def rename(cast, name, actor=None):
    cast.acme.refresh_from_db()
    services.update_organisation(
        org=cast.acme,
        actor=actor or cast.owner,
        expected_version=cast.acme.version,
        values={"name": name},
    )


def test_the_log_shows_who_changed_what(cast, as_user):
    rename(cast, "Acme Global")
    page = as_user(cast.viewer).get(log_url(cast.acme)).content.decode()
    assert "Acme Global" in page
    assert "olivia@acme.test" in page


def test_the_log_filters_by_person_change_and_text(cast, as_user):
    rename(cast, "Acme Global", actor=cast.manager)
    client = as_user(cast.viewer)
    by_manager = client.get(log_url(cast.acme), {"actor": cast.manager.pk, "action": "update"})
    assert by_manager.context["page"].paginator.count == 1
    nothing = client.get(log_url(cast.acme), {"q": "no such record"})
    assert nothing.context["page"].paginator.count == 0
    assert "No changes match." in nothing.content.decode()


def test_htmx_filtering_returns_only_the_results(cast, as_user):
    response = as_user(cast.viewer).get(
        log_url(cast.acme), {"action": "create"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'id="audit-results"' in html
    assert "<html" not in html


def test_a_start_date_after_the_end_date_is_explained(cast, as_user):
    response = as_user(cast.viewer).get(
        log_url(cast.acme), {"since": "2026-05-02", "until": "2026-05-01"}
    )
    assert "The end date is before the start date." in response.content.decode()


def test_an_entry_shows_each_field_from_and_to(cast, as_user):
    rename(cast, "Acme Global")
    entry = AuditEntry.objects.for_org(cast.acme).filter(action="update").get()
    page = as_user(cast.viewer).get(reverse("audit:detail", args=[cast.acme.slug, entry.pk]))
    html = page.content.decode()
    assert "Acme Imports" in html
    assert "Acme Global" in html
    assert "Legal name" in html


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_the_export_has_one_row_per_changed_field(cast, as_user):
    rename(cast, "Acme Global")
    response = as_user(cast.viewer).get(
        reverse("audit:export", args=[cast.acme.slug]), {"action": "update"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(r["Field"], r["From"], r["To"], r["Who"]) for r in rows] == [
        ("name", "Acme Imports", "Acme Global", "olivia@acme.test")
    ]


def test_the_export_keeps_formulas_from_running_in_spreadsheets(cast, as_user):
    rename(cast, '=HYPERLINK("http://evil")')
    rows = read_csv(
        as_user(cast.viewer).get(
            reverse("audit:export", args=[cast.acme.slug]), {"action": "update"}
        )
    )
    assert rows[0]["To"].startswith("'=")
    assert rows[0]["Record"].startswith("'=")


def test_the_export_holds_only_the_organisations_entries(cast, as_user):
    rows = read_csv(as_user(cast.consultant).get(reverse("audit:export", args=[cast.norte.slug])))
    assert rows
    assert all("Acme" not in row["Record"] for row in rows)


def test_the_log_makes_the_same_queries_for_few_or_many_entries(cast, as_user):
    client = as_user(cast.viewer)
    client.get(log_url(cast.acme))
    with CaptureQueriesContext(connection) as few:
        client.get(log_url(cast.acme))
    member = Membership.objects.for_org(cast.acme).get(user=cast.contributor)
    for n in range(30):
        role = Role.VIEWER if n % 2 else Role.CONTRIBUTOR
        member = services.change_role(org=cast.acme, actor=cast.owner, membership=member, role=role)
    with CaptureQueriesContext(connection) as many:
        client.get(log_url(cast.acme))
    assert len(many) == len(few)
    assert len(few) <= 12


def test_entries_cannot_be_changed_or_deleted(cast):
    entry = AuditEntry.objects.for_org(cast.acme).first()
    entry.object_repr = "tampered"
    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
