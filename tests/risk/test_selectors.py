"""Reads of the risk assessment: the map's layout, scores, the heat map, reminders, changes."""

import datetime

import pytest

from safelane.risk import selectors, services
from safelane.risk.models import Level
from tests.risk.builders import document, mapped, rate, scored


def test_the_map_is_drawn_left_to_right_along_the_flows(cast):
    a, _nodes = mapped(cast)
    chain = selectors.chain_map(selectors.nodes(cast.acme, a), selectors.legs(cast.acme, a))
    x = {p.node.name: p.x for p in chain.points}
    assert x["Shenzhen Homeware"] < x["Port of Los Angeles"] < x["Joliet DC"]
    assert x["Monterrey plant"] == x["Shenzhen Homeware"]
    assert len(chain.lines) == 3


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


def test_a_leg_rated_apart_weighs_on_the_points_at_both_ends(cast):
    a, _nodes = scored(cast)
    truck = next(leg for leg in selectors.legs(cast.acme, a) if leg.mode == "truck")
    before = {(r.node.name, r.category): r for r in selectors.risks(cast.acme, a)}
    assert before[("Joliet DC", 6)].threat == 1  # the U.S.: terrorism rated Low only
    rate(cast, a, {}, legs={(truck.pk, "organised-crime"): Level.HIGH})
    after = {(r.node.name, r.category): r for r in selectors.risks(cast.acme, a)}
    assert after[("Joliet DC", 6)].threat == 3
    assert after[("Joliet DC", 4)].threat is None  # cybersecurity meets cyber threats only
    assert after[("Port of Los Angeles", 6)].threat == 1  # not on that leg


def test_the_page_view_names_its_parts(cast):
    a, _nodes = scored(cast)
    view = selectors.assessment_view(cast.acme, a)
    mexico = next(row for row in view.threat_rows if row.code == "MX")
    contraband = next(cell for cell in mexico.cells if cell.threat == "contraband")
    assert (contraband.own.level, contraband.seen) == (Level.HIGH, contraband.own.version)
    assert mexico.sources == "State Dept. advisory, 2025-10"
    truck = next(row for row in view.leg_threat_rows if row.leg.mode == "truck")
    assert next(c for c in truck.cells if c.threat == "contraband").default == Level.HIGH
    assert {row.node.name for row in view.vuln_rows} >= {"Monterrey plant"}
    assert all(len(row.cells) == 12 for row in view.vuln_rows)


def test_next_year_shows_what_changed(cast):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia")
    b = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=a
    )
    services.add_node(
        org=cast.acme,
        actor=cast.owner,
        assessment=b,
        values={"name": "Hanoi supplier", "kind": "supplier", "country": "VN"},
    )
    rate(cast, b, {("MX", "contraband"): Level.MEDIUM})
    changes = {
        (c.kind_label, c.subject, c.before, c.after) for c in selectors.compare(cast.acme, a, b)
    }
    assert ("Point", "Hanoi supplier (VN)", "", "Hanoi supplier (VN)") in changes
    assert ("Threat", "Mexico, Contraband smuggling", "High", "Medium") in changes


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


def test_next_year_shows_a_new_operator_and_a_new_carrier(cast):
    a, _nodes = scored(cast)
    document(cast, a, participants="Olivia")
    b = services.start_assessment(
        org=cast.acme, actor=cast.owner, title="Risk 2026", year=2026, from_assessment=a
    )
    point = next(n for n in selectors.nodes(cast.acme, b) if n.name == "Monterrey plant")
    services.update_node(
        org=cast.acme,
        actor=cast.owner,
        node=point,
        expected_version=point.version,
        values={"operator": "Aceros del Norte"},
    )
    truck = next(x for x in selectors.legs(cast.acme, b) if x.mode == "truck")
    services.update_leg(
        org=cast.acme,
        actor=cast.owner,
        leg=truck,
        expected_version=truck.version,
        values={"custodian": "Transportes Rápidos", "rests": "Laredo yard, overnight"},
    )
    changes = {
        (c.kind_label, c.subject, c.before, c.after) for c in selectors.compare(cast.acme, a, b)
    }
    assert ("Point", "Monterrey plant (MX), run by", "", "Aceros del Norte") in changes
    leg = "Monterrey plant → Joliet DC (Truck)"
    assert ("Leg", f"{leg}, custody", "", "Transportes Rápidos") in changes
    assert ("Leg", f"{leg}, where cargo rests", "", "Laredo yard, overnight") in changes
