#!/usr/bin/env bash
# HTTP benchmark (PRODUCT.md §8): builds the service and the load generator, starts the service on a
# fresh temporary data directory with the no-op endpoint on, imports the national knowledge (so the
# catalog is the realistic one), steps a constant request rate up against the no-op endpoint and
# then the audit endpoint (audit records on), optionally profiles the service with JFR at a given
# audit rate, stops the service by its PID and prints the summary.
#
#   bench/http-load.sh [--rates 250,500,...] [--step-seconds 10] [--warmup-seconds 15]
#                      [--connections 64] [--port 18080] [--profile-rate N] [--profile-seconds 20]
#                      [--knowledge ../shared/knowledge/nhsa-2025] [--no-build]
#
# Results: docs/bench-results/http-<UTC time>.{txt,json} (and -jfr-top.txt with --profile-rate).
# Run it alone on the machine; other benchmarks share the same cores: flock /work/bench.lock bench/http-load.sh …
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=250,500,1000,1500,2000,3000,4000,5000,6000,8000
STEP=10
WARMUP=15
CONNECTIONS=64
PORT=18080
PROFILE_RATE=
PROFILE_SECONDS=20
KNOWLEDGE=../shared/knowledge/nhsa-2025
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES=$2; shift 2 ;;
    --step-seconds) STEP=$2; shift 2 ;;
    --warmup-seconds) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --profile-rate) PROFILE_RATE=$2; shift 2 ;;
    --profile-seconds) PROFILE_SECONDS=$2; shift 2 ;;
    --knowledge) KNOWLEDGE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=docs/bench-results/http-$STAMP
mkdir -p docs/bench-results

if [ "$BUILD" = 1 ]; then
  mvn -B -q package -DskipTests
  (cd bench/loadgen && mvn -B -q package)
fi

DATA=$(mktemp -d /tmp/preaudit-http-bench.XXXXXX)
LOG=$DATA/service.log
SERVICE_PID=
cleanup() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"   # graceful: the record writer drains, the embedded PostgreSQL stops
    for _ in $(seq 1 60); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$SERVICE_PID" 2>/dev/null && kill -9 "$SERVICE_PID"
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "service log: $LOG"
PREAUDIT_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT \
  java -Dpreaudit.bench.noop-endpoint=true ${SERVICE_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do
  curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "service died:"; tail -50 "$LOG"; exit 1; }
  sleep 1
done
curl -sf "$BASE/q/health/ready" >/dev/null || { echo "service not ready"; tail -50 "$LOG"; exit 1; }
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
echo "service pid $SERVICE_PID, postmaster pid $PG_PID"

bench/import-national.sh "$KNOWLEDGE" "$BASE"

LOADGEN=(java -XX:+UseSerialGC -Xms256m -Xmx512m -jar bench/loadgen/target/loadgen.jar
         --url "$BASE" --knowledge "$KNOWLEDGE" --connections "$CONNECTIONS"
         --watch "service=$SERVICE_PID" --watch-tree "postgres=$PG_PID")
"${LOADGEN[@]}" --endpoints noop,audit --rates "$RATES" --step-seconds "$STEP" --warmup-seconds "$WARMUP" --out "$OUT"

if [ -n "$PROFILE_RATE" ]; then
  JFR=$DATA/audit.jfr
  echo
  echo "JFR CPU profile of the service: audit at $PROFILE_RATE/s for $PROFILE_SECONDS s"
  jcmd "$SERVICE_PID" JFR.start name=httpbench settings=profile filename="$JFR" >/dev/null
  "${LOADGEN[@]}" --endpoints audit --rates "$PROFILE_RATE" --step-seconds "$PROFILE_SECONDS" --warmup-seconds 0 \
    --charges 0 --all-steps --out "$OUT-profile"
  jcmd "$SERVICE_PID" JFR.stop name=httpbench >/dev/null
  python3 bench/jfr-top.py "$JFR" | tee "$OUT-jfr-top.txt"
fi

echo
echo "results: $OUT.txt $OUT.json"
