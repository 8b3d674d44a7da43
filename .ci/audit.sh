#!/usr/bin/env bash
# `make audit`: Lighthouse scores (phone settings) for home, a treatment page and the basket,
# and screenshots of the main pages at 390 and 1280 px under var/screenshots/.
# Against a running shop with AUDIT_URL=http://host:port; otherwise it starts one (`make run`'s
# local stack on AUDIT_PORT, default 8765) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
out=var/lighthouse
mkdir -p "$out" var/screenshots
url=${AUDIT_URL:-}
started=""
if [ -z "$url" ]; then
  port=${AUDIT_PORT:-8765}
  url="http://127.0.0.1:$port"
  bash .ci/local-run.sh 127.0.0.1 "$port" >var/audit-shop.log 2>&1 &
  started=$!
  trap '[ -n "$started" ] && kill -TERM "$started" 2>/dev/null; wait "$started" 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do curl -fsS -o /dev/null "$url/" 2>/dev/null && break; sleep 1; done
fi
curl -fsS -o /dev/null "$url/" || { echo "the shop does not answer at $url (see var/audit-shop.log)"; exit 1; }

treatment=$(curl -fsS "$url/catalogue/" | grep -o 'href="/catalogue/acupuncture_[0-9]*/"' | head -1 | cut -d'"' -f2)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
printf '%-10s %12s %14s %15s %5s\n' page performance accessibility best-practices seo
for page in home:/ treatment:"$treatment" basket:/basket/; do
  name=${page%%:*} path=${page#*:}
  node_modules/.bin/lighthouse "$url$path" --quiet --output=json --output-path="$out/$name.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$out/$name.log" \
    || { echo "$name: Lighthouse failed (see $out/$name.log)"; continue; }
  .venv/bin/python - "$name" "$out/$name.json" <<'PY'
import json, sys
categories = json.load(open(sys.argv[2]))["categories"]
scores = [round(categories[c]["score"] * 100) for c in ("performance", "accessibility", "best-practices", "seo")]
print("%-10s %12d %14d %15d %5d" % (sys.argv[1], *scores))
PY
done
echo "Lighthouse reports: $out/*.json"
.venv/bin/python .ci/screenshots.py "$url" var/screenshots
