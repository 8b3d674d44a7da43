#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432, user postgres) and Redis (127.0.0.1:6379) answer.
# Where one does not, start the machine's own, or else a throwaway one under /tmp.
set -euo pipefail

PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "services: $* missing and not root: install it (apt-get install $*)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# --- PostgreSQL ---------------------------------------------------------
command -v pg_isready >/dev/null || apt_install postgresql
if ! pg_up; then
  # The machine's own cluster, where there is one.
  if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  fi
fi
if ! pg_up; then
  # A throwaway cluster with trust auth, owned by the postgres user.
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$bindir" ] || { apt_install postgresql; bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1); }
  data=/tmp/shop-test-pg
  id postgres >/dev/null 2>&1 || useradd --system postgres
  if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data" && mkdir -p "$data" && chown postgres "$data"
    su postgres -s /bin/sh -c "$bindir/initdb -D $data -U postgres --auth=trust -E UTF8" >/dev/null
  fi
  mkdir -p /tmp/shop-test-pg-sock && chown postgres /tmp/shop-test-pg-sock
  su postgres -s /bin/sh -c "$bindir/pg_ctl -D $data -l $data/log -w -o '-h 127.0.0.1 -p $PG_PORT -k /tmp/shop-test-pg-sock' start" >/dev/null
fi
for _ in $(seq 30); do pg_up && break; sleep 1; done
pg_up || { echo "services: PostgreSQL does not answer on 127.0.0.1:$PG_PORT" >&2; exit 1; }

# --- Redis --------------------------------------------------------------
command -v redis-server >/dev/null || apt_install redis-server
if ! redis_up; then
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/shop-test-redis.log
fi
for _ in $(seq 30); do redis_up && break; sleep 1; done
redis_up || { echo "services: Redis does not answer on 127.0.0.1:$REDIS_PORT" >&2; exit 1; }
echo "services: PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT answer."
