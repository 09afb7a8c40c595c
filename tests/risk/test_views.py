"""The risk assessment's page: each step posts to its own address, refusals answer 4xx."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safelane.actions.models import Action
from safelane.core.models import AuditEntry
from safelane.risk import selectors, services
from safelane.risk.models import CountryThreat, Level, ThreatRating, Vulnerability
from safelane.risk.selectors.scoring import heat_colour
from tests.risk.builders import document, mapped, scored


def url(cast, name, obj):
    return reverse(f"risk:{name}", args=[cast.acme.slug, obj.pk])


def test_the_page_renders_every_step(cast, as_user):
    a, _nodes = scored(cast)
    html = as_user(cast.viewer).get(url(cast, "detail", a)).content.decode()
    for heading in (
        "Map the supply chain",
        "Threat assessment",
        "Vulnerability assessment",
        "Risks and actions",
        "Document the process",
    ):
        assert heading in html
    assert "Joliet DC" in html
    assert "<svg" in html
    heat = html[html.index('aria-label="Heat map"') :]
    fills = re.findall(r'fill="(#[0-9a-f]{6})"/>', heat)[:9]
    bands = ["medium", "high", "high", "low", "medium", "high", "low", "low", "medium"]
    view = selectors.assessment_view(cast.acme, a)
    cells = [c for row in view.heat for c in row]
    assert [c.band for c in cells] == bands
    assert fills == [heat_colour(c.band, c.count) for c in cells]


def test_the_page_only_reads(cast, as_user):
    a, _nodes = mapped(cast)
    assert as_user(cast.owner).post(url(cast, "detail", a), {"add_node": "1"}).status_code == 405


def test_points_and_legs_are_added_at_their_own_addresses(cast, as_user):
    a, nodes = mapped(cast)
    client = as_user(cast.contributor)
    added = client.post(
        url(cast, "point_add", a), {"name": "Laredo yard", "kind": "warehouse", "country": "US"}
    )
    assert added["Location"] == url(cast, "detail", a) + "#map"
    yard = next(n for n in selectors.nodes(cast.acme, a) if n.name == "Laredo yard")
    leg = client.post(
        url(cast, "leg_add", a),
        {
            "flow": "Mexico to Chicago",
            "origin": nodes["mx"].pk,
            "destination": yard.pk,
            "mode": "truck",
        },
    )
    assert leg.status_code == 302
    loop = client.post(
        url(cast, "leg_add", a),
        {"flow": "x", "origin": yard.pk, "destination": yard.pk, "mode": "truck"},
    )
    assert loop.status_code == 400
    assert "A leg goes from one point to another." in loop.content.decode()


def test_a_risk_becomes_an_action_once(cast, as_user):
    a, nodes = scored(cast)
    rating = Vulnerability.objects.for_org(cast.acme).get(node=nodes["mx"], category=6)
    response = as_user(cast.contributor).post(url(cast, "risk_action", rating))
    action = Action.objects.for_org(cast.acme).get()
    assert (
        response["Location"]
        == reverse("actions:detail", args=[cast.acme.slug, action.pk]) + "#main"
    )
    assert action.source == "risk"
    assert "Monterrey plant" in action.title
    assert action.origin == rating
    # The page now shows the planned action instead of offering a second one.
    page = as_user(cast.viewer).get(url(cast, "detail", a))
    planned = [row.action for row in page.context["risk_rows"] if row.risk.node == nodes["mx"]]
    assert action in planned
    again = as_user(cast.contributor).post(url(cast, "risk_action", rating), follow=True)
    assert "This risk has its action already" in again.content.decode()
    assert Action.objects.for_org(cast.acme).count() == 1
    detail = as_user(cast.viewer).get(reverse("actions:detail", args=[cast.acme.slug, action.pk]))
    assert "treats the risk at Monterrey plant, MSC category 6" in detail.content.decode()


def test_documenting_records_participants_and_the_next_due_date(cast, as_user):
    a, _nodes = mapped(cast)
    client = as_user(cast.manager)
    today = timezone.localdate()
    past = client.post(
        url(cast, "finalise", a),
        {"participants": "Olivia", "next_due": today.isoformat(), "version": a.version},
    )
    assert past.status_code == 400
    assert "Choose a date after today." in past.content.decode()
    a.refresh_from_db()
    assert a.finalised_at is None

    due = today + datetime.timedelta(days=180)
    done = client.post(
        url(cast, "finalise", a),
        {"participants": "Olivia (COO)", "next_due": due.isoformat(), "version": a.version},
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert (a.participants, a.next_due) == ("Olivia (COO)", due)
    assert a.finalised_at is not None
    listing = client.get(reverse("risk:list", args=[cast.acme.slug])).content.decode()
    assert "Documented" in listing


def test_the_assessment_page_makes_the_same_queries_for_a_small_or_large_map(cast, as_user):
    a, nodes = scored(cast)
    client = as_user(cast.viewer)
    client.get(url(cast, "detail", a))
    with CaptureQueriesContext(connection) as small:
        client.get(url(cast, "detail", a))
    for n in range(12):
        point = services.add_node(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            values={"name": f"Supplier {n}", "kind": "supplier", "country": ["CN", "VN"][n % 2]},
        )
        services.add_leg(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            values={"flow": "More", "origin": point, "destination": nodes["la"], "mode": "ocean"},
        )
    client.get(url(cast, "detail", a))
    with CaptureQueriesContext(connection) as large:
        page = client.get(url(cast, "detail", a))
    assert "Supplier 11" in page.content.decode()
    assert len(large) == len(small)
    # Reading the page writes nothing: new points got their suggested ratings when added.
    assert not [q for q in large.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert Vulnerability.objects.for_org(cast.acme).filter(node__name="Supplier 11").count() == 12


def test_a_leg_is_rated_apart_from_its_countries_on_the_page(cast, as_user):
    a, _nodes = scored(cast)
    truck = next(leg for leg in selectors.legs(cast.acme, a) if leg.mode == "truck")
    client = as_user(cast.contributor)
    assert "High (countries)" in client.get(url(cast, "detail", a)).content.decode()
    saved = client.post(url(cast, "threats", a), {f"l:{truck.pk}:organised-crime": "3"})
    assert saved["Location"].endswith("#threats")
    assert selectors.leg_threats(cast.acme, a) == {(truck.pk, "organised-crime"): 3}
    client.post(
        url(cast, "threats", a),
        {f"l:{truck.pk}:organised-crime": "", f"lv:{truck.pk}:organised-crime": "1"},
    )
    assert selectors.leg_threats(cast.acme, a) == {}


def test_a_stale_rating_grid_never_undoes_someone_elses_change(cast, as_user):
    a, _nodes = scored(cast)
    carla, manuel = as_user(cast.contributor), as_user(cast.manager)
    loaded = ThreatRating.objects.for_org(cast.acme).get(
        assessment=a, country="MX", threat="contraband"
    )
    cyber = ThreatRating.objects.for_org(cast.acme).get(assessment=a, country="MX", threat="cyber")
    # Both open the page; Manuel lowers Mexico's contraband rating first.
    manuel.post(
        url(cast, "threats", a), {"t:MX:contraband": "2", "tv:MX:contraband": str(loaded.version)}
    )
    # Carla's form still says High for it, with the version she loaded, and she rates cyber.
    page = carla.post(
        url(cast, "threats", a),
        {
            "t:MX:contraband": "3",
            "tv:MX:contraband": str(loaded.version),
            "t:MX:cyber": "3",
            "tv:MX:cyber": str(cyber.version),
        },
    )
    assert page.status_code == 400
    assert "Someone else changed these ratings" in page.content.decode()
    rated = {t.threat: t.level for t in selectors.threats(cast.acme, a) if t.country == "MX"}
    assert rated == {"contraband": Level.MEDIUM, "cyber": Level.LOW}  # nothing of Carla's
    # A cell she did not change goes through even though its version moved.
    carla.post(
        url(cast, "threats", a), {"t:MX:contraband": "2", "tv:MX:contraband": str(loaded.version)}
    )
    loaded.refresh_from_db()
    assert loaded.level == Level.MEDIUM


def test_choosing_no_rating_clears_one(cast, as_user):
    a, _nodes = scored(cast)
    rating = ThreatRating.objects.for_org(cast.acme).get(assessment=a, country="MX", threat="cyber")
    as_user(cast.contributor).post(
        url(cast, "threats", a), {"t:MX:cyber": "", "tv:MX:cyber": str(rating.version)}
    )
    assert not ThreatRating.objects.for_org(cast.acme).filter(pk=rating.pk).exists()
    # The organisation's country table keeps what it knew.
    assert CountryThreat.objects.for_org(cast.acme).filter(country="MX", threat="cyber").exists()


def test_a_stale_vulnerability_grid_is_refused(cast, as_user):
    a, nodes = scored(cast)
    v = Vulnerability.objects.for_org(cast.acme).get(assessment=a, node=nodes["mx"], category=6)
    seen = v.version
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.manager,
        assessment=a,
        changes={v.pk: (Level.HIGH, "No seal log at the plant", 0)},
    )
    page = as_user(cast.contributor).post(
        url(cast, "vulnerabilities", a),
        {f"v:{v.pk}": str(Level.LOW), f"r:{v.pk}": "New seals", f"vv:{v.pk}": str(seen)},
    )
    assert page.status_code == 400
    assert "Someone else changed these ratings" in page.content.decode()
    v.refresh_from_db()
    assert (v.level, v.reason) == (Level.HIGH, "No seal log at the plant")


@pytest.mark.parametrize(
    ("step", "form"),
    [
        ("vulnerabilities", {"v:abc": "3", "vv:abc": "z"}),
        ("vulnerabilities", {"v:²": "3", "vv:²": "²"}),
        ("vulnerabilities", {"v:99999999999999999999999": "3"}),
        ("threats", {"t:ZZ:terrorism": "3"}),
        ("threats", {"l:abc:terrorism": "3", "t:MX:nothing": "3"}),
        ("threats", {"l:²:terrorism": "3", "lv:²:terrorism": "²"}),
        ("threats", {"s:MX": "x" * 100_000}),
    ],
)
def test_malformed_grid_posts_get_a_clear_answer(cast, as_user, step, form):
    a, _nodes = scored(cast)
    before = sorted(t.level for t in selectors.threats(cast.acme, a))
    response = as_user(cast.contributor).post(url(cast, step, a), form)
    assert response.status_code < 500
    assert sorted(t.level for t in selectors.threats(cast.acme, a)) == before


def test_a_rating_of_a_country_not_on_the_map_answers_400(cast, as_user):
    a, _nodes = scored(cast)
    page = as_user(cast.contributor).post(url(cast, "threats", a), {"t:FR:terrorism": "3"})
    assert page.status_code == 400
    assert "Rate the countries on this assessment&#x27;s map." in page.content.decode()


def test_a_point_is_corrected_with_the_version_check(cast, as_user):
    a, nodes = mapped(cast)
    document(cast, a)
    point = nodes["mx"]
    client = as_user(cast.contributor)
    form = {"name": "Monterrey plant 2", "kind": "supplier", "country": "MX", "version": 1}
    assert client.post(url(cast, "node_edit", point), form).status_code == 302
    stale = client.post(url(cast, "node_edit", point), {**form, "name": "Apodaca plant"})
    assert "Someone else saved this record" in stale.content.decode()
    point.refresh_from_db()
    assert point.name == "Monterrey plant 2"
    a.refresh_from_db()
    assert "Monterrey plant (MX) is now Monterrey plant 2 (MX)" in a.needs_review


def test_a_leg_cannot_be_turned_into_a_loop(cast, as_user):
    a, nodes = mapped(cast)
    leg = next(x for x in selectors.legs(cast.acme, a) if x.mode == "truck")
    page = as_user(cast.contributor).post(
        url(cast, "leg_edit", leg),
        {
            "flow": "Mexico to Chicago",
            "origin": nodes["mx"].pk,
            "destination": nodes["mx"].pk,
            "mode": "truck",
            "version": leg.version,
        },
    )
    assert page.status_code == 400
    assert "A leg goes from one point to another." in page.content.decode()


def test_removing_a_point_is_confirmed_and_takes_its_legs_along_in_the_audit_trail(cast, as_user):
    a, nodes = scored(cast)
    removal = url(cast, "node_delete", nodes["mx"])
    client = as_user(cast.contributor)
    question = client.get(removal).content.decode()
    assert "Monterrey plant → Joliet DC (Truck)" in question  # the leg that goes with it
    assert selectors.nodes(cast.acme, a)  # nothing removed by looking
    assert client.post(removal).status_code == 302
    assert "Monterrey plant" not in {n.name for n in selectors.nodes(cast.acme, a)}
    assert all(leg.mode != "truck" for leg in selectors.legs(cast.acme, a))
    assert not Vulnerability.objects.for_org(cast.acme).filter(node_id=nodes["mx"].pk).exists()
    removed = AuditEntry.objects.for_org(cast.acme).filter(action="delete")
    assert {e.object_repr for e in removed} >= {
        "Monterrey plant (MX)",
        "Monterrey plant → Joliet DC (Truck)",
    }
    assert as_user(cast.viewer).get(removal).status_code == 403
