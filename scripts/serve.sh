#!/bin/sh
# Development server plus the background-task worker; stopping one stops both.
set -eu
HOST=$1
PORT=$2
.venv/bin/safelane db_worker --interval 1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
.venv/bin/safelane runserver "$HOST:$PORT"
