"""The inspections list's filters and its export for a validator, hostile text kept as text."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.inspections.conftest import answers, checklists, receive, site


def url(cast, name, *args):
    return reverse(f"inspections:{name}", args=[cast.acme.slug, *args])


def two(cast):
    found = checklists(cast)
    laredo, dock = site(cast), site(cast, "Dock 4")
    tractor = found["tractor-trailer-17-point"]
    failed = receive(
        cast, tractor, laredo, results=answers(tractor, {"floor": "=HYPERLINK(1) raised boards"})
    ).inspection
    values = {
        "container": "MSKU9070323",
        "seals": ["ZX99"],
        "driver": "=HYPERLINK(1)",
        "signed_name": "Ana",
        "attested": True,
    }
    passed = receive(cast, found["container-7-point"], dock, values=values).inspection
    return failed, passed, laredo


def listed(client, cast, **query):
    return [i.pk for i in client.get(url(cast, "list"), query).context["page"]]


def test_the_list_filters_by_result_site_kind_and_number(cast, as_user):
    failed, passed, laredo = two(cast)
    client = as_user(cast.viewer)
    assert listed(client, cast, result="failed") == [failed.pk]
    assert listed(client, cast, result="passed") == [passed.pk]
    assert listed(client, cast, site=laredo.pk) == [failed.pk]
    assert listed(client, cast, conveyance="container") == [passed.pk]
    assert listed(client, cast, q="zx99") == [passed.pk]
    assert listed(client, cast, q="msku 9070323") == [passed.pk]
    assert listed(client, cast, q="T-104") == [failed.pk]
    page = client.get(url(cast, "list"), {"q": "nothing like it"}).content.decode()
    assert "No inspection matches." in page
    assert client.get(url(cast, "list"), {"after": "yesterday"}).status_code == 400


def test_the_export_holds_the_filtered_inspections_and_no_formula(cast, as_user):
    two(cast)
    client = as_user(cast.viewer)
    body = client.get(url(cast, "export", "csv"), {"result": "failed"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2
    assert rows[1][10] == "Floor: =HYPERLINK(1) raised boards"
    body = client.get(url(cast, "export", "csv"), {"result": "passed"}).content.decode("utf-8-sig")
    driver = list(csv.reader(io.StringIO(body)))[1][8]
    assert driver.endswith("=HYPERLINK(1)")
    assert not driver.startswith("=")
    book = load_workbook(io.BytesIO(client.get(url(cast, "export", "xlsx")).content))
    cells = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert "MSKU9070323" in cells
    assert not any(str(c).startswith("=") for c in cells)
    assert client.get(url(cast, "export", "pdf")).status_code == 404
