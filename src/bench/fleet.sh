#!/usr/bin/env bash
# Fleet view benchmark: one 'hulft-ark fleet' process (production JVM settings, -Xmx1g) on the embedded store or on
# PostgreSQL, loaded by io.hulftark.bench.FleetBench: NODES simulated agents (NODES/2 two-node clusters) each posting a
# full report every 10 s, 2 % of the clusters failing over every 10 s, the summary and pages of the cluster table read
# 20 times a second each, an SSE reader timing each failover's event, and Prometheus scraping /q/metrics every
# METRICS_EVERY (2) seconds (issue 14: p99 <= 200 ms, body <= 2 MB at 5,000 clusters; METRICS_EVERY=0: no scrapes).
# Prints one table with the issue's targets (exit 0 when all pass, 3 when one misses).
#
#   ./mvnw -q package -DskipTests && ./mvnw -q test-compile && src/bench/fleet.sh [NODES] [SECONDS] [STORE]
#
# NODES 10000, or a list (10000,20000,40000) run in turn until one misses a target: push until it breaks.
# SECONDS measured (60) after WARMUP (60) s, longer while the fleet view's JIT compilers are still busy (up to 3 x
# WARMUP): the figures are of the steady state. STORE embedded (default) or postgresql: the local server, database
# hulftark_bench, dropped and created again for each run (owner hulftark, password hulftark; PGHOST, PGPORT, PGUSER,
# PGPASSWORD override). More knobs as variables: WARMUP, CONNECTIONS, FLIP_PERCENT, SUMMARY_RATE,
# PAGE_RATE, METRICS_EVERY, JVM_OPTS. Every process and
# temporary directory it starts is gone when it ends, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${1:-10000}
SECONDS_=${2:-60}
STORE=${3:-embedded}
WARMUP=${WARMUP:-60}
APP=target/quarkus-app/quarkus-run.jar
CP=target/classes:target/test-classes
# The settings deploy/fleet/systemd/hulft-ark-fleet.service documents.
JVM=(${JVM_OPTS:--Xms256m -Xmx1g -XX:+UseZGC -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError})
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-hulftark}
PGPASSWORD=${PGPASSWORD:-hulftark}
DB=hulftark_bench
case "$STORE" in embedded|postgresql) ;; *) echo "STORE is embedded or postgresql, not $STORE" >&2; exit 2 ;; esac
[ -f "$APP" ] && [ -f target/test-classes/io/hulftark/bench/FleetBench.class ] || {
  echo "build first: ./mvnw -q package -DskipTests && ./mvnw -q test-compile" >&2; exit 2; }

WORK=
FLEET=
dropdb_() { runuser -u postgres -- dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
stop_fleet() {
  if [ -n "$FLEET" ] && kill -0 "$FLEET" 2>/dev/null; then
    kill "$FLEET" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$FLEET" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$FLEET" 2>/dev/null || true
  fi
  FLEET=
  if [ "$STORE" = postgresql ]; then dropdb_; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  WORK=
}
trap stop_fleet EXIT
trap 'exit 130' INT TERM

# One run: a new fleet view on a new store, loaded with $1 nodes. Returns FleetBench's exit code.
run() {
  local nodes=$1
  WORK=$(mktemp -d)
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local mport
  mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  java -cp "$CP" io.hulftark.bench.FleetBench tokens "$WORK/tokens" "$WORK/secrets" "$nodes"
  local store_opts=()
  if [ "$STORE" = postgresql ]; then
    dropdb_
    runuser -u postgres -- createdb -O "$PGUSER" "$DB"
    store_opts=(-Dquarkus.datasource.postgresql.jdbc.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
                -Dquarkus.datasource.postgresql.username="$PGUSER" -Dquarkus.datasource.postgresql.password="$PGPASSWORD")
  fi
  java "${JVM[@]}" -Xlog:gc:file="$WORK/gc.log" -Dhulftark.state-dir="$WORK/state" \
    -Dhulftark.security.tokens-file="$WORK/tokens" -Dhulftark.fleet.store="$STORE" "${store_opts[@]}" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dquarkus.management.port="$mport" -jar "$APP" fleet > "$WORK/fleet.log" 2>&1 &
  FLEET=$!
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$mport/q/health/ready" && break
    kill -0 "$FLEET" 2>/dev/null || { echo "the fleet view ended at start-up:" >&2; tail -20 "$WORK/fleet.log" >&2; return 1; }
    sleep 0.2
  done
  echo "fleet view pid $FLEET on port $port, store $STORE, JVM ${JVM[*]};$(uptime | sed 's/.*load/ load/')"
  local rc=0
  local scrape_opts=()
  if [ "${METRICS_EVERY:-2}" != 0 ]; then
    scrape_opts=(--metrics-url "http://127.0.0.1:$mport/q/metrics" --metrics-every "${METRICS_EVERY:-2}")
  fi
  java -Xms256m -Xmx512m -XX:+UseParallelGC -cp "$CP" io.hulftark.bench.FleetBench run --url "http://127.0.0.1:$port" \
    --secrets "$WORK/secrets" --nodes "$nodes" --warmup "$WARMUP" --seconds "$SECONDS_" --pid "$FLEET" \
    --gc-log "$WORK/gc.log" --label "$STORE" --connections "${CONNECTIONS:-48}" --flip-percent "${FLIP_PERCENT:-2}" \
    --summary-rate "${SUMMARY_RATE:-20}" --page-rate "${PAGE_RATE:-20}" "${scrape_opts[@]}" \
    | tee "$WORK/bench.out" || rc=$?
  grep '^RESULT' "$WORK/bench.out" >> "$RESULTS" || true
  if grep -q -E ' (WARN|ERROR) ' "$WORK/fleet.log"; then
    echo "fleet view warnings and errors (first 5 of $(grep -c -E ' (WARN|ERROR) ' "$WORK/fleet.log")):"
    grep -E ' (WARN|ERROR) ' "$WORK/fleet.log" | head -5 | cut -c1-300
  fi
  stop_fleet
  return $rc
}

# NODES may be a list, e.g. 10000,20000,40000: each count in turn until one misses a target (push until it breaks).
RESULTS=$(mktemp)
RC=0
for n in ${NODES//,/ }; do
  run "$n" || { RC=$?; break; }
done
echo
echo "results ($STORE):"
cat "$RESULTS"
rm -f "$RESULTS"
exit $RC
