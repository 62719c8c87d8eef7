#!/usr/bin/env bash
# Makes sure what the integration tests talk to is running on this machine: PostgreSQL at 127.0.0.1:5432
# (trust auth, database test), Redis at 127.0.0.1:6379, Chromium with ChromeDriver for the dashboard test, and nginx
# as the load balancer of the scale-out test bed (ScaleOutIT starts its own nginx process; the package's service is
# not used).
# `mvn verify` runs this before the integration tests; it installs missing Debian packages when run as root.
set -euo pipefail

log() { printf '\n== %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

trust_local_tcp() {
  # The tests connect as postgres over 127.0.0.1 without a password; Debian's default asks for one.
  local hba="/etc/postgresql/$1/main/pg_hba.conf"
  if [ -f "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    log "allowing local TCP connections without a password in $hba"
    { printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n'; cat "$hba"; } > "$hba.new"
    chown --reference="$hba" "$hba.new" 2>/dev/null || true
    mv "$hba.new" "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$1" main reload 2>/dev/null || true
  fi
}

start_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return; fi
  log "starting PostgreSQL"
  [ -d /etc/postgresql ] || apt_install postgresql
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  trust_local_tcp "$version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
}

ensure_test_database() {
  if [ -d /etc/postgresql ] && ! psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    trust_local_tcp "$(ls /etc/postgresql | sort -V | tail -n 1)"
  fi
  # Trust auth for local TCP connections and a database named test, as the tests expect.
  if ! psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
    log "creating database test"
    su postgres -c "psql -Atc 'create database test'" >/dev/null 2>&1 || psql -h 127.0.0.1 -U postgres -c 'create database test' >/dev/null
  fi
  psql -h 127.0.0.1 -U postgres -d test -Atc 'select 1' >/dev/null
}

start_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return; fi
  log "starting Redis"
  need redis-server redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping
}

need() { command -v "$1" >/dev/null 2>&1 || apt_install "$2"; }
need chromium chromium
need chromedriver chromium-driver
need psql postgresql-client
need redis-cli redis-tools
need nginx nginx
start_postgres
ensure_test_database
start_redis
echo "test services ready: PostgreSQL 127.0.0.1:5432/test, Redis 127.0.0.1:6379, $(chromium --version 2>/dev/null | head -n 1), $(nginx -v 2>&1)"
