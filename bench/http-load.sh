#!/usr/bin/env bash
# HTTP benchmark (PRODUCT.md §8): builds the service and the load generator, starts the service on a
# fresh temporary data directory with the no-op endpoint on, imports the national knowledge (so the
# catalog is the realistic one), steps a constant request rate up against the no-op endpoint and
# then the audit endpoint (audit records on), optionally profiles the service with JFR at a given
# audit rate, stops the service by its PID and prints the summary.
#
#   bench/http-load.sh [--rates 250,500,...] [--step-seconds 10] [--warmup-seconds 15] [--warmup-rate 500]
#                      [--connections 64] [--port 18080] [--profile-rate N|auto] [--profile-seconds 20]
#                      [--knowledge ../shared/knowledge/nhsa-2025] [--no-build] [--mixes worst,hospital]
#
# --mixes: the orders of the audit steps, one run of steps per mix (PRODUCT.md §8): worst (2-4 of the 20 lines of every
# order flagged, the no-op endpoint measured with it) and hospital (90 % of orders clean, the rest with 1-2 findings),
# the latter's results in <out>-hospital.{txt,json}. SERVICE_JAVA_OPTS=-Dpreaudit.audit.ack=queued measures answer-before-
# commit instead of the default answer-after-commit. LOADGEN_JAVA_OPTS=-Dloadgen.stalls=true prints, per step, the 100 ms
# windows (UTC) whose answers came later than 20 ms: a p99 over the target as a few stalls or as a steady queue.
#
# Results: docs/bench-results/http-<UTC time>.{txt,json} (and -jfr-top.txt with --profile-rate, which also starts the service
# with a JFR recording from the first second, see below; auto = the highest audit step within p99 20 ms, else 75 % of
# the highest audit rate the steps achieved). The loadgen also reports the CPU (in cores) of the service JVM, the
# PostgreSQL processes, itself and everything else on the machine per step.
# Run it alone on the machine; other benchmarks share the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=250,500,1000,1500,2000,3000,4000,5000,6000,8000
STEP=10
WARMUP=15
WARMUP_RATE=500
CONNECTIONS=64
PORT=18080
PROFILE_RATE=
PROFILE_SECONDS=20
KNOWLEDGE=../shared/knowledge/nhsa-2025
BUILD=1
MIXES=worst,hospital
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES=$2; shift 2 ;;
    --step-seconds) STEP=$2; shift 2 ;;
    --warmup-seconds) WARMUP=$2; shift 2 ;;
    --warmup-rate) WARMUP_RATE=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --profile-rate) PROFILE_RATE=$2; shift 2 ;;
    --profile-seconds) PROFILE_SECONDS=$2; shift 2 ;;
    --knowledge) KNOWLEDGE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --mixes) MIXES=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=docs/bench-results/http-$STAMP
mkdir -p docs/bench-results

if [ "$BUILD" = 1 ]; then
  # -Phttp-bench compiles the no-op floor endpoint (src/bench/http) into the service
  mvn -B -q package -DskipTests -Phttp-bench
  (cd bench/loadgen && mvn -B -q package)
fi

if [ -n "$PROFILE_RATE" ]; then
  # JFR's first start instruments JDK classes (sockets, files) and so throws away the JIT's compiled code of the hot
  # network path: started by jcmd in the middle of the run, it pushed the service past saturation for the whole
  # profile step (750/s offered, 487/s achieved, 1.47 service cores against 0.72 without it, even with
  # settings=default). Started with the JVM, the instrumentation is compiled in from the beginning and the profile
  # step holds its rate (750/s: 750/s achieved, p99 10.3 ms, 0.66 cores). The measured steps then run with JFR's
  # default settings on (the JDK documents their overhead at about 1 %), and the run's output says so.
  SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:-} -XX:StartFlightRecording=name=boot,settings=default,maxsize=64m"
  echo "service started with a JFR default recording (--profile-rate given)"
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

echo "service log: $LOG; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# PRODUCT.md §10: the service's first admin token, carried by the import and by every load request
export PREAUDIT_TOKEN=${PREAUDIT_TOKEN:-pa_bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
PREAUDIT_ADMIN_TOKEN=$PREAUDIT_TOKEN PREAUDIT_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT \
  java ${SERVICE_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do
  curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "service died:"; tail -50 "$LOG"; exit 1; }
  sleep 1
done
curl -sf "$BASE/q/health/ready" >/dev/null || { echo "service not ready"; tail -50 "$LOG"; exit 1; }
# a jar built without -Phttp-bench (e.g. reused with --no-build) has no floor endpoint: say so now, not as errors
NOOP_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $PREAUDIT_TOKEN" -H 'Content-Type: application/json' -d '{}' "$BASE/api/v1/bench/noop-audits")
if [ "$NOOP_STATUS" = 404 ]; then
  echo "the service has no /api/v1/bench/noop-audits: build it with mvn -B package -DskipTests -Phttp-bench"; kill "$SERVICE_PID"; exit 1
fi
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
echo "service pid $SERVICE_PID, postmaster pid $PG_PID"

bench/import-national.sh "$KNOWLEDGE" "$BASE"

# Other programs on the machine share the 2 cores: wait (at most QUIET_WAIT seconds, default 900) until
# the machine is idle apart from this service, so their load does not end up in the figures.
busy_cores() {
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  python3 -c 'import sys; a=list(map(int,sys.argv[1].split())); b=list(map(int,sys.argv[2].split()))
d=[y-x for x,y in zip(a,b)]; tot=sum(d[:8]); idle=d[3]+d[4]; print("%.2f" % ('"$(nproc)"'*(tot-idle)/tot if tot else 0))' \
    "${a[*]:1:8}" "${b[*]:1:8}"
}
waited=0
while :; do
  busy=$(busy_cores)
  python3 -c "import sys; sys.exit(0 if $busy < 0.3 else 1)" && break
  if [ "$waited" -ge "${QUIET_WAIT:-900}" ]; then echo "machine still busy ($busy cores) after ${waited}s: measuring anyway"; break; fi
  [ $((waited % 60)) -eq 0 ] && echo "machine busy ($busy cores in use by other programs); waiting for it to be idle"
  waited=$((waited + 3))
done
echo "machine idle check: $busy cores busy before the load (waited ${waited}s)"

LOADGEN=(java ${LOADGEN_JAVA_OPTS:-} -XX:+UseSerialGC -Xms256m -Xmx512m -jar bench/loadgen/target/loadgen.jar
         --url "$BASE" --knowledge "$KNOWLEDGE" --connections "$CONNECTIONS"
         --watch "service=$SERVICE_PID" --watch-tree "postgres=$PG_PID")
FIRST_MIX=1
for MIX in ${MIXES//,/ }; do
  if [ "$FIRST_MIX" = 1 ]; then
    "${LOADGEN[@]}" --endpoints noop,audit --mix "$MIX" --rates "$RATES" --step-seconds "$STEP" --warmup-seconds "$WARMUP" \
      --warmup-rate "$WARMUP_RATE" --out "$OUT"
    FIRST_MIX=0
  else
    echo
    echo "audit steps with the $MIX mix"
    "${LOADGEN[@]}" --endpoints audit --mix "$MIX" --rates "$RATES" --step-seconds "$STEP" --warmup-seconds "$WARMUP" \
      --warmup-rate "$WARMUP_RATE" --out "$OUT-$MIX"
  fi
done

if [ "$PROFILE_RATE" = auto ]; then
  # the knee: the highest audit step that met p99 <= 20 ms without errors; else 75 % of the highest achieved rate,
  # rounded down to 100/s (90 % of the achieved rate was past saturation once the recorder ran too)
  PROFILE_RATE=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["steps"]["audit"]; ok=[x["offered"] for x in s if x["p99Ms"] <= 20 and x["errors"] == 0]; print(int(max(ok)) if ok else max(100, int(0.75 * max(x["achieved"] for x in s)) // 100 * 100))' "$OUT.json")
fi
if [ -n "$PROFILE_RATE" ]; then
  JFR=$DATA/audit.jfr
  echo
  echo "JFR CPU profile of the service: audit at $PROFILE_RATE/s for $PROFILE_SECONDS s"
  jcmd "$SERVICE_PID" JFR.start name=httpbench settings=profile filename="$JFR" >/dev/null
  "${LOADGEN[@]}" --endpoints audit --rates "$PROFILE_RATE" --step-seconds "$PROFILE_SECONDS" --warmup-seconds 0 \
    --charges 0 --all-steps --out "$OUT-profile"
  jcmd "$SERVICE_PID" JFR.stop name=httpbench >/dev/null
  python3 bench/jfr-top.py "$JFR" | tee "$OUT-jfr-top.txt"
  [ -n "${KEEP_JFR:-}" ] && cp "$JFR" "$OUT.jfr"
fi

echo
echo "results: $OUT.txt $OUT.json $(for m in ${MIXES//,/ }; do [ -f "$OUT-$m.txt" ] && printf '%s ' "$OUT-$m.txt"; done)"
