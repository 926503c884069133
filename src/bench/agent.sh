#!/usr/bin/env bash
# Node agent benchmarks: one check of five ports (tcp probe), GET /api/v1/resources/{tag} at a
# constant rate, crash-to-FAILED time, and idle resident memory with the production heap settings.
#
#   ./mvnw -q package -DskipTests && ./mvnw -q test-compile && src/bench/agent.sh [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-500}
SECONDS_=${2:-20}
APP=target/quarkus-app/quarkus-run.jar
CP=target/classes:target/test-classes
# The production settings README.md documents (deploy/linux/hulft-ark-agent.service uses them too).
HEAP=(-Xmx48m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:MaxDirectMemorySize=16m)
export MALLOC_ARENA_MAX=2
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { [ -n "${AGENT:-}" ] && kill "$AGENT" 2>/dev/null; java -jar "$APP" sim stop "$WORK/hulft" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

java -cp "$CP" io.hulftark.bench.CheckBench 5000

java -jar "$APP" sim create "$WORK/hulft" --tag hulft > "$WORK/agent.properties"
TOKEN=$(java -Dquarkus.config.locations="$WORK/agent.properties" -Dhulftark.security.tokens-file="$WORK/tokens" \
  -jar "$APP" token new --name bench --role viewer 2>/dev/null)
OPERATOR=$(java -Dquarkus.config.locations="$WORK/agent.properties" -Dhulftark.security.tokens-file="$WORK/tokens" \
  -jar "$APP" token new --name bench-ops --role operator 2>/dev/null)
cat >> "$WORK/agent.properties" <<PROPS
hulftark.probe=tcp
hulftark.probe-timeout=2s
hulftark.agent.tags=hulft
hulftark.agent.action-mode=direct
hulftark.agent.check-interval=${INTERVAL:-10s}
hulftark.agent.failures-before-failed=2
hulftark.security.tokens-file=$WORK/tokens
quarkus.http.port=$PORT
quarkus.http.host=127.0.0.1
quarkus.management.port=$MPORT
PROPS
java "${HEAP[@]}" -Dquarkus.config.locations="$WORK/agent.properties" -jar "$APP" agent > "$WORK/agent.log" 2>&1 &
AGENT=$!
until curl -sf "http://127.0.0.1:$MPORT/q/health/live" >/dev/null; do sleep 0.2; done
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d '{"action":"restore","reason":"benchmark"}' "http://127.0.0.1:$PORT/api/v1/resources/hulft/actions"
sleep 3
echo "agent idle RSS after start-up: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$AGENT/status) (${HEAP[*]})"

java -cp "$CP" io.hulftark.bench.LoadGen "http://127.0.0.1:$PORT/api/v1/resources/hulft" "$TOKEN" "$RATE" "$SECONDS_"

# Crash to FAILED: at most interval x failures-before-failed + 1 s.
until curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/resources/hulft" | grep -q '"status":"RUNNING"'; do sleep 0.1; done
start=$(date +%s%N)
java -jar "$APP" sim fault "$WORK/hulft" crash
until curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/resources/hulft" | grep -q '"status":"FAILED"'; do sleep 0.05; done
echo "crash to FAILED: $(( ($(date +%s%N) - start) / 1000000 )) ms (interval ${INTERVAL:-10s}, failures-before-failed 2)"
sleep 30
echo "agent idle RSS after the load and 30 s idle: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$AGENT/status)"
