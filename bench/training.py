"""Training: importing the people register as the background job does it (2,000 and 50,000 rows:
read, check every row, write in bulk), importing the same file again (every row an update), and
the training matrix page, its API and its XLSX export with 2,000 people and 20 courses.

`run(org, owner, client, smoke)` runs inside `python -m bench` like bench/partners.py; on its own,
`python -m bench.training [--smoke]` sets up a throwaway SQLite database (or DATABASE_URL) and
prints JSON.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SEED = 20261202
TARGET_SECONDS = {"2000": 5, "50000": 60}
SIZES = {False: (2_000, 50_000), True: (50, 200)}
ROLES = ["Driver", "Warehouse operator", "Shipping clerk", "Security guard", "Purchasing", "Office"]
SITES = ["Joliet DC", "Laredo yard", "Chicago office", "Monterrey plant"]
FIRST = ["Ana", "Luis", "María", "José", "Karen", "David", "Sofía", "Miguel", "Laura", "Jorge"]
LAST = ["García", "Smith", "Hernández", "Johnson", "López", "Brown", "Martínez", "Davis"]


def people_file(rows: int, offset: int = 0) -> bytes:
    """An HR export as people keep it: Spanish headers, dates, an active column."""
    rng = random.Random(SEED + offset)  # noqa: S311 (seeded test data, not a secret)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["Número de empleado", "Nombre", "Puesto", "Planta", "Fecha de ingreso", "Activo"]
    )
    for number in range(rows):
        writer.writerow(
            [
                f"E{100000 + number}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}",
                rng.choice(ROLES),
                rng.choice(SITES),
                f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "sí" if number % 50 else "no",
            ]
        )
    return out.getvalue().encode()


def timed_import(org, owner, content: bytes, name: str) -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from safelane.jobs import services as jobs
    from safelane.jobs.models import Job
    from safelane.training import imports, tasks

    headers, _rows = imports.read_table(content, name)
    mapping = imports.guess_mapping(headers)
    path = default_storage.save(f"bench/{name}", ContentFile(content))
    job = jobs.create_job(org=org, actor=owner, kind="people-import", title="Bench import")
    seen = []
    progress = jobs.progress

    def watched(job_row, *, done, total):
        seen.append(done)
        progress(job_row, done=done, total=total)

    jobs.progress = watched
    try:
        start, cpu = time.perf_counter(), time.process_time()
        tasks.import_people.call(org.pk, job.pk, owner.pk, path, name, mapping, False, False, "en")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        jobs.progress = progress
    finished = Job.objects.for_org(org).get(pk=job.pk)
    return {
        "status": finished.status,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "progress_updates": len(seen),
    }


def run(org, owner, client, smoke: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from safelane.training import services
    from safelane.training.models import Course, Person

    small, large = SIZES[smoke]
    results: dict = {"rows": [small, large], "target_seconds": TARGET_SECONDS}
    first = timed_import(org, owner, people_file(small), "people-small.csv")
    results[f"import_{small}"] = first
    results[f"reimport_{small}_unchanged"] = timed_import(
        org, owner, people_file(small), "people-small.csv"
    )
    changed = people_file(small).replace(b"Driver", b"Dispatcher")
    results[f"reimport_{small}_some_changed"] = timed_import(
        org, owner, changed, "people-changed.csv"
    )
    results[f"import_{large}"] = timed_import(org, owner, people_file(large), "people-large.csv")
    results["people_on_record"] = Person.objects.for_org(org).count()

    # The matrix at the size: 2,000 active people (the rest inactive), 20 courses.
    Person.objects.for_org(org).filter(employee_number__gte=f"E{100000 + small}").update(
        active=False
    )
    services.load_courses(org=org, actor=owner)
    shipped = list(Course.objects.for_org(org))
    for n in range(20 - len(shipped)):
        services.create_course(
            org=org,
            actor=owner,
            values={"title": f"Site procedure {n}", "topic": "other", "criteria": ["12.1"]},
        )
    courses = list(Course.objects.for_org(org))
    active = list(Person.objects.for_org(org).active()[: small // 2])
    for index, course in enumerate(courses):
        services.create_session(
            org=org,
            actor=owner,
            values={
                "held_on": timezone.localdate() - timezone.timedelta(days=30 * (index % 14)),
                "trainer": "Bench trainer",
                "mode": "classroom",
            },
            courses=[course],
            people=active,
        )

    def page(url, repeat):
        timings, queries = [], 0
        client.get(url)
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured.captured_queries)
        timings.sort()
        return {"median_ms": round(timings[len(timings) // 2], 2), "queries": queries}

    repeat = 1 if smoke else 5
    base = f"/o/{org.slug}/training/"
    results["active_people"] = Person.objects.for_org(org).active().count()
    results["courses"] = len(courses)
    results["attendance_rows"] = len(active) * len(courses)
    results["matrix_page"] = page(base, repeat)
    results["matrix_page_filtered"] = page(base + "?site=Laredo+yard&role=Driver", repeat)
    results["matrix_page_only_late"] = page(base + "?state=late", repeat)
    results["matrix_page_last"] = page(base + "?page=last", repeat)
    results["matrix_api"] = page(f"/api/v1/orgs/{org.slug}/training-matrix/", repeat)
    results["people_page"] = page(base + "people/", repeat)
    start = time.perf_counter()
    sheet = client.get(base + "export.xlsx")
    results["matrix_xlsx"] = {
        "seconds": round(time.perf_counter() - start, 2),
        "bytes": len(sheet.content),
    }
    return results


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="safelane-bench-training-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safelane.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from safelane.accounts.models import User
    from safelane.orgs import services

    settings.MEDIA_ROOT = str(tmp / "media")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("bench@example.com", "bench-password", full_name="Bench")
    org = services.create_organisation(actor=owner, name="Bench Training", country="US")
    client = Client()
    client.force_login(owner)
    smoke = "--smoke" in sys.argv[1:]
    output = {
        "database": connection.vendor,
        "smoke": smoke,
        "results": run(org, owner, client, smoke),
    }
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
