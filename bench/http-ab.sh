#!/usr/bin/env bash
# A/B of the audit endpoint between two builds of the service, alternated twice (A, B, A, B), audit steps only (no
# no-op floor, so builds without the -Phttp-bench profile can be compared). Used for credentials on/off (issue 16):
#   git worktree add --detach ../ab-a <commit A>; git worktree add --detach ../ab-b <commit B>
#   bench/http-ab.sh ../ab-a ../ab-b [rates]
# Results: docs/bench-results/http-ab-{a,b}-{1,2}.{txt,json}
set -u
cd "$(dirname "$0")/.."
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); RATES=${3:-900,1000,1100,1200,1300,1400,1500}
K=${KNOWLEDGE:-../shared/knowledge/nhsa-2025}; PORT=${PORT:-18180}
(cd bench/loadgen && mvn -B -q package) || exit 1
for t in "$A" "$B"; do (cd "$t" && mvn -B -q package -DskipTests) || exit 1; done
for label in a-1 b-1 a-2 b-2; do
  case $label in a-*) tree=$A ;; *) tree=$B ;; esac
  DATA=$(mktemp -d /tmp/preaudit-httpab.XXXXXX)
  export PREAUDIT_TOKEN=pa_bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (cd "$tree" && PREAUDIT_ADMIN_TOKEN=$PREAUDIT_TOKEN PREAUDIT_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT \
     exec java -jar target/quarkus-app/quarkus-run.jar > "$DATA/service.log" 2>&1) &
  SERVICE=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  PG=$(head -1 "$DATA/pg/postmaster.pid")
  bench/import-national.sh "$K" "http://127.0.0.1:$PORT" > /dev/null
  echo "== $label ($tree) $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  java -XX:+UseSerialGC -Xms256m -Xmx512m -jar bench/loadgen/target/loadgen.jar --url "http://127.0.0.1:$PORT" \
     --knowledge "$K" --connections 64 --watch "service=$SERVICE" --watch-tree "postgres=$PG" --token "$PREAUDIT_TOKEN" \
     --endpoints audit --mix worst --rates "$RATES" --step-seconds 10 --warmup-seconds 60 --warmup-rate 800 \
     --out "docs/bench-results/http-ab-$label" | tail -15
  kill "$SERVICE"; for _ in $(seq 1 60); do kill -0 "$SERVICE" 2>/dev/null || break; sleep 1; done
  kill -9 "$SERVICE" 2>/dev/null; rm -rf "$DATA"
done
