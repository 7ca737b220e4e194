#!/usr/bin/env bash
# Impact-simulation benchmark (PRODUCT.md §11, issue 17): replay speed in stored audits per second per worker,
# and the audit endpoint's p99 with a simulation running beside the HTTP load against without.
#
#   bench/simulation-replay.sh [--fill-rate 1000] [--fill-seconds 30] [--replays 3] [--load-rate 1000]
#                              [--load-seconds 30] [--connections 64] [--port 18081]
#                              [--knowledge ../shared/knowledge/nhsa-2025] [--no-build] [--no-latency]
#
# 1. builds the service and the load generator, starts the service on a fresh temporary data directory and
#    imports the national knowledge (bench/import-national.sh), so both catalogs are the national one;
# 2. fills audit_record with the load generator's 20-line orders (its patients have 40 stored charges each, so the
#    replays read history as of each audit's time), fill-rate/s for fill-seconds;
# 3. runs a simulation of the national version against version 1 (the rules whose knowledge set the import changed
#    run in both catalogs), then --replays simulations of the active version against itself (every rule shared: one
#    catalog run per audit), over all stored audits, one after the other, with the default single worker, and reports
#    each one's replay time (paging, parsing, history, catalog runs) as audits/s of wall clock and per CPU-second of
#    the worker thread (what a worker does when it has a core, whatever else the machine runs);
# 4. unless --no-latency: the load generator at --load-rate for --load-seconds without a simulation (A), then with
#    simulations running back to back beside it (B), then A again; p99 of each.
# Results: docs/bench-results/simulation-<UTC time>.txt (+ the load generator's .txt/.json of the A/B steps).
# Run it alone on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

FILL_RATE=1000
FILL_SECONDS=30
REPLAYS=3
LOAD_RATE=1000
LOAD_SECONDS=30
CONNECTIONS=64
PORT=18081
KNOWLEDGE=../shared/knowledge/nhsa-2025
BUILD=1
LATENCY=1
while [ $# -gt 0 ]; do
  case "$1" in
    --fill-rate) FILL_RATE=$2; shift 2 ;;
    --fill-seconds) FILL_SECONDS=$2; shift 2 ;;
    --replays) REPLAYS=$2; shift 2 ;;
    --load-rate) LOAD_RATE=$2; shift 2 ;;
    --load-seconds) LOAD_SECONDS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --knowledge) KNOWLEDGE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-latency) LATENCY=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=docs/bench-results/simulation-$STAMP
mkdir -p docs/bench-results
REPORT=$OUT.txt
say() { echo "$*" | tee -a "$REPORT"; }

if [ "$BUILD" = 1 ]; then
  mvn -B -q package -DskipTests
  (cd bench/loadgen && mvn -B -q package)
fi

DATA=$(mktemp -d /tmp/preaudit-sim-bench.XXXXXX)
LOG=$DATA/service.log
SERVICE_PID=
LOOP_PID=
cleanup() {
  [ -n "$LOOP_PID" ] && kill "$LOOP_PID" 2>/dev/null || true
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"
    for _ in $(seq 1 60); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$SERVICE_PID" 2>/dev/null && kill -9 "$SERVICE_PID"
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

say "simulation benchmark $STAMP, commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# PRODUCT.md §10: the service's first admin token, carried by the import, the load and every simulation call
export PREAUDIT_TOKEN=${PREAUDIT_TOKEN:-pa_bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
PREAUDIT_ADMIN_TOKEN=$PREAUDIT_TOKEN PREAUDIT_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT java ${SERVICE_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 180); do
  curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "service died:"; tail -50 "$LOG"; exit 1; }
  sleep 1
done
curl -sf "$BASE/q/health/ready" >/dev/null || { echo "service not ready"; tail -50 "$LOG"; exit 1; }
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
AUTH=(-H "Authorization: Bearer $PREAUDIT_TOKEN")

bench/import-national.sh "$KNOWLEDGE" "$BASE" | tee -a "$REPORT"
ACTIVE=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/catalog/versions" | python3 -c 'import json,sys; print([x["version"] for x in json.load(sys.stdin) if x["active"]][0])')

LOADGEN=(java -XX:+UseSerialGC -Xms256m -Xmx512m -jar bench/loadgen/target/loadgen.jar
         --url "$BASE" --knowledge "$KNOWLEDGE" --connections "$CONNECTIONS"
         --watch "service=$SERVICE_PID" --watch-tree "postgres=$PG_PID")

say ""
say "fill: 20-line national orders at $FILL_RATE/s for $FILL_SECONDS s"
"${LOADGEN[@]}" --endpoints audit --rates "$FILL_RATE" --step-seconds "$FILL_SECONDS" --warmup-seconds 10 --warmup-rate 500 \
  --all-steps --out "$DATA/fill" >/dev/null
sed -n '/^endpoint audit/,$p' "$DATA/fill.txt" | tee -a "$REPORT"

FROM=$(date -u -d yesterday +%F)
TO=$(date -u -d tomorrow +%F)
BODY="{\"candidate\": $ACTIVE, \"baseline\": \"active\", \"from\": \"$FROM\", \"to\": \"$TO\"}"

# starts a simulation (body $1, default $BODY), waits for its end, prints "audits replayMillis changed status cpuMillis"
simulate() {
  local id
  id=$(curl -sf "${AUTH[@]}" -H 'Content-Type: application/json' -d "${1:-$BODY}" "$BASE/api/v1/simulations" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    local s
    s=$(curl -sf "${AUTH[@]}" "$BASE/api/v1/simulations/$id")
    if ! echo "$s" | grep -q '"status":"RUNNING"'; then
      echo "$s" | python3 -c 'import json,sys; s=json.load(sys.stdin); r=s["result"] or {}; print(r.get("audits",0), r.get("replayMillis",0), r.get("changedAudits",0), s["status"], r.get("replayCpuMillis",0))'
      return
    fi
    sleep 0.2
  done
}

report_replay() {
  say "$(python3 -c "import sys; a,m,ch,cpu,wc=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),(int(sys.argv[5])-int(sys.argv[4]))/100,int(sys.argv[8])
print('replay %s: %s, %d audits in %d ms = %.0f audits/s wall clock; worker CPU %d ms = %.0f audits per worker CPU-second; %d changed; service CPU %.1f s over the whole simulation (PostgreSQL not included)' % (sys.argv[6], sys.argv[7], a, m, a*1000/max(m,1), wc, a*1000/max(wc,1), ch, cpu))" \
      "$audits" "$millis" "$changed" "$c0" "$c1" "$1" "$status" "$cpu")"
}

say ""
say "replay: version $ACTIVE (national) against version 1 (the default catalog before the national import): every rule whose knowledge set changed runs in both catalogs"
c0=$(awk '{print $14+$15}' /proc/$SERVICE_PID/stat)
read -r audits millis changed status cpu < <(simulate "{\"candidate\": $ACTIVE, \"baseline\": 1, \"from\": \"$FROM\", \"to\": \"$TO\"}")
c1=$(awk '{print $14+$15}' /proc/$SERVICE_PID/stat)
report_replay "v$ACTIVE-vs-v1"

say ""
say "replay: version $ACTIVE (national) against itself over every stored audit, 1 worker (preaudit.simulation.workers default)"
for i in $(seq 1 "$REPLAYS"); do
  c0=$(awk '{print $14+$15}' /proc/$SERVICE_PID/stat)
  read -r audits millis changed status cpu < <(simulate)
  c1=$(awk '{print $14+$15}' /proc/$SERVICE_PID/stat)
  report_replay "$i"
done

if [ "$LATENCY" = 1 ]; then
  say ""
  say "audit latency at $LOAD_RATE/s for $LOAD_SECONDS s: A without a simulation, B with simulations running back to back, A again"
  run_load() {
    "${LOADGEN[@]}" --endpoints audit --rates "$LOAD_RATE" --step-seconds "$LOAD_SECONDS" --warmup-seconds 10 --warmup-rate "$LOAD_RATE" \
      --charges 0 --all-steps --label "$1" --out "$OUT-$1" >/dev/null
    say "$1: $(grep -A2 '^endpoint audit' "$OUT-$1.txt" | tail -1)"
  }
  say "$(grep -A1 '^endpoint audit' "$DATA/fill.txt" | tail -1)"
  run_load A1
  ( while :; do simulate >>"$DATA/loop.txt"; done ) &
  LOOP_PID=$!
  sleep 1
  run_load B
  kill "$LOOP_PID" 2>/dev/null || true
  wait "$LOOP_PID" 2>/dev/null || true
  LOOP_PID=
  # the simulation the loop left running would otherwise run on into A2
  for id in $(curl -sf "${AUTH[@]}" "$BASE/api/v1/simulations" | python3 -c 'import json,sys; print(" ".join(s["id"] for s in json.load(sys.stdin) if s["status"] == "RUNNING"))'); do
    curl -sf "${AUTH[@]}" -X DELETE "$BASE/api/v1/simulations/$id" >/dev/null || true
  done
  say "simulations finished during B (audits replayMillis changed status): $(tr '\n' ';' < "$DATA/loop.txt")"
  sleep 5
  run_load A2
fi
say ""
say "report: $REPORT"
