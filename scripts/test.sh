#!/usr/bin/env bash
# The test command of the README, and what CI runs (.ci/run calls this script):
#   1. a fresh virtual environment in a temporary folder, with PamTPS and its test extras;
#   2. PostgreSQL at 127.0.0.1:5432, started (or installed, as root) if it is not running;
#   3. ruff, mypy, then the whole suite on SQLite and again on PostgreSQL, less the tests marked
#      no_database (tests/conftest.py lists them: they never open a database, so a second run
#      would prove nothing; they fail if they open one).
# It fails if any of step 3 fails, including a pytest run that collects no test (exit code 5).
#
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh -k store -x     extra arguments go to both pytest runs
#                                        (a second -m given here replaces "not no_database")
#
#   PAMTPS_TEST_PYTHON=.venv/bin/python  use that environment instead of making a fresh one
#   PAMTPS_TEST_POSTGRES_URL=URL         use that PostgreSQL database instead of the local one
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

banner() { printf '\n== %s ==\n' "$*"; }

make_venv() {
    local python=${PYTHON:-python3}
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        { echo "PamTPS needs Python 3.11 or newer ($python)" >&2; exit 1; }
    VENV_FOLDER=$(mktemp -d)
    trap 'rm -rf "$VENV_FOLDER"' EXIT
    "$python" -m venv "$VENV_FOLDER/venv"
    "$VENV_FOLDER/venv/bin/pip" install --quiet --disable-pip-version-check -e '.[test]'
    PY="$VENV_FOLDER/venv/bin/python"
}

postgres_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

# shellcheck disable=SC2012  # the folders are version numbers
postgres_version() { ls /etc/postgresql | sort -V | tail -n 1; }

start_postgres() {
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        echo "PostgreSQL is not installed: installing it (needs root)" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    postgres_up ||
        pg_ctlcluster --skip-systemctl-redirect "$(postgres_version)" main start >&2 || true
    for _ in $(seq 30); do postgres_up && return; sleep 1; done
    echo "PostgreSQL did not start on 127.0.0.1:5432" >&2
    exit 1
}

# The user that the local server trusts: 'postgres' on a stock Debian, 'root' on some machines.
# A fresh Debian install asks for passwords on 127.0.0.1: then let local TCP connections in.
# Functions called inside $(...) print their messages on stderr: stdout is their answer.
postgres_user() {
    local user
    for user in postgres root; do
        psql -w -h 127.0.0.1 -U "$user" -d postgres -Atc 'select 1' >/dev/null 2>&1 &&
            { echo "$user"; return; }
    done
    sed -i '1i host all all 127.0.0.1/32 trust' "/etc/postgresql/$(postgres_version)/main/pg_hba.conf"
    runuser -u postgres -- psql -Atc 'select pg_reload_conf()' >/dev/null && sleep 1
    echo postgres
}

local_postgres_url() {
    if ! command -v pg_isready >/dev/null || ! postgres_up; then
        start_postgres
    fi
    local user
    user=$(postgres_user)
    if [[ -z $(psql -w -h 127.0.0.1 -U "$user" -d postgres -Atc \
        "select 1 from pg_database where datname = 'test'") ]]; then
        createdb -w -h 127.0.0.1 -U "$user" test >&2
    fi
    echo "postgresql+psycopg://$user@127.0.0.1:5432/test"
}

# --- System tools the tests use -----------------------------------------------------------------
# poppler-utils (pdftotext, pdftoppm) reads the PDFs back; Debian's chromium runs the browser
# tests (Playwright drives it by its executable path: no browser download).
system_tools() {
    local missing=()
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    command -v chromium >/dev/null || missing+=(chromium)
    if ((${#missing[@]})); then
        echo "installing ${missing[*]} (needs root)" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
}
# ------------------------------------------------------------------------------------------------

failed=()
check() {  # check NAME COMMAND...: run it, remember a failure, go on
    local name=$1
    shift
    banner "$name"
    local status=0
    "$@" || status=$?
    if ((status == 5)); then
        echo "pytest collected no tests: that is a failure" >&2
    fi
    if ((status != 0)); then
        failed+=("$name (exit $status)")
    fi
}

if [[ -n ${PAMTPS_TEST_PYTHON:-} ]]; then
    PY=$PAMTPS_TEST_PYTHON
else
    banner "fresh virtual environment"
    make_venv
fi
banner "system tools"
system_tools
banner "PostgreSQL"
POSTGRES_URL=${PAMTPS_TEST_POSTGRES_URL:-$(local_postgres_url)}
echo "$POSTGRES_URL"

check "ruff" "$PY" -m ruff check .
check "mypy" "$PY" -m mypy
check "suite on SQLite" env -u PAMTPS_TEST_DATABASE_URL "$PY" -m pytest "$@"
# Given arguments may pick only no_database tests (bash scripts/test.sh tests/planner): then the
# PostgreSQL run rightly collects nothing. Without arguments, collecting nothing stays a failure.
postgres_suite() {
    local status=0
    env PAMTPS_TEST_DATABASE_URL="$POSTGRES_URL" "$PY" -m pytest -m "not no_database" "$@" ||
        status=$?
    if ((status == 5 && $# > 0)); then
        echo "every test selected is a no_database one: nothing to run on PostgreSQL"
        return 0
    fi
    return "$status"
}
check "suite on PostgreSQL, without the no_database tests (-m 'not no_database')" \
    postgres_suite "$@"

if ((${#failed[@]})); then
    banner "FAILED: ${failed[*]}"
    exit 1
fi
banner "all passed"
