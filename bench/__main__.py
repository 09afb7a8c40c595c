"""Benchmarks of the pages and operations people use most, printed as JSON.

Runs against a fresh SQLite database in a temporary directory, or the database in DATABASE_URL
(use a scratch PostgreSQL database: the benchmark writes to it). Run with `make bench`.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def timed(fn, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def summary(timings, queries=None):
    ordered = sorted(timings)
    result = {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "runs": len(ordered),
    }
    if queries is not None:
        result["queries"] = queries
    return result


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def statements(captured):
    """SQL statements run, not counting transaction control (BEGIN, COMMIT, savepoints)."""
    return len(
        [q for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    )


# The sizes the issues name; `python -m bench --smoke` runs everything tiny, so that the suite
# can prove the benchmarks still run (their timings mean nothing then).
SMOKE = "--smoke" in sys.argv[1:]
SIZE = {
    "members": 3 if SMOKE else 200,
    "role_changes": 4 if SMOKE else 2000,
    "own_criteria": 2 if SMOKE else 46,
    "more_cycles": 2 if SMOKE else 198,
    "runs": 1 if SMOKE else 30,
    "document_runs": 1 if SMOKE else 3,
    "points": 4 if SMOKE else 60,
    "legs": 4 if SMOKE else 80,
}

RISK_COUNTRIES = ["CN", "VN", "MX", "IN", "BD", "TR", "DE", "BR", "US", "CO"]


def risk_bench(org, owner, client, page):
    """A large map: 60 points in 10 countries, 80 legs, every threat rated, then a new year."""
    from safelane.risk import services as risk

    assessment = risk.start_assessment(org=org, actor=owner, title="Bench risk", year=2025)
    points = [
        risk.add_node(
            org=org,
            actor=owner,
            assessment=assessment,
            values={
                "name": f"Point {n}",
                "kind": "supplier" if n % 3 else "warehouse",
                "country": RISK_COUNTRIES[n % len(RISK_COUNTRIES)],
            },
        )
        for n in range(SIZE["points"])
    ]
    for n in range(SIZE["legs"]):
        risk.add_leg(
            org=org,
            actor=owner,
            assessment=assessment,
            values={
                "flow": f"Flow {n % 8}",
                "origin": points[n % len(points)],
                "destination": points[(n * 7 + 1) % len(points)],
                "mode": ["ocean", "rail", "truck", "air"][n % 4],
            },
        )
    levels = {
        (country, threat): risk.Rated(1 + (i + j) % 3)
        for i, country in enumerate(RISK_COUNTRIES[: len(points)])
        for j, threat in enumerate(
            ["terrorism", "contraband", "human-smuggling", "organised-crime", "conditions"]
        )
    }
    risk.save_threat_grid(
        org=org, actor=owner, assessment=assessment, countries=levels, sources={}, legs={}
    )
    url = f"/o/{org.slug}/risk/{assessment.pk}/"
    results = {"risk_page_60_points": page(client, url, repeat=max(1, SIZE["runs"] // 3))}

    results["risk_report_pdf"] = summary(
        timed(lambda: client.get(f"{url}report.pdf"), SIZE["document_runs"])
    )
    start = time.perf_counter()
    risk.start_assessment(
        org=org, actor=owner, title="Bench risk 2", year=2026, from_assessment=assessment
    )
    results["risk_next_year_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return results


def check(name, measured, budget):
    """One figure beside its budget: the ratio above 1 is a regression to look at."""
    if measured is None:
        return {"name": name, "measured": None, "budget": budget, "ratio": None, "within": None}
    ratio = round(measured / budget, 2) if budget else None
    return {
        "name": name,
        "measured": measured,
        "budget": budget,
        "ratio": ratio,
        "within": measured <= budget,
    }


def checks(results, import_seconds):
    """Each budgeted figure with its budget and ratio, so a regression is seen at a glance."""
    page_200 = results.get("assessment_page_200_cycles") or {}
    start = results.get("start_cycle_140_responses") or {}
    risk_page = results.get("risk_page_60_points") or {}
    imported = results.get("partner_import") or {}
    return [
        check("assessment page, median ms", page_200.get("median_ms"), 50),
        check("assessment page, queries", page_200.get("queries"), 15),
        check("start a cycle, median ms", start.get("median_ms"), 30),
        check("start a cycle, queries", start.get("queries"), 13),
        check("profile PDF, median ms", (results.get("profile_pdf") or {}).get("median_ms"), 3000),
        check("risk page, queries", risk_page.get("queries"), 20),
        check("partner import, seconds", imported.get("seconds"), import_seconds),
    ]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safelane-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safelane.accounts.models import User
    from safelane.accounts.tokens import create_token
    from safelane.assessments import exports
    from safelane.assessments import services as assessments
    from safelane.assessments.models import Response
    from safelane.catalog import services as catalog
    from safelane.evidence import services as evidence
    from safelane.orgs import services
    from safelane.orgs.models import Membership, Role

    settings.MEDIA_ROOT = tmp / "media"
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("owner@bench.test", "bench-password")
    org = services.create_organisation(actor=owner, name="Bench Imports", country="US")
    for n in range(SIZE["members"]):
        user = User.objects.create_user(f"m{n}@bench.test", "bench-password")
        services.add_member(org=org, actor=owner, user=user, role=Role.CONTRIBUTOR)
    member = Membership.objects.for_org(org).exclude(user=owner).first()
    for n in range(SIZE["role_changes"]):
        member = services.change_role(
            org=org, actor=owner, membership=member, role=Role.VIEWER if n % 2 else Role.MANAGER
        )

    # An importer with 46 criteria of its own: 140 responses per cycle, as the issue sizes it.
    catalog.set_entity_types(org=org, actor=owner, chosen={"IMP": "us"})
    for n in range(SIZE["own_criteria"]):
        catalog.save_own_criterion(
            org=org,
            actor=owner,
            values={"code": f"OWN-{n:02d}", "must_should": "must", "requirement": f"Control {n}"},
        )
    cycle = assessments.start_cycle(org=org, actor=owner, kind="initial", title="Bench cycle")
    rows = list(Response.objects.for_org(org).filter(cycle=cycle))
    for index, response in enumerate(rows):
        assessments.update_response(
            org=org,
            actor=owner,
            response=response,
            expected_version=None,
            values={
                "status": ["met", "partial", "not-met"][index % 3],
                "narrative": f"How we meet {response.criterion_ident}. " * 8,
            },
        )
        if index % 2 == 0:
            item = evidence.create_evidence(
                org=org,
                actor=owner,
                values={"title": f"Evidence {index}"},
                upload=SimpleUploadedFile(f"e{index}.txt", f"record {index}".encode()),
            )
            evidence.link(org=org, actor=owner, evidence=item, subject=response)

    client = Client()
    client.force_login(owner)
    _, token = create_token(user=owner, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def page(who, url, repeat=SIZE["runs"]):
        who.get(url)
        timings = timed(lambda: who.get(url), repeat)
        with CaptureQueriesContext(connection) as queries:
            assert who.get(url).status_code == 200, url
        return summary(timings, statements(queries))

    assessment_url = f"/o/{org.slug}/assessments/{cycle.pk}/"
    results = {
        "dashboard": page(client, f"/o/{org.slug}/"),
        "members": page(client, f"/o/{org.slug}/members/"),
        "audit_log": page(client, f"/o/{org.slug}/audit/"),
        "catalog": page(client, f"/o/{org.slug}/catalog/"),
        "eligibility": page(client, f"/o/{org.slug}/eligibility/"),
        "api_members": page(api, f"/api/v1/orgs/{org.slug}/members/"),
        "api_audit_entries": page(api, f"/api/v1/orgs/{org.slug}/audit-entries/"),
        "assessment_page_2_cycles": None,
        "assessment_page_200_cycles": None,
    }
    # One assessment is open at a time: each is closed before the next starts (not timed).
    assessments.close_cycle(org=org, actor=owner, cycle=cycle)
    latest = assessments.start_cycle(
        org=org, actor=owner, kind="annual", title="Second", from_cycle=cycle
    )
    results["assessment_page_2_cycles"] = page(client, assessment_url)

    start_timings, start_queries = [], []
    for n in range(SIZE["more_cycles"]):
        assessments.close_cycle(org=org, actor=owner, cycle=latest)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            latest = assessments.start_cycle(
                org=org, actor=owner, kind="annual", title=f"Cycle {n}", from_cycle=cycle
            )
            start_timings.append((time.perf_counter() - start) * 1000)
        start_queries.append(statements(queries))
    results["assessment_page_200_cycles"] = page(client, assessment_url)
    results["start_cycle_140_responses"] = summary(start_timings, max(start_queries))

    report = exports.build_report(org, cycle)
    results["profile_pdf"] = summary(
        timed(lambda: exports.as_pdf(exports.build_report(org, cycle)), SIZE["document_runs"])
    )
    results["profile_docx"] = summary(timed(lambda: exports.as_docx(report), SIZE["document_runs"]))

    results.update(risk_bench(org, owner, client, page))

    from bench import partners, portfolio, scale, screening, training

    results["partner_import"] = partners.run(org, owner, client, SMOKE)
    results["training"] = training.run(org, owner, client, SMOKE)
    consultant = User.objects.create_user("consultant@bench.test", "bench-password")
    as_consultant = Client()
    as_consultant.force_login(consultant)
    results["portfolio"] = portfolio.run(consultant, as_consultant, owner, SMOKE)
    # The screening benchmark times the `safelane screen` command on its own database.
    results["screening_command"] = screening.run(SMOKE)
    # The offline ranker of #17 on its labelled paragraphs, against the catalog just loaded.
    from bench import mapping
    from safelane.mapping.ranking import catalog_criteria

    results["mapping"] = mapping.run(SMOKE, criteria=catalog_criteria())
    # The demo organisation grown to a large tenant's size (evidence, actions, risk, packages).
    scaled = scale.run(SMOKE)
    results["scale"] = scaled["results"]

    output = {
        "database": connection.vendor,
        "smoke": SMOKE,
        "members": SIZE["members"] + 1,
        "responses_per_cycle": len(rows),
        "cycles": SIZE["more_cycles"] + 2,
        "budgets": {
            "assessment_page": {"median_ms": 50, "queries": 15},
            "start_cycle": {"median_ms": 30, "queries": 10},
            "profile_pdf": {"median_ms": 3000},
            "risk_page": {"queries": 20},
            "partner_import_50000_rows": {"seconds": partners.TARGET_SECONDS},
            "screening_command": screening.TARGETS,
            "scale": {
                "page_at_scale_x_demo": scale.PAGE_RATIO,
                "risk_report_docx": {"seconds": scale.REPORT_SECONDS, "mb": scale.REPORT_MB},
                "map_picture_px": scale.PICTURE_PIXELS,
                "package_peak_growth": scale.PACKAGE_GROWTH,
            },
        },
        "checks": checks(results, partners.TARGET_SECONDS)
        + [check(*row) for row in scaled["checks"]],
        "results": results,
    }
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
