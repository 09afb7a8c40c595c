from django.urls import reverse

from safelane.catalog import services
from safelane.catalog.models import CriterionDecision, OwnCriterion


def catalog_url(org, **params):
    return reverse("catalog:list", args=[org.slug])


def make_importer(cast):
    services.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})


def test_without_entity_types_the_page_asks_for_them(cast, as_user):
    page = as_user(cast.viewer).get(catalog_url(cast.acme)).content.decode()
    assert "choose entity types" in page


def test_an_importer_sees_exactly_the_criteria_that_apply(cast, as_user):
    make_importer(cast)
    response = as_user(cast.viewer).get(catalog_url(cast.acme), {"scope": "ours"})
    summary = response.context["summary"]
    assert summary == {"total": 94, "must": 61, "should": 33, "unconfirmed": 4, "not_applicable": 0}
    idents = [c.ident for c, _f in response.context["page"].paginator.object_list]
    assert "5.16" not in idents  # not an importer criterion
    assert "3.8" in idents  # applicability not confirmed: shown, and marked
    assert "Applicability not confirmed" in response.content.decode()


def test_filters_narrow_the_list(cast, as_user):
    make_importer(cast)
    client = as_user(cast.viewer)
    cyber = client.get(
        catalog_url(cast.acme), {"scope": "all", "category": 4, "must_should": "should"}
    )
    assert [c.ident for c, _f in cyber.context["page"].object_list] == ["4.4", "4.11", "4.12"]
    found = client.get(catalog_url(cast.acme), {"scope": "all", "q": "ISO 17712"})
    assert {c.ident for c, _f in found.context["page"].object_list} >= {"6.2", "6.5"}
    partial = client.get(catalog_url(cast.acme), {"q": "seal"}, HTTP_HX_REQUEST="true")
    assert 'id="catalog-results"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_the_catalog_page_makes_the_same_queries_with_few_or_many_decisions(cast, as_user):
    make_importer(cast)
    client = as_user(cast.viewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(catalog_url(cast.acme))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get(catalog_url(cast.acme))
    for ident in ["1.1", "1.2", "2.4", "3.9", "4.4", "4.11", "9.2", "9.5"]:
        services.decide(
            org=cast.acme,
            actor=cast.owner,
            ident=ident,
            decision="not-applicable",
            justification="No.",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(catalog_url(cast.acme))
    assert len(many) == len(few)
    assert len(few) <= 15


def test_not_applicable_needs_a_justification_and_takes_the_criterion_out(cast, as_user):
    make_importer(cast)
    url = reverse("catalog:criterion", args=[cast.acme.slug, "9.2"])
    client = as_user(cast.manager)
    refused = client.post(url, {"decision": "not-applicable", "justification": " "})
    assert refused.status_code == 400
    assert "Explain why" in refused.content.decode()
    assert not CriterionDecision.objects.for_org(cast.acme).exists()
    client.post(
        url,
        {"decision": "not-applicable", "justification": "Office suite in a shared tower; no yard."},
    )
    summary = client.get(catalog_url(cast.acme)).context["summary"]
    assert summary["total"] == 93
    assert summary["not_applicable"] == 1
    page = client.get(url).content.decode()
    assert "no yard" in page
    client.post(url, {"decision": "", "justification": ""})
    assert not CriterionDecision.objects.for_org(cast.acme).exists()


def test_a_criterion_the_catalog_does_not_give_can_be_added(cast, as_user):
    make_importer(cast)
    url = reverse("catalog:criterion", args=[cast.acme.slug, "5.16"])
    as_user(cast.owner).post(
        url, {"decision": "applicable", "justification": "Our own trucks cross at Laredo."}
    )
    summary = as_user(cast.viewer).get(catalog_url(cast.acme)).context["summary"]
    assert summary["total"] == 95


def test_a_contributor_reads_a_criterion_but_cannot_decide(cast, as_user):
    url = reverse("catalog:criterion", args=[cast.acme.slug, "4.8"])
    page = as_user(cast.contributor).get(url)
    assert "Save decision" not in page.content.decode()
    assert (
        as_user(cast.contributor)
        .post(url, {"decision": "applicable", "justification": "x"})
        .status_code
        == 403
    )


def test_own_criteria_are_added_edited_and_archived(cast, as_user):
    client = as_user(cast.manager)
    create = reverse("catalog:own_create", args=[cast.acme.slug])
    client.post(
        create,
        {
            "code": "ACME-01",
            "category": 9,
            "must_should": "must",
            "requirement": "Badge readers on every dock door.",
        },
    )
    duplicate = client.post(
        create, {"code": "acme-01", "must_should": "must", "requirement": "Again"}
    )
    assert "already have a criterion with this code" in duplicate.content.decode()
    own = OwnCriterion.objects.for_org(cast.acme).get()
    edit = reverse("catalog:own_edit", args=[cast.acme.slug, own.pk])
    client.post(
        edit,
        {
            "code": "ACME-01",
            "category": 9,
            "must_should": "should",
            "requirement": "Badge readers.",
            "version": own.version,
        },
    )
    own.refresh_from_db()
    assert own.must_should == "should"
    client.post(reverse("catalog:own_archive", args=[cast.acme.slug, own.pk]))
    listing = client.get(reverse("catalog:own", args=[cast.acme.slug]))
    assert list(listing.context["page"].object_list) == []
    assert OwnCriterion.objects.for_org(cast.acme).filter(archived_at__isnull=False).count() == 1


def test_every_export_downloads(cast, as_user):
    client = as_user(cast.viewer)
    for fmt, kind in [
        ("csv", "text/csv"),
        ("xlsx", "spreadsheetml"),
        ("json", "json"),
        ("oscal", "zip"),
    ]:
        response = client.get(reverse("catalog:export", args=[cast.acme.slug, fmt]))
        assert response.status_code == 200
        assert kind in response["Content-Type"]
        assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("catalog:export", args=[cast.acme.slug, "pdf"])).status_code == 404


def test_staff_load_corrections_from_a_file(cast, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safelane.catalog.exports import as_csv
    from safelane.catalog.selectors import current_version

    cast.outsider.is_staff = True
    cast.outsider.save()
    client = as_user(cast.outsider)
    content = as_csv(current_version())
    same = client.post(reverse("catalog:admin"), {"file": SimpleUploadedFile("same.csv", content)})
    assert same.status_code == 302
    bad = client.post(reverse("catalog:admin"), {"file": SimpleUploadedFile("bad.txt", b"x")})
    assert bad.status_code == 400
    assert "Use a .csv or .xlsx file." in bad.content.decode()
