#!/usr/bin/env bash
# 总览 page server time with 30 days of statistics (PRODUCT.md §12: ≤ 300 ms). Starts the packaged
# service on a fresh embedded database, fills it with 30 days of audits (default 15,000 a day), signs in
# to the console with the admin token and times GET /console/overview (and each statistics query the
# page makes, through the API) on the loopback, warm, 20 times each; prints the median and maximum.
# The generator waits until the service has rolled the 29 closed days up (daily rollup, V75), as it would have
# done day by day in production; TODAY=full makes today (computed live) a whole day's volume.
#   [TODAY=full] bench/console-overview.sh [audits-per-day]
# Needs the packaged jar (mvn -B -q package -DskipTests). Run it alone on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PER_DAY="${1:-15000}"
PORT="${PORT:-18089}"
TOKEN="bench-console-$(date +%s)"
DATA=$(mktemp -d)
DRIVER=$(ls ~/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar | grep -v sources | tail -1)
# a short rollup-check: the closed days of the backfill are rolled up (V75) within seconds, not at the next 5-minute turn
PREAUDIT_ADMIN_TOKEN="$TOKEN" PREAUDIT_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" PREAUDIT_STATS_ROLLUP_CHECK=5s \
  java -Dpreaudit.data-dir="$DATA" -jar target/quarkus-app/quarkus-run.jar > "$DATA/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 180); do curl -sf "http://localhost:$PORT/q/health/ready" >/dev/null && break; sleep 1; done
PGPORT=$(sed -n 4p "$(find "$DATA" -name postmaster.pid | head -1)")
java -cp "$DRIVER" bench/ConsoleOverviewData.java "jdbc:postgresql://localhost:$PGPORT/postgres" "$PER_DAY"
BASE="http://localhost:$PORT"
JAR=$(mktemp)
csrf=$(curl -s -c "$JAR" "$BASE/console/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -w 'sign-in: %{http_code}\n' --data-urlencode "token=$TOKEN" --data-urlencode "_csrf=$csrf" "$BASE/console/login"
timeit() {  # name, curl args...
  local name=$1; shift
  for _ in 1 2 3; do curl -s -o /dev/null "$@"; done
  for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$@"; done \
    | sort -n | awk -v n="$name" '{a[NR]=$1} END {printf "%-34s median %6.1f ms   max %6.1f ms\n", n, a[int((NR+1)/2)]*1000, a[NR]*1000}'
}
H=(-H "Authorization: Bearer $TOKEN")
timeit "GET /console/overview" -b "$JAR" "$BASE/console/overview"
timeit "  stats/daily (30 days)" "${H[@]}" "$BASE/api/v1/stats/daily"
timeit "  stats/findings groupBy=rule" "${H[@]}" "$BASE/api/v1/stats/findings?groupBy=rule&limit=10"
timeit "  stats/findings groupBy=department" "${H[@]}" "$BASE/api/v1/stats/findings?groupBy=department&limit=10"
timeit "  stats/findings groupBy=doctor" "${H[@]}" "$BASE/api/v1/stats/findings?groupBy=doctor&limit=10"
rm -f "$JAR"
