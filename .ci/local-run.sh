#!/usr/bin/env bash
# `make run`: the shop on its embedded local stack (SQLite, filesystem broker, emails as files).
set -euo pipefail
cd "$(dirname "$0")/.."
export HOST=${1:-127.0.0.1} PORT=${2:-8000}
export PATH="$PWD/.venv/bin:$PATH"
export DEBUG=true SHOP_LOCAL_DEMO=true
export SITE_URL="http://$HOST:$PORT"
export SHOP_VAR_DIR=${SHOP_VAR_DIR:-$PWD/var}
mkdir -p "$SHOP_VAR_DIR/mail" "$SHOP_VAR_DIR/celery"

python manage.py migrate --noinput -v0
python manage.py load_catalogue
python manage.py shell -v0 -c "from worker.celery import broker_folders_ensure; broker_folders_ensure()"
logins=$(python manage.py create_demo_users)

banner() {
  cat <<MSG

  ----------------------------------------------------------------
  Liang Yi TCM shop: http://$HOST:$PORT/
  Dashboard:         http://$HOST:$PORT/dashboard/
  Emails are written to $SHOP_VAR_DIR/mail/.

  Demo logins (local only):
$logins
  ----------------------------------------------------------------

MSG
}

# The web server, the Celery worker and beat; the address is printed once the shop answers.
honcho start &
stack=$!
trap 'kill -TERM $stack 2>/dev/null; wait $stack' INT TERM
python - "$HOST" "$PORT" <<'PY' && banner
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://{sys.argv[1]}:{sys.argv[2]}/", timeout=5)
        break
    except OSError:
        time.sleep(1)
PY
wait $stack
