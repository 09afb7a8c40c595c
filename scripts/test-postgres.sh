#!/bin/sh
# Runs the suite again on PostgreSQL. Where no server answers, CI fails; a laptop is told how.
set -eu
URL=$1
if ! .venv/bin/python - "$URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL is not reachable at {sys.argv[1]}: {exc}")
    sys.exit(1)
PY
then
    if [ "${CI:-}" = "true" ]; then
        exit 1
    fi
    echo "Skipping the PostgreSQL run. Start PostgreSQL or set TEST_POSTGRES_URL to run it."
    exit 0
fi
DATABASE_URL=$URL .venv/bin/pytest -n 2 -q
