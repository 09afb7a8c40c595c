import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image
from pypdf import PdfReader

from safelane.actions.models import Action
from safelane.assessments import services as assessments
from safelane.assessments.models import Response
from safelane.catalog import services as catalog
from safelane.core.errors import DomainError
from safelane.risk import selectors, services
from safelane.risk.models import CountryThreat, Level, RiskAssessment, ThreatRating, Vulnerability

# Acme's owner and managers (the consultant is one of them).
ACME_LEADS = ["consuelo@consult.test", "manuel@acme.test", "olivia@acme.test"]


def mapped(cast, year=2025):
    a = services.start_assessment(org=cast.acme, actor=cast.owner, title=f"Risk {year}", year=year)
    nodes = {
        key: services.add_node(org=cast.acme, actor=cast.owner, assessment=a, values=values)
        for key, values in {
            "supplier": {
                "name": "Shenzhen Homeware",
                "kind": "supplier",
                "country": "CN",
                "city": "Shenzhen",
            },
            "la": {"name": "Port of Los Angeles", "kind": "port", "country": "US"},
            "dc": {"name": "Joliet DC", "kind": "own", "country": "US"},
            "mx": {"name": "Monterrey plant", "kind": "supplier", "country": "MX"},
        }.items()
    }
    for origin, destination, mode, flow in (
        ("supplier", "la", "ocean", "China to Chicago"),
        ("la", "dc", "rail", "China to Chicago"),
        ("mx", "dc", "truck", "Mexico to Chicago"),
    ):
        services.add_leg(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            values={
                "flow": flow,
                "origin": nodes[origin],
                "destination": nodes[destination],
                "mode": mode,
            },
        )
    return a, nodes


def document(cast, a, participants=""):
    services.finalise(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        values={"participants": participants, "method_note": ""},
    )


def rate(cast, a, levels):
    services.save_threats(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        levels={key: services.Rated(level) for key, level in levels.items()},
        sources={"MX": "State Dept. advisory, 2025-10"},
    )


def test_the_map_is_drawn_left_to_right_along_the_flows(cast):
    a, _nodes = mapped(cast)
    chain = selectors.chain_map(selectors.nodes(cast.acme, a), selectors.legs(cast.acme, a))
    x = {p.node.name: p.x for p in chain.points}
    assert x["Shenzhen Homeware"] < x["Port of Los Angeles"] < x["Joliet DC"]
    assert x["Monterrey plant"] == x["Shenzhen Homeware"]
    assert len(chain.lines) == 3


def test_a_leg_needs_two_points_of_the_same_map(cast):
    a, nodes = mapped(cast)
    with pytest.raises(DomainError, match="from one point to another"):
        services.add_leg(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            values={"flow": "x", "origin": nodes["la"], "destination": nodes["la"], "mode": "rail"},
        )


def test_threat_ratings_update_the_reusable_country_table(cast):
    a, _nodes = mapped(cast)
    rate(cast, a, {("MX", "contraband"): Level.HIGH})
    table = CountryThreat.objects.for_org(cast.acme).get()
    assert (table.country.code, table.threat, table.level) == ("MX", "contraband", Level.HIGH)
    assert table.sources == "State Dept. advisory, 2025-10"


def test_the_country_table_imports_from_csv_all_or_nothing(cast):
    good = b"country,threat,level,sources,assessed_on\nMexico,contraband,High,OSAC 2025,2025-10-01\nCN,cyber,m,,2025-10-01\n"
    assert services.import_country_threats(org=cast.acme, actor=cast.owner, content=good) == 2
    bad = b"country,threat,level\nAtlantis,contraband,High\nMX,piracy,Low\nMX,cyber,severe\n"
    with pytest.raises(DomainError) as refused:
        services.import_country_threats(org=cast.acme, actor=cast.owner, content=bad)
    message = str(refused.value.message)
    assert "Row 2: 'Atlantis' is not a country." in message
    assert "Row 3: 'piracy' is not a threat" in message
    assert "Row 4: the level must be High, Medium or Low." in message
    assert CountryThreat.objects.for_org(cast.acme).count() == 2


def test_vulnerabilities_start_from_the_self_assessment_and_changes_need_a_reason(cast):
    catalog.set_entity_types(org=cast.acme, actor=cast.owner, chosen={"IMP": "us"})
    cycle = assessments.start_cycle(org=cast.acme, actor=cast.owner, kind="initial", title="Self")
    for r in Response.objects.for_org(cast.acme).filter(cycle=cycle, category=4):
        Response.objects.filter(pk=r.pk).update(status="not-met")
    for r in Response.objects.for_org(cast.acme).filter(cycle=cycle, category=6):
        Response.objects.filter(pk=r.pk).update(status="met")
    a, nodes = mapped(cast)
    node_list = selectors.nodes(cast.acme, a)
    services.refresh_vulnerabilities(
        org=cast.acme, assessment=a, suggestions=selectors.suggested_levels(cast.acme, node_list)
    )
    own = {v.category: v for v in Vulnerability.objects.for_org(cast.acme).filter(node=nodes["dc"])}
    assert own[4].level == Level.HIGH  # all cybersecurity answers are gaps
    assert own[6].level == Level.LOW  # all seal answers are met
    partner = Vulnerability.objects.for_org(cast.acme).get(node=nodes["supplier"], category=4)
    assert partner.level == Level.MEDIUM
    with pytest.raises(DomainError, match="give the reason"):
        services.save_vulnerabilities(
            org=cast.acme, actor=cast.owner, assessment=a, changes={own[6].pk: (Level.HIGH, "", 0)}
        )
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        changes={own[6].pk: (Level.HIGH, "New dock, no seal log yet", 0)},
    )
    own[6].refresh_from_db()
    assert (own[6].level, own[6].reason) == (Level.HIGH, "New dock, no seal log yet")


def scored(cast):
    a, nodes = mapped(cast)
    rate(
        cast,
        a,
        {
            ("MX", "contraband"): Level.HIGH,
            ("MX", "cyber"): Level.LOW,
            ("US", "terrorism"): Level.LOW,
        },
    )
    services.refresh_vulnerabilities(
        org=cast.acme,
        assessment=a,
        suggestions=selectors.suggested_levels(cast.acme, selectors.nodes(cast.acme, a)),
    )
    return a, nodes


def test_risk_is_the_relevant_threat_times_the_vulnerability(cast):
    a, _nodes = scored(cast)
    found = {(r.node.name, r.category): r for r in selectors.risks(cast.acme, a)}
    mx_seals = found[("Monterrey plant", 6)]
    assert (mx_seals.threat, mx_seals.vulnerability, mx_seals.score, mx_seals.band) == (
        3,
        2,
        6,
        "high",
    )
    mx_cyber = found[("Monterrey plant", 4)]
    assert (mx_cyber.threat, mx_cyber.score, mx_cyber.band) == (1, 2, "low")
    assert found[("Shenzhen Homeware", 6)].band == "unrated"  # China's threats are not rated yet
    ranked = selectors.risks(cast.acme, a)
    assert ranked[0].score == 6
    grid = selectors.heat_map(ranked, a)
    # High threat, medium vulnerability: Monterrey, all 12 categories but 4 and 8.
    assert (grid[0][1].count, grid[0][1].band) == (10, "high")
    # The cells take their colour from the matrix: medium threat times high vulnerability is 6.
    assert [[cell.band for cell in row] for row in grid] == [
        ["medium", "high", "high"],
        ["low", "medium", "high"],
        ["low", "low", "medium"],
    ]
    a.high_from = 9
    assert selectors.band(6, a) == "medium"  # the matrix is configurable


def test_a_risk_becomes_an_action(cast, as_user):
    a, nodes = scored(cast)
    response = as_user(cast.contributor).post(
        reverse("risk:detail", args=[cast.acme.slug, a.pk]),
        {"risk_action": "1", "node": nodes["mx"].pk, "category": 6},
    )
    action = Action.objects.for_org(cast.acme).get()
    assert (
        response["Location"]
        == reverse("actions:detail", args=[cast.acme.slug, action.pk]) + "#main"
    )
    assert action.source == "risk"
    assert "Monterrey plant" in action.title
    assert (action.risk_point_id, action.risk_category) == (nodes["mx"].pk, 6)
    # The page now shows the planned action instead of offering a second one.
    page = as_user(cast.viewer).get(reverse("risk:detail", args=[cast.acme.slug, a.pk]))
    planned = [act for risk, act in page.context["risk_rows"] if risk.node == nodes["mx"]]
    assert action in planned
    again = as_user(cast.contributor).post(
        reverse("risk:detail", args=[cast.acme.slug, a.pk]),
        {"risk_action": "1", "node": nodes["mx"].pk, "category": 6},
        follow=True,
    )
    assert "This risk has its action already" in again.content.decode()
    assert Action.objects.for_org(cast.acme).count() == 1
    detail = as_user(cast.viewer).get(reverse("actions:detail", args=[cast.acme.slug, action.pk]))
    assert "treats the risk at Monterrey plant, MSC category 6" in detail.content.decode()


def test_next_year_starts_from_this_one_and_shows_what_changed(cast, as_user):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia")
    b = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=a
    )
    assert len(selectors.nodes(cast.acme, b)) == 4
    assert len(selectors.legs(cast.acme, b)) == 3
    assert b.participants == "Olivia"
    services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=b,
        values={"name": "Hanoi supplier", "kind": "supplier", "country": "VN"},
    )
    rate(cast, b, {("MX", "contraband"): Level.MEDIUM})
    page = as_user(cast.viewer).get(reverse("risk:compare", args=[cast.acme.slug, b.pk]))
    changes = {(c.kind_label, c.subject, c.before, c.after) for c in page.context["changes"]}
    assert ("Point", "Hanoi supplier (VN)", "", "Hanoi supplier (VN)") in changes
    assert ("Threat", "Mexico, Contraband smuggling", "High", "Medium") in changes


def test_changing_a_documented_map_flags_it_for_review(cast):
    a, _nodes = mapped(cast)
    document(cast, a, participants="Olivia")
    services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        values={"name": "New warehouse", "kind": "warehouse", "country": "US"},
    )
    a.refresh_from_db()
    assert "New warehouse" in a.needs_review


def test_owners_and_managers_hear_once_that_a_documented_map_changed(cast, committed):
    a, _nodes = mapped(cast)
    document(cast, a, participants="")
    mail.outbox.clear()
    for name in ("New warehouse", "Second warehouse"):
        with committed():
            services.add_node(
                org=cast.acme,
                actor=cast.manager,
                assessment=a,
                values={"name": name, "kind": "warehouse", "country": "US"},
            )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ACME_LEADS
    assert "New warehouse" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("days_left", "reminded"),
    [
        (45, False),
        (30, True),
        (29, False),
        (7, True),
        (1, False),
        (0, True),
        (-1, False),
        (-7, True),
    ],
)
def test_reminders_fall_a_month_and_a_week_before_the_due_date_then_weekly(days_left, reminded):
    today = datetime.date(2026, 3, 1)
    due = today + datetime.timedelta(days=days_left)
    assert selectors.reminder_due(due, today) is reminded
    assert selectors.reminder_due(None, today) is False


def test_the_daily_command_reminds_only_of_the_newest_assessment_when_due(cast):
    today = timezone.localdate()
    old = services.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2025", year=2025)
    RiskAssessment.objects.filter(pk=old.pk).update(next_due=today + datetime.timedelta(days=7))
    norte = services.start_assessment(org=cast.norte, actor=cast.outsider, title="R", year=2025)
    RiskAssessment.objects.filter(pk=norte.pk).update(next_due=today + datetime.timedelta(days=8))
    mail.outbox.clear()
    call_command("send_risk_reminders", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [ACME_LEADS]
    assert "Risk 2025" in mail.outbox[0].body
    assert "due soon" in mail.outbox[0].subject

    services.start_assessment(org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026)
    mail.outbox.clear()
    call_command("send_risk_reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_page_renders_every_step(cast, as_user):
    a, _nodes = scored(cast)
    html = (
        as_user(cast.viewer)
        .get(reverse("risk:detail", args=[cast.acme.slug, a.pk]))
        .content.decode()
    )
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
    fills = re.findall(r'fill="(#[0-9a-f]{6})" opacity', heat)
    red, amber, green = "#b42318", "#d69e2e", "#1f7a4d"
    assert fills == [amber, red, red, green, amber, red, green, green, amber]


def test_the_report_records_the_method_map_ratings_and_risks(cast, as_user):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia Ortega (COO)")
    client = as_user(cast.viewer)
    pdf = PdfReader(
        io.BytesIO(client.get(reverse("risk:report_pdf", args=[cast.acme.slug, a.pk])).content)
    )
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "five-step",
        "Olivia Ortega (COO)",
        "Supply chain map",
        "Monterrey plant",
        "Port of Los Angeles",
        "Heat map",
        "State Dept. advisory",
    ):
        assert expected in text, expected
    doc = Document(
        io.BytesIO(client.get(reverse("risk:report_docx", args=[cast.acme.slug, a.pk])).content)
    )
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Monterrey plant (MX)" in body
    assert "Olivia Ortega (COO)" in body
    # The map is in the Word file as a picture: four columns of points, drawn on white.
    [shape] = doc.inline_shapes
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    picture = Image.open(io.BytesIO(doc.part.related_parts[blip].blob))
    assert picture.format == "PNG"
    assert picture.width > 2 * picture.height
    colours = {colour for _count, colour in picture.getcolors(maxcolors=100_000)}
    assert (255, 255, 255) in colours
    assert len(colours) > 10


def test_documenting_records_participants_and_the_next_due_date(cast, as_user):
    a, _nodes = mapped(cast)
    client = as_user(cast.manager)
    url = reverse("risk:detail", args=[cast.acme.slug, a.pk])
    today = timezone.localdate()
    past = client.post(
        url, {"finalise": "1", "participants": "Olivia", "next_due": today.isoformat()}
    )
    assert "Choose a date after today." in past.content.decode()
    a.refresh_from_db()
    assert a.finalised_at is None

    due = today + datetime.timedelta(days=180)
    done = client.post(
        url, {"finalise": "1", "participants": "Olivia (COO)", "next_due": due.isoformat()}
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert (a.participants, a.next_due) == ("Olivia (COO)", due)
    assert a.finalised_at is not None
    listing = client.get(reverse("risk:list", args=[cast.acme.slug])).content.decode()
    assert "documented" in listing


def test_the_assessment_page_makes_the_same_queries_for_a_small_or_large_map(cast, as_user):
    a, nodes = scored(cast)
    client = as_user(cast.viewer)
    url = reverse("risk:detail", args=[cast.acme.slug, a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
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
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert "Supplier 11" in page.content.decode()
    assert len(large) == len(small)
    # Reading the page writes nothing: new points got their suggested ratings when added.
    assert not [q for q in large.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert Vulnerability.objects.filter(node__name="Supplier 11").count() == 12


def test_a_leg_rated_apart_from_its_countries_weighs_on_the_points_at_both_ends(cast, as_user):
    a, _nodes = scored(cast)
    truck = next(leg for leg in selectors.legs(cast.acme, a) if leg.mode == "truck")
    client = as_user(cast.contributor)
    url = reverse("risk:detail", args=[cast.acme.slug, a.pk])
    page = client.get(url).content.decode()
    assert "Countries: High" in page  # Mexico's contraband rating reaches the leg

    before = {(r.node.name, r.category): r for r in selectors.risks(cast.acme, a)}
    assert before[("Joliet DC", 6)].threat == 1  # the U.S.: terrorism rated Low only
    client.post(url, {"threats": "1", f"l:{truck.pk}:organised-crime": "3"})
    after = {(r.node.name, r.category): r for r in selectors.risks(cast.acme, a)}
    assert after[("Joliet DC", 6)].threat == 3
    assert after[("Joliet DC", 4)].threat is None  # cybersecurity meets cyber threats only
    assert after[("Port of Los Angeles", 6)].threat == 1  # not on that leg

    pdf = PdfReader(io.BytesIO(client.get(f"{url}report.pdf").content))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Legs rated apart from their countries" in text
    assert "Organised crime: High" in text

    b = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=a
    )
    new_truck = next(leg for leg in selectors.legs(cast.acme, b) if leg.mode == "truck")
    assert selectors.leg_threats(cast.acme, b) == {(new_truck.pk, "organised-crime"): 3}
    client.post(
        reverse("risk:detail", args=[cast.acme.slug, b.pk]),
        {
            "threats": "1",
            f"l:{new_truck.pk}:organised-crime": "",
            f"lv:{new_truck.pk}:organised-crime": "1",
        },
    )
    assert selectors.leg_threats(cast.acme, b) == {}
    changes = selectors.compare(cast.acme, a, b)
    assert [(c.kind, c.before, c.after) for c in changes if c.kind == "leg-threat"] == [
        ("leg-threat", "High", "")
    ]


def test_a_leg_of_another_assessment_cannot_be_rated(cast):
    a, _nodes = mapped(cast)
    b, _other = mapped(cast, year=2026)
    foreign = selectors.legs(cast.acme, b)[0]
    with pytest.raises(DomainError):
        services.save_leg_threats(
            org=cast.acme,
            actor=cast.owner,
            assessment=a,
            levels={(foreign.pk, "terrorism"): services.Rated(3)},
        )


def test_a_stale_rating_grid_never_undoes_someone_elses_change(cast, as_user):
    a, _nodes = scored(cast)
    url = reverse("risk:detail", args=[cast.acme.slug, a.pk])
    carla, manuel = as_user(cast.contributor), as_user(cast.manager)
    loaded = ThreatRating.objects.get(assessment=a, country="MX", threat="contraband")
    # Both open the page; Manuel lowers Mexico's contraband rating first.
    manuel.post(
        url,
        {"threats": "1", "t:MX:contraband": "2", "tv:MX:contraband": str(loaded.version)},
    )
    # Carla's form still says High for it, with the version she loaded, and she rates cyber.
    page = carla.post(
        url,
        {
            "threats": "1",
            "t:MX:contraband": "3",
            "tv:MX:contraband": str(loaded.version),
            "t:MX:cyber": "3",
            "tv:MX:cyber": str(
                ThreatRating.objects.get(assessment=a, country="MX", threat="cyber").version
            ),
        },
        follow=True,
    )
    assert "Someone else changed these ratings" in page.content.decode()
    rated = {t.threat: t.level for t in selectors.threats(cast.acme, a) if t.country == "MX"}
    assert rated == {"contraband": Level.MEDIUM, "cyber": Level.LOW}  # nothing of Carla's

    # A cell she did not change goes through even though its version moved.
    fresh = ThreatRating.objects.get(assessment=a, country="MX", threat="contraband")
    carla.post(
        url,
        {"threats": "1", "t:MX:contraband": "2", "tv:MX:contraband": str(loaded.version)},
    )
    fresh.refresh_from_db()
    assert fresh.level == Level.MEDIUM


def test_choosing_no_rating_clears_one(cast, as_user):
    a, _nodes = scored(cast)
    rating = ThreatRating.objects.get(assessment=a, country="MX", threat="cyber")
    as_user(cast.contributor).post(
        reverse("risk:detail", args=[cast.acme.slug, a.pk]),
        {"threats": "1", "t:MX:cyber": "", "tv:MX:cyber": str(rating.version)},
    )
    assert not ThreatRating.objects.filter(pk=rating.pk).exists()
    # The organisation's country table keeps what it knew.
    assert CountryThreat.objects.for_org(cast.acme).filter(country="MX", threat="cyber").exists()


def test_a_stale_vulnerability_grid_is_refused(cast, as_user):
    a, nodes = scored(cast)
    url = reverse("risk:detail", args=[cast.acme.slug, a.pk])
    as_user(cast.viewer).get(url)
    v = Vulnerability.objects.get(assessment=a, node=nodes["mx"], category=6)
    seen = v.version
    services.save_vulnerabilities(
        org=cast.acme,
        actor=cast.manager,
        assessment=a,
        changes={v.pk: (Level.HIGH, "No seal log at the plant", 0)},
    )
    page = as_user(cast.contributor).post(
        url,
        {
            "vulnerabilities": "1",
            f"v:{v.pk}": str(Level.LOW),
            f"r:{v.pk}": "New seals",
            f"vv:{v.pk}": str(seen),
        },
        follow=True,
    )
    assert "Someone else changed these ratings" in page.content.decode()
    v.refresh_from_db()
    assert (v.level, v.reason) == (Level.HIGH, "No seal log at the plant")


@pytest.mark.parametrize(
    "form",
    [
        {"risk_action": "1", "node": "abc", "category": "6"},
        {"risk_action": "1", "node": "99999999999999", "category": "x"},
        {"vulnerabilities": "1", "v:abc": "3", "vv:abc": "z"},
        {"threats": "1", "t:ZZ:terrorism": "3"},
        {"threats": "1", "l:abc:terrorism": "3", "t:MX:nothing": "3"},
    ],
)
def test_malformed_grid_posts_get_a_clear_answer(cast, as_user, form):
    a, _nodes = scored(cast)
    before = sorted(t.level for t in selectors.threats(cast.acme, a))
    response = as_user(cast.contributor).post(
        reverse("risk:detail", args=[cast.acme.slug, a.pk]), form
    )
    assert response.status_code < 500
    assert sorted(t.level for t in selectors.threats(cast.acme, a)) == before


def test_a_point_is_corrected_with_the_version_check(cast, as_user):
    a, nodes = mapped(cast)
    document(cast, a)
    point = nodes["mx"]
    url = reverse("risk:node_edit", args=[cast.acme.slug, point.pk])
    client = as_user(cast.contributor)
    form = {"name": "Monterrey plant 2", "kind": "supplier", "country": "MX", "version": 1}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "name": "Apodaca plant"})
    assert "Someone else saved this record" in stale.content.decode()
    point.refresh_from_db()
    assert point.name == "Monterrey plant 2"
    a.refresh_from_db()
    assert "Monterrey plant (MX) is now Monterrey plant 2 (MX)" in a.needs_review


def test_a_leg_cannot_be_turned_into_a_loop(cast, as_user):
    a, nodes = mapped(cast)
    leg = next(x for x in selectors.legs(cast.acme, a) if x.mode == "truck")
    page = as_user(cast.contributor).post(
        reverse("risk:leg_edit", args=[cast.acme.slug, leg.pk]),
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
    from safelane.core.models import AuditEntry

    a, nodes = scored(cast)
    url = reverse("risk:node_delete", args=[cast.acme.slug, nodes["mx"].pk])
    client = as_user(cast.contributor)
    question = client.get(url).content.decode()
    assert "Monterrey plant → Joliet DC (Truck)" in question  # the leg that goes with it
    assert selectors.nodes(cast.acme, a)  # nothing removed by looking
    assert client.post(url).status_code == 302
    assert "Monterrey plant" not in {n.name for n in selectors.nodes(cast.acme, a)}
    assert all(leg.mode != "truck" for leg in selectors.legs(cast.acme, a))
    assert not Vulnerability.objects.filter(node_id=nodes["mx"].pk).exists()
    removed = AuditEntry.objects.for_org(cast.acme).filter(action="delete")
    assert {e.object_repr for e in removed} >= {
        "Monterrey plant (MX)",
        "Monterrey plant → Joliet DC (Truck)",
    }
    assert as_user(cast.viewer).get(url).status_code == 403


def test_the_report_is_built_in_the_background_in_the_readers_language(cast, as_user, committed):
    from safelane.jobs.models import Job

    a, _nodes = scored(cast)
    client = as_user(cast.viewer)  # an auditor may produce the report
    client.post(reverse("set_language"), {"language": "es"})
    with committed():
        response = client.post(reverse("risk:report_docx", args=[cast.acme.slug, a.pk]))
    job = Job.objects.for_org(cast.acme).get()
    assert response["Location"] == reverse("jobs:detail", args=[cast.acme.slug, job.pk])
    assert (job.status, job.result_name) == ("done", "acme-imports-risk-assessment-2025.docx")
    download = client.get(reverse("jobs:download", args=[cast.acme.slug, job.pk]))
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Participantes" in headings


def test_the_api_reads_an_assessment_with_its_map_and_scored_risks(cast, client):
    from safelane.accounts.tokens import create_token

    a, nodes = scored(cast)
    _, raw = create_token(user=cast.viewer, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    base = f"/api/v1/orgs/{cast.acme.slug}/risk-assessments/"
    listing = client.get(base).json()["results"]
    assert [x["title"] for x in listing] == ["Risk 2025"]
    detail = client.get(f"{base}{a.pk}/").json()
    assert {p["name"] for p in detail["points"]} >= {"Monterrey plant", "Joliet DC"}
    assert len(detail["legs"]) == 3
    top = detail["risks"][0]
    assert (top["point"], top["score"], top["band"]) == (nodes["mx"].pk, 6, "high")
    assert {"country": "MX", "threat": "contraband", "level": 3}.items() <= next(
        t for t in detail["threats"] if t["threat"] == "contraband"
    ).items()
    stranger = client.get(f"/api/v1/orgs/{cast.norte.slug}/risk-assessments/")
    assert stranger.status_code == 404
    assert client.post(base, {}, content_type="application/json").status_code == 403
