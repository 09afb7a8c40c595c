"""What every request passes through: no NUL characters, one transaction per write."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from safelane.core.middleware import WriteTransactionMiddleware
from safelane.orgs.models import Organisation


@pytest.mark.parametrize("params", [{"q": "nul\x00byte"}, {"nul\x00key": "x"}, {"status": "\x00"}])
def test_a_nul_in_a_search_is_refused_before_any_query(cast, as_user, params):
    page = as_user(cast.viewer).get(reverse("evidence:list", args=[cast.acme.slug]), params)
    assert page.status_code == 400
    api = as_user(cast.viewer).get(f"/api/v1/orgs/{cast.acme.slug}/actions/", params)
    assert api.status_code == 400
    assert "NUL" in api.json()["detail"]


def test_a_nul_in_a_form_is_refused(cast, as_user):
    url = reverse("actions:create", args=[cast.acme.slug])
    page = as_user(cast.owner).post(url, {"title": "nul\x00title", "kind": "it"})
    assert page.status_code == 400


def test_a_nul_in_a_search_shows_a_page_of_the_app_naming_the_field(cast, as_user):
    library = reverse("evidence:list", args=[cast.acme.slug])
    page = as_user(cast.viewer).get(
        library, {"q": "nul\x00byte"}, HTTP_REFERER=f"http://testserver{library}"
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Search holds a NUL character" in html
    assert 'class="topbar"' in html  # the app's layout, for the person signed in
    assert cast.viewer.email in html
    assert f'href="http://testserver{library}"' in html  # the way back
    elsewhere = as_user(cast.viewer).get(library, {"q": "\x00"}, HTTP_REFERER="https://evil.test/")
    assert "evil.test" not in elsewhere.content.decode()


def test_a_nul_in_a_form_names_its_field(cast, as_user):
    url = reverse("actions:create", args=[cast.acme.slug])
    page = as_user(cast.owner).post(url, {"title": "nul\x00title", "kind": "it"})
    assert "Title holds a NUL character" in page.content.decode()


def test_htmx_gets_the_refusal_in_the_messages_region_and_nothing_else_swapped(cast, as_user):
    url = reverse("actions:create", args=[cast.acme.slug])
    page = as_user(cast.owner).post(
        url, {"title": "nul\x00title", "kind": "it"}, HTTP_HX_REQUEST="true"
    )
    assert page.status_code == 400
    # No swap of the form's target, so the form keeps what was typed; the message goes where
    # the page shows its messages.
    assert page["HX-Reswap"] == "none"
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="messages"')
    assert 'hx-swap-oob="true"' in html
    assert "Title holds a NUL character" in html
    assert 'role="alert"' in html


def test_a_nul_in_an_address_is_refused(cast, as_user):
    page = as_user(cast.viewer).get(f"/o/{cast.acme.slug}/catalog/1.1%00/")
    assert page.status_code in (400, 404)


@pytest.mark.django_db(transaction=True)
def test_a_write_request_that_fails_half_way_leaves_nothing_behind():
    def view(request):
        Organisation.objects.create(name="Half", slug="half", country="US")
        raise RuntimeError("the second write failed")

    middleware = WriteTransactionMiddleware(view)
    with pytest.raises(RuntimeError):
        middleware(RequestFactory().post("/anything/"))
    assert not Organisation.objects.filter(slug="half").exists()


@pytest.mark.django_db(transaction=True)
def test_reads_run_outside_any_transaction():
    seen = []

    def view(request):
        from django.db import connection

        seen.append(connection.in_atomic_block)
        return HttpResponse()

    WriteTransactionMiddleware(view)(RequestFactory().get("/anything/"))
    WriteTransactionMiddleware(view)(RequestFactory().post("/anything/"))
    assert seen == [False, True]
