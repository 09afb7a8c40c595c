from django.urls import reverse

from safelane.core.models import AuditEntry
from safelane.orgs import services
from safelane.orgs.models import Membership, Organisation, Role
from tests.conftest import make_user


def settings_url(org):
    return reverse("orgs:settings", args=[org.slug])


def profile_data(org, **changes):
    data = {
        "name": org.name,
        "country": str(org.country),
        "default_language": org.default_language,
        "currency": org.currency,
        "version": org.version,
    }
    data.update(changes)
    return data


def test_a_manager_saves_the_profile_and_the_change_is_audited(cast, as_user):
    client = as_user(cast.manager)
    response = client.post(settings_url(cast.acme), profile_data(cast.acme, currency="mxn"))
    assert response.status_code == 302
    cast.acme.refresh_from_db()
    assert cast.acme.currency == "MXN"
    assert cast.acme.version == 2
    entry = AuditEntry.objects.for_org(cast.acme).for_object(cast.acme).first()
    assert entry.changes == {"currency": ["USD", "MXN"]}
    assert entry.actor == cast.manager
    assert entry.source == "web"
    page = client.get(settings_url(cast.acme)).content.decode()
    assert "currency" in page  # the history beside the form names the field


def test_a_stale_edit_is_refused_with_both_versions_shown(cast, as_user):
    stale = profile_data(cast.acme, name="Acme Imports LLC")
    services.update_organisation(
        org=cast.acme, actor=cast.owner, expected_version=1, values={"name": "Acme Imports Inc."}
    )
    response = as_user(cast.manager).post(settings_url(cast.acme), stale)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this record" in page
    assert "Acme Imports LLC" in page
    assert "Acme Imports Inc." in page
    cast.acme.refresh_from_db()
    assert cast.acme.name == "Acme Imports Inc."
    # Submitting again, deliberately, on top of their version goes through.
    again = profile_data(cast.acme, name="Acme Imports LLC")
    assert as_user(cast.manager).post(settings_url(cast.acme), again).status_code == 302
    cast.acme.refresh_from_db()
    assert cast.acme.name == "Acme Imports LLC"


def test_invalid_profile_values_get_clear_messages_and_change_nothing(cast, as_user):
    response = as_user(cast.owner).post(
        settings_url(cast.acme), profile_data(cast.acme, currency="dollars", name="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "three-letter ISO 4217 code" in page
    assert "This field is required" in page
    cast.acme.refresh_from_db()
    assert cast.acme.currency == "USD"


def test_a_viewer_reads_the_profile_without_a_save_button(cast, as_user):
    page = as_user(cast.viewer).get(settings_url(cast.acme)).content.decode()
    assert "disabled" in page
    assert "lets you read this profile, not change it" in page


def test_creating_an_organisation_opens_its_dashboard(db, as_user):
    user = make_user("founder@example.test")
    response = as_user(user).post(
        reverse("orgs:create"),
        {"name": "Pacific Freight", "country": "US", "default_language": "en", "currency": "USD"},
    )
    org = Organisation.objects.get(name="Pacific Freight")
    assert response["Location"] == reverse("orgs:dashboard", args=[org.slug])


def test_home_opens_the_last_organisation_used(cast, as_user):
    client = as_user(cast.consultant)
    assert client.get(reverse("home"))["Location"] == reverse("orgs:list")
    client.get(reverse("orgs:dashboard", args=[cast.norte.slug]))
    assert client.get(reverse("home"))["Location"] == reverse(
        "orgs:dashboard", args=[cast.norte.slug]
    )


def test_a_newcomer_is_offered_to_create_an_organisation(db, as_user):
    client = as_user(make_user("alone@example.test"))
    response = client.get(reverse("home"), follow=True)
    assert "not a member of any organisation yet" in response.content.decode()


def test_the_switcher_lists_only_the_users_organisations(cast, as_user):
    page = as_user(cast.consultant).get(reverse("orgs:dashboard", args=[cast.acme.slug]))
    html = page.content.decode()
    assert "Norte" in html
    assert "Acme Imports" in html
    page = as_user(cast.viewer).get(reverse("orgs:dashboard", args=[cast.acme.slug]))
    assert "Norte" not in page.content.decode()


def test_an_owner_changes_a_role_inline(cast, as_user):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    response = as_user(cast.owner).post(
        reverse("orgs:member_role", args=[cast.acme.slug, member.pk]),
        {"role": "manager", "version": member.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="member-{member.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MANAGER


def test_an_inline_role_change_says_so_in_the_messages_region(cast, as_user):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    client = as_user(cast.owner)
    address = reverse("orgs:member_role", args=[cast.acme.slug, member.pk])
    changed = client.post(
        address, {"role": "manager", "version": member.version}, HTTP_HX_REQUEST="true"
    ).content.decode()
    row, _sep, rest = changed.partition("</tr>")
    assert f'id="member-{member.pk}"' in row
    # Beside the row, in a <template> (a table row's response cannot hold a <div> otherwise).
    assert rest.lstrip().startswith("<template>")
    assert '<div id="messages" class="toasts" hx-swap-oob="true">' in rest
    assert "The role of Victor Viewer is now Manager." in rest
    # Said once: the next page has no leftover message.
    members = client.get(reverse("orgs:members", args=[cast.acme.slug])).content.decode()
    assert "is now Manager" not in members
    # Without JavaScript the members page says it.
    member.refresh_from_db()
    page = client.post(address, {"role": "viewer", "version": member.version}, follow=True)
    assert "The role of Victor Viewer is now Viewer." in page.content.decode()


def test_demoting_the_last_owner_inline_shows_why(cast, as_user):
    member = Membership.objects.for_org(cast.acme).get(user=cast.owner)
    response = as_user(cast.owner).post(
        reverse("orgs:member_role", args=[cast.acme.slug, member.pk]),
        {"role": "viewer", "version": member.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "at least one owner" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.OWNER


def test_a_stale_role_change_inline_is_refused(cast, as_user):
    member = Membership.objects.for_org(cast.acme).get(user=cast.viewer)
    seen = member.version
    client = as_user(cast.owner)
    address = reverse("orgs:member_role", args=[cast.acme.slug, member.pk])
    client.post(address, {"role": "manager", "version": seen}, HTTP_HX_REQUEST="true")
    stale = client.post(address, {"role": "contributor", "version": seen}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    without = client.post(address, {"role": "contributor"}, HTTP_HX_REQUEST="true")
    assert without.status_code == 400
    member.refresh_from_db()
    assert member.role == Role.MANAGER


def test_inviting_from_the_members_page(cast, as_user, mailoutbox, committed):
    url = reverse("orgs:members", args=[cast.acme.slug])
    with committed():
        response = as_user(cast.owner).post(url, {"email": "nina@acme.test", "role": "viewer"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["nina@acme.test"]
    response = as_user(cast.owner).post(url, {"email": "not-an-address", "role": "viewer"})
    assert response.status_code == 400
    assert "valid email address" in response.content.decode()


def test_removing_a_member_asks_first(cast, as_user):
    member = Membership.objects.for_org(cast.acme).get(user=cast.contributor)
    url = reverse("orgs:member_remove", args=[cast.acme.slug, member.pk])
    client = as_user(cast.owner)
    assert "Remove Carla Contributor?" in client.get(url).content.decode()
    client.post(url)
    assert not Membership.objects.for_org(cast.acme).filter(pk=member.pk).exists()


def test_members_page_makes_the_same_queries_for_2_or_20_members(
    cast, as_user, django_assert_max_num_queries, django_assert_num_queries
):
    client = as_user(cast.owner)
    url = reverse("orgs:members", args=[cast.acme.slug])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(18):
        services.add_member(
            org=cast.acme, actor=cast.owner, user=make_user(f"m{n}@acme.test"), role=Role.VIEWER
        )
        services.invite(org=cast.acme, actor=cast.owner, email=f"i{n}@acme.test", role=Role.VIEWER)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(few) <= 12
