#!/usr/bin/env bash
# Fleet actions benchmark, end to end (issue 12, "Speed"), against the PACKAGED fleet view ('quarkus-run.jar fleet',
# embedded store, production JVM settings -Xmx1g ZGC as fleet.sh). Load: io.hulftark.bench.ActionBench, simulated
# push agents in one process (JDK async HttpClient), each cluster bench-NNNNN one node 'n' with its own reporter token.
#  1. AGENTS (1000) agents report and hold GET /api/v1/fleet/orders; 40 rounds of 25 single quickChecks POSTed by an
#     operator (every cluster once): POST -> order at the agent, POST -> the agent's RUNNING report acknowledged
#     (target p99 <= 1 s), POST -> SUCCEEDED; then
#  2. a batch of AGENTS/2 quickChecks (label half=a) at concurrency 50: must end SUCCEEDED with no error.
#  3. On a fresh fleet view: FleetBench (fleet.sh's load: FLEET_NODES report-pushing nodes, reduced to WARMUP/SECONDS)
#     alone, then IDLE (10000) idle agents connected (heap after full GC and threads before/after), then the same
#     FleetBench run again while they stay connected.
#
#   ./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile && src/bench/actions.sh [AGENTS] [IDLE] [FLEET_NODES]
#
# PARTS=12 runs only parts 1-2, PARTS=3 only part 3 (FLEET_NODES 0: without the fleet.sh load). Prints RESULT lines; exit 0 when every target is met, 3 otherwise.
# Every process and temporary directory it starts is gone when it ends, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-1000}
IDLE=${2:-10000}
FLEET_NODES=${3:-10000}
PARTS=${PARTS:-123}
WARMUP=${WARMUP:-20}
SECONDS_=${SECONDS_:-30}
APP=target/quarkus-app/quarkus-run.jar
CP=target/classes:target/test-classes
JVM=(${JVM_OPTS:--Xms256m -Xmx1g -XX:+UseZGC -XX:MaxMetaspaceSize=192m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError})
[ -f "$APP" ] && [ -f target/test-classes/io/hulftark/bench/ActionBench.class ] || {
  echo "build first: ./mvnw -o -q package -DskipTests && ./mvnw -o -q test-compile" >&2; exit 2; }

WORK=
FLEET=
LOADER=
stop_fleet() {
  if [ -n "$LOADER" ] && kill -0 "$LOADER" 2>/dev/null; then kill "$LOADER" 2>/dev/null || true; fi
  LOADER=
  if [ -n "$FLEET" ] && kill -0 "$FLEET" 2>/dev/null; then
    kill "$FLEET" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$FLEET" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$FLEET" 2>/dev/null || true
  fi
  FLEET=
  local w=$WORK
  WORK=
  if [ -n "$w" ]; then
    WORK=$w
    if grep -q -E ' (WARN|ERROR) ' "$WORK/fleet.log" 2>/dev/null; then
      echo "fleet view warnings and errors (first 5 of $(grep -c -E ' (WARN|ERROR) ' "$WORK/fleet.log")):"
      grep -E ' (WARN|ERROR) ' "$WORK/fleet.log" | head -5 | cut -c1-300
    fi
    rm -rf "$WORK"
    WORK=
  fi
}
trap stop_fleet EXIT
trap 'exit 130' INT TERM
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A new fleet view on a new embedded store; tokens for $1 ActionBench agents and $2 FleetBench nodes.
start_fleet() {
  WORK=$(mktemp -d)
  PORT=$(freeport)

  MPORT=$(freeport)
  if [ "$2" -gt 0 ]; then java -cp "$CP" io.hulftark.bench.FleetBench tokens "$WORK/tokens" "$WORK/fsecrets" "$2"; fi
  java -cp "$CP" io.hulftark.bench.ActionBench tokens "$WORK/tokens" "$WORK/secrets" "$1"
  java "${JVM[@]}" -Xlog:gc:file="$WORK/gc.log" -Dhulftark.state-dir="$WORK/state" \
    -Dhulftark.security.tokens-file="$WORK/tokens" -Dhulftark.fleet.store=embedded \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MPORT" \
    -jar "$APP" fleet > "$WORK/fleet.log" 2>&1 &
  FLEET=$!
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$MPORT/q/health/ready" && break
    kill -0 "$FLEET" 2>/dev/null || { echo "the fleet view ended at start-up:" >&2; tail -20 "$WORK/fleet.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "fleet view pid $FLEET on port $PORT, JVM ${JVM[*]};$(uptime | sed 's/.*load/ load/')"
}

fleetbench() { # $1 label; FLEET_NODES=0: no fleet.sh load
  [ "$FLEET_NODES" -gt 0 ] || return 0
  java -Xms256m -Xmx512m -XX:+UseParallelGC -cp "$CP" io.hulftark.bench.FleetBench run --url "http://127.0.0.1:$PORT" \
    --secrets "$WORK/fsecrets" --nodes "$FLEET_NODES" --warmup "$WARMUP" --seconds "$SECONDS_" --pid "$FLEET" \
    --gc-log "$WORK/gc.log" --label "$1" --connections 48 --flip-percent 2 --summary-rate 20 --page-rate 20 --metrics-url "http://127.0.0.1:$MPORT/q/metrics" --metrics-every 2 \
    | tee "$WORK/fb-$2.out" || RC=$?
  grep '^RESULT' "$WORK/fb-$2.out" | sed "s/^RESULT/RESULT [$1]/" >> "$RESULTS" || true
}

RESULTS=$(mktemp)
RC=0
if [[ $PARTS == *1* ]]; then
  start_fleet "$AGENTS" 0
  java -Xmx1g -cp "$CP" io.hulftark.bench.ActionBench --mode actions --url "http://127.0.0.1:$PORT" \
    --secrets "$WORK/secrets" --nodes "$AGENTS" --batch $((AGENTS / 2)) | tee "$WORK/actions.out" || RC=$?
  grep '^RESULT' "$WORK/actions.out" >> "$RESULTS" || true
  stop_fleet
fi
if [[ $PARTS == *3* ]]; then
  start_fleet "$IDLE" "$FLEET_NODES"
  fleetbench "without idle agents" alone
  java -Xmx1g -cp "$CP" io.hulftark.bench.ActionBench --mode idle --url "http://127.0.0.1:$PORT" \
    --secrets "$WORK/secrets" --nodes "$IDLE" --pid "$FLEET" --hold-until "$WORK/release" > "$WORK/idle.out" 2>&1 &
  LOADER=$!
  for _ in $(seq 1200); do
    grep -q HOLDING "$WORK/idle.out" && break
    kill -0 "$LOADER" 2>/dev/null || break
    sleep 0.5
  done
  cat "$WORK/idle.out"
  grep '^RESULT' "$WORK/idle.out" >> "$RESULTS" || true
  grep -q 'PASS' "$WORK/idle.out" || RC=3
  fleetbench "with $IDLE idle agents" with
  touch "$WORK/release"
  wait "$LOADER" || true
  LOADER=
  tail -1 "$WORK/idle.out"
  stop_fleet
fi
echo
echo "results:"
cat "$RESULTS"
rm -f "$RESULTS"
exit $RC
