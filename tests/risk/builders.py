"""Risk assessments the tests build: a four-point map, its threat ratings, its risks."""

from safelane.risk import selectors, services
from safelane.risk.models import Level

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


def rate(cast, a, levels, legs=None):
    services.save_threat_grid(
        org=cast.acme,
        actor=cast.owner,
        assessment=a,
        countries={key: services.Rated(level) for key, level in levels.items()},
        sources={"MX": "State Dept. advisory, 2025-10"},
        legs={key: services.Rated(level) for key, level in (legs or {}).items()},
    )


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
