"""The partner register: importing 50,000 partners from a spreadsheet as the background job does
it (read, check every row, write in bulk, screen every partner against the loaded lists).

Runs inside `python -m bench` (Django is set up there, on its throwaway database): `run(org,
owner, smoke)` loads the bundled list snapshots, writes a seeded CSV of generated partners, and
times the import task from the stored file to the finished job, with the job's progress as it
went. The register's page and the screening queue are then timed at that size.
"""

from __future__ import annotations

import csv
import io
import os
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "src" / "safelane" / "screening" / "data" / "snapshots"
SEED = 20261201
TARGET_SECONDS = 30
ROWS = {False: 50_000, True: 200}

PLACES = ["Pacific", "Atlas", "Sierra", "Delta", "Andes", "Baltic", "Golden", "Northern"]
BRANDS = ["Koru", "Velmo", "Tarsis", "Quinta", "Brava", "Lumen", "Orvik", "Zenda", "Marlo"]
TRADES = ["Logistics", "Freight", "Textiles", "Plastics", "Steel", "Foods", "Packaging"]
FORMS = ["Co., Ltd.", "S.A. de C.V.", "LLC", "GmbH", "Pvt. Ltd.", "Inc.", "S.R.L."]
TYPES = ["supplier", "highway_carrier", "sea_carrier", "customs_broker", "3pl", "Warehouse"]
COUNTRIES = ["CN", "MX", "Vietnam", "IN", "US", "Turquía", "DE", "BR", "CO", "BD"]
STATUSES = ["", "certified", "not-certified", "CTPAT certified and validated", ""]


def partner_file(rows: int) -> bytes:
    """A register as people keep it: codes and labels mixed, English and Spanish, contacts."""
    rng = random.Random(SEED)  # noqa: S311 (seeded test data, not a secret)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Type", "Country", "CTPAT status", "Contact e-mail", "Other names"])
    for number in range(rows):
        name = " ".join(
            [rng.choice(PLACES), rng.choice(BRANDS), rng.choice(TRADES), rng.choice(FORMS)]
        )
        writer.writerow(
            [
                f"{name} {number}",
                rng.choice(TYPES),
                rng.choice(COUNTRIES),
                rng.choice(STATUSES),
                f"security{number}@partner{number % 997}.example" if number % 3 else "",
                f"{rng.choice(BRANDS)} {rng.choice(TRADES)} {number}" if number % 5 == 0 else "",
            ]
        )
    return out.getvalue().encode()


def run(org, owner, client, smoke: bool) -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safelane.jobs import services as jobs
    from safelane.jobs.models import Job
    from safelane.partners import imports, tasks
    from safelane.partners.models import Partner, ScreeningHit
    from safelane.screening import services as lists

    loaded = {}
    for list_name, path in (
        ("ofac-sdn", SNAPSHOTS),
        ("dpl", SNAPSHOTS / "dpl.txt"),
        ("csl", SNAPSHOTS / "csl-sample.csv"),
    ):
        start = time.perf_counter()
        lists.load_files(actor=None, list_name=list_name, path=path)
        loaded[list_name] = round(time.perf_counter() - start, 2)

    content = partner_file(ROWS[smoke])
    headers, _rows = imports.read_table(content, "partners.csv")
    mapping = imports.guess_mapping(headers)
    path = default_storage.save("bench/partners.csv", ContentFile(content))
    job = jobs.create_job(org=org, actor=owner, kind="partner-import", title="Bench import")
    seen = []
    progress = jobs.progress

    def watched(job_row, *, done, total):
        seen.append((round(time.perf_counter() - start, 2), done, total))
        progress(job_row, done=done, total=total)

    jobs.progress = watched
    try:
        start, cpu = time.perf_counter(), time.process_time()
        tasks.import_partners.call(
            org.pk, job.pk, owner.pk, path, "partners.csv", mapping, False, "en"
        )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        jobs.progress = progress
    finished = Job.objects.for_org(org).get(pk=job.pk)

    def page(url):
        timings, queries = [], 0
        for _ in range(1 if smoke else 10):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, url
            queries = len(captured.captured_queries)
        timings.sort()
        return {"median_ms": round(timings[len(timings) // 2], 2), "queries": queries}

    base = f"/o/{org.slug}/partners/"
    return {
        "rows": ROWS[smoke],
        "status": finished.status,
        "imported": Partner.objects.for_org(org).count(),
        "screening_hits_opened": ScreeningHit.objects.for_org(org).count(),
        "seconds": round(seconds, 2),
        # The process's own CPU time: far below `seconds` means the machine was busy elsewhere.
        "cpu_seconds": round(cpu, 2),
        "load_average": round(os.getloadavg()[0], 2),
        "target_seconds": TARGET_SECONDS,
        "rows_per_second": round(ROWS[smoke] / seconds),
        "progress_updates": len(seen),
        "progress_first_and_last": [seen[0], seen[-1]] if seen else [],
        "written_at": next((s[0] for s in seen if s[1] >= s[2] // 2), None),
        "list_load_seconds": loaded,
        "register_page": page(base),
        "register_page_filtered": page(base + "?type=supplier&country=MX&tier=high"),
        "screening_queue_page": page(base + "screening/"),
    }
