#!/usr/bin/env bash
# Imports every national knowledge file into the draft of a running PreAudit and publishes it,
# timing the imports and the publish (PRODUCT.md §8: import + publish ≤ 10 s).
#   bench/import-national.sh [knowledge-dir] [base-url]
set -euo pipefail
DIR="${1:-../shared/knowledge/nhsa-2025}"
BASE="${2:-http://localhost:8080}"
now_ms() { date +%s%3N; }
# PRODUCT.md §10: every call carries a token with the rule-publisher role (or admin): PREAUDIT_TOKEN
AUTH=(-H "Authorization: Bearer ${PREAUDIT_TOKEN:?set PREAUDIT_TOKEN to a rule-publisher or admin token}")

active=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/catalog/versions" | python3 -c 'import json,sys; v=[x["version"] for x in json.load(sys.stdin) if x["active"]]; print(v[0] if v else 0)')
t0=$(now_ms)
for f in "$DIR"/*.csv; do
  curl -sf "${AUTH[@]}" -X PUT "$BASE/api/v1/knowledge-sets/$(basename "$f" .csv)" -H 'Content-Type: text/csv' --data-binary @"$f" >/dev/null
done
t1=$(now_ms)
out=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/catalog/versions" -H 'Content-Type: application/json' \
      -d "{\"note\": \"national knowledge (bench)\", \"basedOn\": $active, \"author\": \"bench\"}")
t2=$(now_ms)
echo "published: $out"
echo "import of $(ls "$DIR"/*.csv | wc -l) files: $((t1 - t0)) ms; publish: $((t2 - t1)) ms; total: $((t2 - t0)) ms"
