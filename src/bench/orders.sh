#!/usr/bin/env bash
# Fleet actions delivery benchmark (issue 12, "Speed"): how fast an order placed at the fleet view reaches a push
# agent's held connection, and what holding the agents' connections costs the fleet view.
#
#   ./mvnw -o -q test-compile && src/bench/orders.sh [LATENCY_NODES] [IDLE_NODES]
#
# The fleet view is io.hulftark.bench.OrderBenchServer: the real application (fleet role, embedded store, real HTTP,
# -Xmx1g) booted by Quarkus's test runner, because its order book is the test's in-memory one until the store's
# (JdbcActionStore) is merged; orders are placed as the actions service places a step (into the book, then the CDI
# event OrderPlaced) through a control port. What it measures is therefore the delivery itself: the placing request
# -> the order on the node's held connection (the store query of a real book adds to it), p50/p99 for LATENCY_NODES
# (1000) connections held by one load process (io.hulftark.bench.OrderBench, JDK async HttpClient), 40 rounds of 50
# orders at once (a batch's highest concurrency) and, for information, one burst of an order per node; then, on a fresh
# run, the heap after a GC and the thread count of the fleet view's JVM with IDLE_NODES (10000) idle connections
# held, against the same JVM before. Prints RESULT lines; exit 0 when every target is met, 3 when one is missed.
# Every process and temporary file it starts is gone when it ends, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/../.."
LATENCY_NODES=${1:-1000}
IDLE_NODES=${2:-10000}
CP=target/classes:target/test-classes
TOKEN=hak_fleet-reporter-alpha-for-tests-only # FleetProfile's reporter for cluster alpha
[ -f target/test-classes/io/hulftark/bench/OrderBench.class ] || { echo "build first: ./mvnw -o -q test-compile" >&2; exit 2; }

WORK=$(mktemp -d)
SERVER=
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    [ -f "$WORK/ready" ] && curl -s -X POST "http://127.0.0.1:$(cut -d' ' -f2 "$WORK/ready")/stop" >/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -- -"$SERVER" 2>/dev/null || true
  fi
  SERVER=
  rm -f "$WORK/ready"
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

start_server() {
  # A process group of its own (setsid): Maven and its forked test JVM end together.
  setsid ./mvnw -o -q surefire:test -Dtest=OrderBenchServer -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.orders.ready="$WORK/ready" -DargLine="-Xms256m -Xmx1g -XX:+UseZGC" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 900); do
    [ -f "$WORK/ready" ] && break
    kill -0 "$SERVER" 2>/dev/null || { echo "the fleet view ended at start-up:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
  done
  read -r API CONTROL < "$WORK/ready"
  echo "fleet view on port $API (control $CONTROL);$(uptime | sed 's/.*load/ load/')"
}

RC=0
start_server
java -Xmx512m -cp "$CP" io.hulftark.bench.OrderBench --mode latency --nodes "$LATENCY_NODES" \
  --api "http://127.0.0.1:$API" --control "http://127.0.0.1:$CONTROL" --token "$TOKEN" | tee "$WORK/latency.out" || RC=$?
stop_server
start_server
java -Xmx1g -cp "$CP" io.hulftark.bench.OrderBench --mode idle --nodes "$IDLE_NODES" \
  --api "http://127.0.0.1:$API" --control "http://127.0.0.1:$CONTROL" --token "$TOKEN" | tee "$WORK/idle.out" || RC=$?
stop_server
if grep -q -E ' (WARN|ERROR) ' "$WORK/server.log"; then
  echo "fleet view warnings and errors (first 5):"
  grep -E ' (WARN|ERROR) ' "$WORK/server.log" | head -5 | cut -c1-300
fi
echo
echo "results:"
grep -h '^RESULT' "$WORK/latency.out" "$WORK/idle.out" || true
exit $RC
