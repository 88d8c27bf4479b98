#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the backend's test suite (which runs every
# storage test against SQLite and PostgreSQL): user postgres with trust auth from 127.0.0.1, a database
# 'test'. Fast when already there (one TCP probe + one query). TEST_DATABASE_URL overrides the target, in
# which case this step only checks that it answers.
set -euo pipefail
say() { printf '[setup] %s\n' "$*" >&2; }

probe() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sudo -n -u postgres sh -c "$*"; fi; }

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  command -v psql >/dev/null && psql "$TEST_DATABASE_URL" -qAtc 'select 1' >/dev/null ||
    { say "TEST_DATABASE_URL does not answer"; exit 1; }
  exit 0
fi

if probe && command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d test -qAtc 'select 1' >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
  say "PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, trust auth, database test)."
  say "run as root: apt-get install -y postgresql && scripts/setup.d/40-postgres.sh"
  exit 1
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q 'install ok installed'; then
  say "installing PostgreSQL (Debian package)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

ver="$(ls /etc/postgresql | sort -V | tail -1)"
hba="/etc/postgresql/$ver/main/pg_hba.conf"
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
  say "allowing trust auth from 127.0.0.1 for tests ($hba)"
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
  grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba" || echo 'host all all 127.0.0.1/32 trust' | $SUDO tee -a "$hba" >/dev/null
  $SUDO pg_ctlcluster "$ver" main reload 2>/dev/null || true
fi
if ! probe; then
  say "starting PostgreSQL $ver"
  $SUDO pg_ctlcluster "$ver" main start
fi
for _ in $(seq 1 50); do probe && break; sleep 0.2; done
probe || { say "PostgreSQL did not start"; exit 1; }
if ! as_postgres "psql -qAtc \"select 1 from pg_database where datname = 'test'\"" | grep -q 1; then
  say "creating database 'test'"
  as_postgres "createdb test"
fi
psql -h 127.0.0.1 -U postgres -d test -qAtc 'select 1' >/dev/null || { say "PostgreSQL test database not reachable"; exit 1; }
