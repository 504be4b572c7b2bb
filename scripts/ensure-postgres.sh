#!/usr/bin/env bash
# Postgres 15 and pg_virtualenv for the dual-dialect tests (issue 14): Debian's packages, installed
# once on a fresh machine (we are root on CI). A machine that has them skips this in milliseconds.
set -euo pipefail
if command -v pg_virtualenv >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then exit 0; fi
echo "Installing PostgreSQL (Debian's postgresql package) for the Postgres tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql postgresql-common >/dev/null
