#!/usr/bin/env bash
# Inventory benchmark (issue 13): one packaged 'hulft-ark fleet' process (production JVM settings, -Xmx1g) on the
# embedded store, loaded by io.hulftark.bench.InventoryBench: NODES agents (NODES/2 two-node clusters) each report
# once with their facts (agent version, OS, JVM, LifeKeeper varied), then a heartbeat without facts every 10 s (the
# fleet benchmark's report load); after WARMUP seconds, 100 filtered inventory pages and 3 CSV exports of all nodes
# are timed meanwhile. Also prints the bytes of a heartbeat without facts and with them.
# Targets: page p99 <= 100 ms, CSV <= 2 s (exit 0 when both pass, 3 when one misses).
#
#   ./mvnw -q package -DskipTests && ./mvnw -q test-compile && src/bench/inventory.sh [NODES] [WARMUP]
#
# NODES 10000, WARMUP 20 s; HEARTBEATS=off leaves the report load out (the inventory's own cost). JVM_OPTS overrides the fleet view's JVM settings. Every process and temporary directory
# it starts is gone when it ends, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${1:-10000}
WARMUP=${2:-20}
APP=target/quarkus-app/quarkus-run.jar
# InventoryBench serialises reports with Jackson as the agent does: the packaged application's own jars.
CP="target/classes:target/test-classes:target/quarkus-app/lib/main/*"
# The settings deploy/fleet/systemd/hulft-ark-fleet.service documents.
JVM=(${JVM_OPTS:--Xms256m -Xmx1g -XX:+UseZGC -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError})
[ -f "$APP" ] && [ -f target/test-classes/io/hulftark/bench/InventoryBench.class ] || {
  echo "build first: ./mvnw -q package -DskipTests && ./mvnw -q test-compile" >&2; exit 2; }

WORK=$(mktemp -d)
FLEET=
stop_fleet() {
  if [ -n "$FLEET" ] && kill -0 "$FLEET" 2>/dev/null; then
    kill "$FLEET" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$FLEET" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$FLEET" 2>/dev/null || true
  fi
  FLEET=
  rm -rf "$WORK"
}
trap stop_fleet EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -cp "$CP" io.hulftark.bench.FleetBench tokens "$WORK/tokens" "$WORK/secrets" "$NODES"
java "${JVM[@]}" -Dhulftark.state-dir="$WORK/state" -Dhulftark.security.tokens-file="$WORK/tokens" \
  -Dhulftark.fleet.store=embedded -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
  -Dquarkus.management.port="$mport" -jar "$APP" fleet > "$WORK/fleet.log" 2>&1 &
FLEET=$!
for _ in $(seq 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$mport/q/health/ready" && break
  kill -0 "$FLEET" 2>/dev/null || { echo "the fleet view ended at start-up:" >&2; tail -20 "$WORK/fleet.log" >&2; exit 1; }
  sleep 0.2
done
echo "fleet view pid $FLEET on port $port, embedded store, JVM ${JVM[*]};$(uptime | sed 's/.*load/ load/')"
rc=0
java -Xms256m -Xmx512m -XX:+UseParallelGC -cp "$CP" io.hulftark.bench.InventoryBench --url "http://127.0.0.1:$port" \
  --secrets "$WORK/secrets" --nodes "$NODES" --warmup "$WARMUP" \
  --heartbeats "${HEARTBEATS:-on}" || rc=$?
if grep -q -E ' (WARN|ERROR) ' "$WORK/fleet.log"; then
  echo "fleet view warnings and errors (first 5 of $(grep -c -E ' (WARN|ERROR) ' "$WORK/fleet.log")):"
  grep -E ' (WARN|ERROR) ' "$WORK/fleet.log" | head -5 | cut -c1-300
fi
exit $rc
