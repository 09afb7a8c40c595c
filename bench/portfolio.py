"""The consultant's portfolio with 2 and with 50 client organisations: the page and its API,
their SQL statements (which must not grow) and their time.

`python -m bench.portfolio [--smoke]` sets up a throwaway SQLite database (or DATABASE_URL) and
prints JSON.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from pathlib import Path


def run(consultant, client, owner, smoke: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.__main__ import statements, summary, timed
    from safelane.actions import services as actions
    from safelane.membership import services as membership
    from safelane.orgs import services
    from safelane.orgs.models import Role

    def add_clients(start: int, n: int) -> None:
        for i in range(start, start + n):
            org = services.create_organisation(actor=owner, name=f"Client {i:02}", country="US")
            services.add_member(org=org, actor=owner, user=consultant, role=Role.MANAGER)
            membership.change_status(
                org=org,
                actor=owner,
                status="certified",
                on=datetime.date(2024, 2, 29) + datetime.timedelta(days=i * 7),
                expected_version=None,
            )
            for k in range(3):
                actions.create_action(
                    org=org,
                    actor=owner,
                    values={
                        "title": f"Action {k}",
                        "due_date": datetime.date.today() + datetime.timedelta(days=k * 10),
                    },
                    notify=False,
                )

    def measure(url: str) -> dict:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        count = statements(captured)  # before the timed runs, which reset the query log
        return summary(timed(lambda: client.get(url), 3 if smoke else 20), count)

    results = {}
    add_clients(0, 2)
    results["page_2_clients"] = measure("/portfolio/")
    results["api_2_clients"] = measure("/api/v1/portfolio/")
    add_clients(2, 48)
    results["page_50_clients"] = measure("/portfolio/")
    results["api_50_clients"] = measure("/api/v1/portfolio/")
    results["flat"] = (
        results["page_2_clients"]["queries"] == results["page_50_clients"]["queries"]
        and results["api_2_clients"]["queries"] == results["api_50_clients"]["queries"]
    )
    return results


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safelane-bench-portfolio-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from safelane.accounts.models import User

    settings.MEDIA_ROOT = str(tmp / "media")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("owner@example.com", "bench-password", full_name="Owner")
    consultant = User.objects.create_user("consultant@example.com", "bench-password")
    client = Client()
    client.force_login(consultant)
    smoke = "--smoke" in sys.argv[1:]
    output = {
        "database": connection.vendor,
        "smoke": smoke,
        "results": run(consultant, client, owner, smoke),
    }
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
