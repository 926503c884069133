#!/usr/bin/env bash
# Fleet view benchmark: one 'hulft-ark fleet' process (production JVM settings, -Xmx1g) on the embedded store or on
# PostgreSQL, loaded by io.hulftark.bench.FleetBench: NODES simulated agents (NODES/2 two-node clusters) each posting a
# full report every 10 s, 2 % of the clusters failing over every 10 s, the summary and pages of the cluster table read
# 20 times a second each, and an SSE reader timing each failover's event. Prints one table with the issue's targets
# (exit 0 when all pass, 3 when one misses).
#
#   ./mvnw -q package -DskipTests && ./mvnw -q test-compile && src/bench/fleet.sh [NODES] [SECONDS] [STORE]
#
# NODES 10000, SECONDS (measured, after WARMUP=30 s) 60, STORE embedded or postgresql. PostgreSQL: the local server,
# database hulftark_bench (dropped and created again for each run, owner hulftark, password hulftark; PGHOST,
# PGPORT, PGUSER, PGPASSWORD override). Other knobs as variables: WARMUP, CONNECTIONS, FLIP_PERCENT, JVM_OPTS.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${1:-10000}
SECONDS_=${2:-60}
STORE=${3:-embedded}
WARMUP=${WARMUP:-30}
APP=target/quarkus-app/quarkus-run.jar
CP=target/classes:target/test-classes
# The settings deploy/fleet/systemd/hulft-ark-fleet.service documents.
JVM=(${JVM_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError})
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-hulftark}
PGPASSWORD=${PGPASSWORD:-hulftark}
DB=hulftark_bench
case "$STORE" in embedded|postgresql) ;; *) echo "STORE is embedded or postgresql, not $STORE" >&2; exit 2 ;; esac
[ -f "$APP" ] && [ -f target/test-classes/io/hulftark/bench/FleetBench.class ] || {
  echo "build first: ./mvnw -q package -DskipTests && ./mvnw -q test-compile" >&2; exit 2; }

WORK=$(mktemp -d)
FLEET=
dropdb_() { runuser -u postgres -- dropdb --if-exists "$DB" >/dev/null 2>&1 || true; }
cleanup() {
  if [ -n "$FLEET" ] && kill -0 "$FLEET" 2>/dev/null; then
    kill "$FLEET" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$FLEET" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$FLEET" 2>/dev/null || true
  fi
  [ "$STORE" = postgresql ] && dropdb_
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -cp "$CP" io.hulftark.bench.FleetBench tokens "$WORK/tokens" "$WORK/secrets" "$NODES"

STORE_OPTS=()
if [ "$STORE" = postgresql ]; then
  dropdb_
  runuser -u postgres -- createdb -O "$PGUSER" "$DB"
  STORE_OPTS=(-Dquarkus.datasource.postgresql.jdbc.url="jdbc:postgresql://$PGHOST:$PGPORT/$DB"
              -Dquarkus.datasource.postgresql.username="$PGUSER" -Dquarkus.datasource.postgresql.password="$PGPASSWORD")
fi
java "${JVM[@]}" -Xlog:gc:file="$WORK/gc.log" -Dhulftark.state-dir="$WORK/state" \
  -Dhulftark.security.tokens-file="$WORK/tokens" -Dhulftark.fleet.store="$STORE" "${STORE_OPTS[@]}" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -jar "$APP" fleet > "$WORK/fleet.log" 2>&1 &
FLEET=$!
for _ in $(seq 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" && break
  kill -0 "$FLEET" 2>/dev/null || { echo "the fleet view ended at start-up:" >&2; tail -20 "$WORK/fleet.log" >&2; exit 1; }
  sleep 0.2
done
echo "fleet view pid $FLEET on port $PORT, store $STORE, JVM ${JVM[*]}; uptime:$(uptime | sed 's/.*load/ load/')"

set +e
java -Xms256m -Xmx512m -XX:+UseParallelGC -cp "$CP" io.hulftark.bench.FleetBench run --url "http://127.0.0.1:$PORT" \
  --secrets "$WORK/secrets" --nodes "$NODES" --warmup "$WARMUP" --seconds "$SECONDS_" --pid "$FLEET" \
  --gc-log "$WORK/gc.log" --label "$STORE" --connections "${CONNECTIONS:-48}" --flip-percent "${FLIP_PERCENT:-2}"
RC=$?
set -e
if grep -q -E 'WARN|ERROR' "$WORK/fleet.log"; then
  echo "fleet view warnings and errors during the run (first 10):"
  grep -E 'WARN|ERROR' "$WORK/fleet.log" | head -10
fi
exit $RC
