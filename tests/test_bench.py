"""`make bench` keeps running: the benchmarks run once at a tiny size (timings ignored)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmarks_run_and_print_json(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    output = json.loads(done.stdout)
    assert output["smoke"] is True
    for name in ("assessment_page_200_cycles", "start_cycle_140_responses", "risk_page_60_points"):
        assert output["results"][name]["queries"] > 0, name
    imported = output["results"]["partner_import"]
    assert imported["status"] == "done"
    assert imported["imported"] == imported["rows"]
    assert imported["progress_updates"] > 1  # the job's bar moved while it ran
    assert output["results"]["screening_command"]["names"] > 0
    assert output["results"]["portfolio"]["flat"] is True
    assert output["results"]["scale"]["grown"]["board"]["queries"] > 0
    # Every budgeted figure is printed beside its budget, with the ratio.
    for row in output["checks"]:
        assert set(row) == {"name", "measured", "budget", "ratio", "within"}
        assert row["measured"] is not None, row["name"]
        assert row["ratio"] == round(row["measured"] / row["budget"], 2)
