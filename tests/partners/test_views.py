"""The partner register's pages: the list and its filters, one partner's buttons, the import in
two steps with its background job, the screening review queue, the exports."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from safelane.jobs.models import Job
from safelane.partners.models import HitStatus, Partner, ScreeningHit
from tests.partners.conftest import partner


def url(cast, name, *args):
    return reverse(f"partners:{name}", args=[cast.acme.slug, *args])


def test_the_list_filters_like_the_api(cast, as_user):
    partner(cast, name="Shenzhen Homeware", countries=["CN"])
    partner(cast, name="Transportes del Norte", kind="highway_carrier", countries=["MX", "US"])
    client = as_user(cast.viewer)
    mexico = client.get(url(cast, "list"), {"country": "MX"}).context["page"]
    assert [p.name for p in mexico] == ["Transportes del Norte"]
    carriers = client.get(url(cast, "list"), {"type": "highway_carrier", "q": "norte"})
    assert [p.name for p in carriers.context["page"]] == ["Transportes del Norte"]
    assert client.get(url(cast, "list"), {"country": "ZZ"}).status_code == 400


def test_an_archived_partner_leaves_the_list_and_can_be_found_and_restored(cast, as_user):
    kept = partner(cast, name="Kept Co.")
    gone = partner(cast, name="Gone Co.")
    client = as_user(cast.manager)
    version = Partner.objects.for_org(cast.acme).get(pk=gone.pk).version
    done = client.post(url(cast, "archive", gone.pk), {"version": version})
    assert done.status_code == 302
    assert [p.name for p in client.get(url(cast, "list")).context["page"]] == [kept.name]
    archived = client.get(url(cast, "list"), {"archived": "1"}).context["page"]
    assert [p.name for p in archived] == ["Gone Co."]
    page = client.get(url(cast, "detail", gone.pk)).content.decode()
    assert "Restore it to change it." in page
    version = Partner.objects.for_org(cast.acme).get(pk=gone.pk).version
    assert client.post(url(cast, "restore", gone.pk), {"version": version}).status_code == 302
    assert len(client.get(url(cast, "list")).context["page"]) == 2


def test_adding_a_partner_from_the_page(cast, as_user):
    client = as_user(cast.contributor)
    done = client.post(
        url(cast, "create"),
        {
            "name": "Aceros del Norte",
            "kind": "supplier",
            "countries": "Mexico, us; MX",
            "ctpat_status": "unknown",
            "other_names_text": "Aceros DN",
        },
    )
    made = Partner.objects.for_org(cast.acme).get()
    assert done["Location"] == url(cast, "detail", made.pk)
    assert [c.code for c in made.countries] == ["MX", "US"]
    page = client.get(done["Location"]).content.decode()
    assert "Aceros DN" in page
    assert "No CTPAT or AEO status on record." in page
    refused = client.post(url(cast, "create"), {"name": "", "kind": "pirate"})
    assert refused.status_code == 400
    atlantis = client.post(
        url(cast, "create"), {"name": "Lost Co.", "kind": "supplier", "countries": "Atlantis"}
    )
    assert "Not a country: Atlantis." in atlantis.content.decode()
    assert Partner.objects.for_org(cast.acme).count() == 1
    edit = client.get(done["Location"]).content.decode()
    assert 'value="Mexico; United States of America"' in edit  # names read better


def test_a_partner_page_only_reads_and_its_buttons_have_their_own_addresses(cast, as_user):
    p = partner(cast)
    client = as_user(cast.contributor)
    assert client.post(url(cast, "detail", p.pk), {"name": "x"}).status_code == 405
    added = client.post(
        url(cast, "facility_add", p.pk),
        {"name": "Dongguan plant", "country": "CN", "activity": "Stuffing"},
    )
    assert added["Location"].endswith("#facilities")
    contact = client.post(
        url(cast, "contact_add", p.pk),
        {"name": "Li Wei", "email": "li@hg.example", "language": "es"},
    )
    assert contact["Location"].endswith("#contacts")
    html = client.get(url(cast, "detail", p.pk)).content.decode()
    assert "Dongguan plant" in html
    assert "li@hg.example" in html
    tier = client.post(url(cast, "tier", p.pk), {"tier": "low", "reason": "x", "version": 1})
    assert tier.status_code == 403  # a manager's call


def test_a_stale_edit_of_a_partner_shows_both_versions(cast, as_user):
    p = partner(cast)
    stale = Partner.objects.for_org(cast.acme).get(pk=p.pk).version
    client = as_user(cast.contributor)
    form = {
        "name": "Renamed once",
        "kind": "supplier",
        "countries": ["CN"],
        "ctpat_status": "unknown",
        "version": stale,
    }
    assert client.post(url(cast, "save", p.pk), form).status_code == 302
    again = client.post(url(cast, "save", p.pk), {**form, "name": "Renamed twice"})
    assert again.status_code == 409
    assert Partner.objects.for_org(cast.acme).get(pk=p.pk).name == "Renamed once"


def test_an_import_in_two_steps_reports_the_bad_row_then_imports(cast, as_user, committed):
    client = as_user(cast.contributor)
    content = b"Name,Type,Country\nShenzhen Homeware,supplier,CN\nBad Row,pirate,CN\n"
    read = client.post(url(cast, "import"), {"file": SimpleUploadedFile("socios.csv", content)})
    assert read["Location"] == url(cast, "import_columns")
    page = client.get(url(cast, "import_columns"))
    assert page.context["form"]["col_name"].initial == "Name"  # guessed from the header
    mapping = {"col_name": "Name", "col_type": "Type", "col_country": "Country"}
    refused = client.post(url(cast, "import_columns"), mapping)
    assert refused.status_code == 400
    assert "Row 3: &#x27;pirate&#x27; is not a partner type." in refused.content.decode()
    assert not Partner.objects.for_org(cast.acme).exists()
    with committed():
        started = client.post(url(cast, "import_columns"), {**mapping, "skip_bad_rows": "on"})
    job = Job.objects.for_org(cast.acme).get(kind="partner-import")
    assert started["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    assert (job.status, job.percent) == ("done", 100)
    assert [p.name for p in Partner.objects.for_org(cast.acme)] == ["Shenzhen Homeware"]
    report = client.get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert ["3", "no", "'pirate' is not a partner type"] in rows


def test_the_columns_page_without_a_file_sends_back_to_the_upload(cast, as_user):
    page = as_user(cast.contributor).get(url(cast, "import_columns"))
    assert page["Location"] == url(cast, "import")


def test_the_review_queue_and_a_decision_side_by_side(cast, as_user, csl):
    p = partner(
        cast, name="Gulf Gate Shipping Company L.L.C.", kind="sea_carrier", countries=["AE"]
    )
    hit = ScreeningHit.objects.for_org(cast.acme).get(partner=p)
    client = as_user(cast.manager)
    queue = client.get(url(cast, "hits")).content.decode()
    assert "Gulf Gate Shipping Co. LLC" in queue
    side = client.get(url(cast, "hit", hit.pk)).content.decode()
    assert "Dubai" in side  # the list entry's address, beside our partner
    decided = client.post(
        url(cast, "hit_decide", hit.pk),
        {
            "status": "cleared",
            "reason": "Different owners, checked the trade licence",
            "version": hit.version,
        },
    )
    assert decided["Location"] == url(cast, "hits")
    assert ScreeningHit.objects.for_org(cast.acme).get(pk=hit.pk).status == HitStatus.CLEARED
    contributor = as_user(cast.contributor).post(
        url(cast, "hit_decide", hit.pk), {"status": "confirmed", "reason": "x", "version": 2}
    )
    assert contributor.status_code == 403


def test_the_register_exports_in_the_import_columns(cast, as_user):
    partner(cast, name='=HYPERLINK("http://evil.example")', other_names="Alias One")
    client = as_user(cast.viewer)
    body = client.get(url(cast, "export", "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["name", "type", "country"]
    assert rows[1][0].startswith("'=")  # never a live formula
    assert rows[1][3] == "Alias One"
    sheet = load_workbook(io.BytesIO(client.get(url(cast, "export", "xlsx")).content)).active
    assert sheet["A2"].data_type == "s"
