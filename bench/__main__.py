"""Benchmarks of the pages people open most, printed as JSON.

Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set): builds
an organisation with many members and audit entries, then times server-side rendering and
counts SQL queries for each page. Run with `make bench`.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safelane-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from safelane.accounts.models import User
    from safelane.accounts.tokens import create_token
    from safelane.orgs import services
    from safelane.orgs.models import Membership, Role

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("owner@bench.test", "bench-password")
    org = services.create_organisation(actor=owner, name="Bench Imports", country="US")
    for n in range(200):
        user = User.objects.create_user(f"m{n}@bench.test", "bench-password")
        services.add_member(org=org, actor=owner, user=user, role=Role.CONTRIBUTOR)
    member = Membership.objects.for_org(org).exclude(user=owner).first()
    for n in range(2000):
        member = services.change_role(
            org=org, actor=owner, membership=member, role=Role.VIEWER if n % 2 else Role.MANAGER
        )
    client = Client()
    client.force_login(owner)
    _, token = create_token(user=owner, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    pages = {
        "dashboard": (client, f"/o/{org.slug}/"),
        "members": (client, f"/o/{org.slug}/members/"),
        "audit_log": (client, f"/o/{org.slug}/audit/"),
        "audit_log_filtered": (client, f"/o/{org.slug}/audit/?action=update&q=m"),
        "api_members": (api, f"/api/v1/orgs/{org.slug}/members/"),
        "api_audit_entries": (api, f"/api/v1/orgs/{org.slug}/audit-entries/"),
    }
    results = {}
    for name, (who, url) in pages.items():
        who.get(url)  # warm caches
        timings = []
        for _ in range(30):
            start = time.perf_counter()
            response = who.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            who.get(url)
        results[name] = {
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
            "queries": len(queries),
        }
    report = {
        "database": connection.vendor,
        "members": 201,
        "audit_entries": 2000 + 202,
        "pages": results,
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
