import datetime

from django.urls import reverse

from safelane.core.models import AuditEntry
from safelane.risk.models import CountryThreat


def url(cast, name, *args):
    return reverse(f"risk:{name}", args=[cast.acme.slug, *args])


FORM = {
    "country": "MX",
    "threat": "contraband",
    "level": "3",
    "sources": "State Dept. advisory, 2026-10",
    "assessed_on": "2026-10-15",
}


def test_the_country_table_is_edited_row_by_row_with_the_version_check(cast, as_user):
    client = as_user(cast.contributor)
    assert client.post(url(cast, "country_threat_create"), FORM).status_code == 302
    rating = CountryThreat.objects.for_org(cast.acme).get()
    assert (rating.level, rating.assessed_on) == (3, datetime.date(2026, 10, 15))

    twice = client.post(url(cast, "country_threat_create"), FORM)
    assert "already has a rating for that threat" in twice.content.decode()
    assert CountryThreat.objects.for_org(cast.acme).count() == 1

    edit = url(cast, "country_threat_edit", rating.pk)
    assert client.post(edit, {**FORM, "level": "2", "version": 1}).status_code == 302
    stale = client.post(edit, {**FORM, "level": "1", "version": 1})
    assert "Someone else saved this record" in stale.content.decode()
    rating.refresh_from_db()
    assert rating.level == 2

    listing = as_user(cast.viewer).get(url(cast, "country_threat_list")).content.decode()
    assert "Mexico" in listing
    assert url(cast, "threats_import") in listing
    assert as_user(cast.viewer).post(edit, {**FORM, "version": 2}).status_code == 403

    assert client.post(url(cast, "country_threat_delete", rating.pk)).status_code == 302
    assert not CountryThreat.objects.for_org(cast.acme).exists()
    assert AuditEntry.objects.for_org(cast.acme).filter(action="delete").count() == 1


def test_a_csv_import_reports_every_bad_row_and_keeps_the_table(cast, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(cast.contributor)
    bad = SimpleUploadedFile(
        "t.csv",
        b"country,threat,level,sources,assessed_on\nMX,contraband,High,x,2026-01-01\n"
        b"ZZ,terrorism,High,x,2026-01-01\nCN,cyber,Extreme,x,2026-01-01\n",
    )
    page = client.post(url(cast, "threats_import"), {"file": bad})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Nothing was imported" in html
    assert not CountryThreat.objects.for_org(cast.acme).exists()
    good = SimpleUploadedFile(
        "t.csv", b"country,threat,level,sources,assessed_on\nMX,contraband,High,x,2026-01-01\n"
    )
    done = client.post(url(cast, "threats_import"), {"file": good})
    assert done["Location"] == url(cast, "country_threat_list")
    assert CountryThreat.objects.for_org(cast.acme).get().level == 3
