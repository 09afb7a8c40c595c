#!/bin/sh
# Creates .venv with the hash-pinned dependencies and Safelane itself, and makes sure Debian's
# chromium is there for the browser tests (installed when running as root, else explained).
set -eu
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's chromium for the browser tests..."
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "Note: Debian's chromium is not installed; the browser tests will be skipped."
        echo "      Install it with: sudo apt-get install chromium"
    fi
fi
