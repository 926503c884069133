#!/usr/bin/env bash
# quickCheck of a healthy five-port resource through the LifeKeeper launcher (deploy/linux/hulft-ark-lk),
# process start to exit, median of RUNS runs, all in one run on the same stand-ins:
#   - a Perl script doing the spec's steps sequentially (src/bench/quickcheck-spec.pl): the yardstick;
#   - the launcher with the node agent running (fast path: hulft-ark-fast asks the agent);
#   - the launcher with the fast path off (HULFTARK_FAST_CHECK=0): the JVM, as without the agent;
#   - the launcher after the agent stopped (the client finds no socket, then the JVM);
#   - the OCF agent's monitor (deploy/linux/ocf/hulft-ark) with the agent running and with the fast path off.
# Then the agent's extra cost of answering one check a second: CPU and heap, against the same time idle.
#
#   ./mvnw -q package -DskipTests && src/bench/quickcheck.sh [RUNS] [SECONDS]
#
# Stand-ins: the simulated HULFT listens on its five ports; ins_list and the state query are tiny shell
# scripts (LifeKeeper's ins_list and systemctl answer in milliseconds; the simulator's own are JVMs).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-31}
LOAD_SECONDS=${2:-60}
APP=$ROOT/target/quarkus-app
JAVA=${JAVA:-java}
W=$(mktemp -d)
AGENT=
cleanup() {
  [ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
  "$JAVA" -jar "$APP/quarkus-run.jar" sim stop "$W/hulft" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT

"$JAVA" -jar "$APP/quarkus-run.jar" sim create "$W/hulft" --tag hulft > "$W/sim.properties"
"$W/hulft/bin/utlsvcctl" -c start >/dev/null
mkdir -p "$W/lk/bin" "$W/lk/etc/default" "$W/bin"
"$W/hulft/lkroot/bin/ins_list" -t hulft > "$W/lk/ins_list.out"
printf '#!/bin/sh\nexec cat %s\n' "$W/lk/ins_list.out" > "$W/lk/bin/ins_list"
printf '#!/bin/sh\nexit 0\n' > "$W/bin/svc-status"
: > "$W/lk/etc/default/LifeKeeper"
chmod +x "$W/lk/bin/ins_list" "$W/bin/svc-status"
cat > "$W/site.properties" <<PROPS
hulftark.platform=command
hulftark.command.status=$W/bin/svc-status,{service}
hulftark.command.start-type=$W/hulft/bin/svc-start-type,{service}
hulftark.command.set-demand=$W/hulft/bin/svc-set-demand,{service}
hulftark.exe-path=$W/hulft/bin
hulftark.conf-file=$W/hulft/etc/hulenv.cnf
hulftark.state-dir=$W/state
hulftark.probe=tcp
PROPS
mkdir -p "$W/LifeKeeper/!quickCheck" "$W/lkcwd"
SCRIPT="$W/LifeKeeper/!quickCheck/hulft-ark-lk"
cp deploy/linux/hulft-ark-lk "$SCRIPT"
export QUARKUS_CONFIG_LOCATIONS=$W/site.properties LKROOT=$W/lk HULFTARK_HOME=$APP \
  HULFTARK_FAST_CLIENT=$ROOT/deploy/linux/hulft-ark-fast HULFTARK_FAST_SOCKET=$W/fast/check.sock

# The agent with the production memory settings of deploy/linux/hulft-ark-agent.service.
: > "$W/tokens"; chmod 600 "$W/tokens"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
"$JAVA" -Xmx48m -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m \
  -XX:MaxDirectMemorySize=16m -Dhulftark.security.tokens-file="$W/tokens" \
  -Dquarkus.http.port="$(free_port)" -Dquarkus.http.host=127.0.0.1 -Dquarkus.management.port="$(free_port)" \
  -Dhulftark.agent.fast-check.socket="$W/fast/check.sock" -Dhulftark.agent.tags=hulft \
  -Dhulftark.agent.check-interval=1h -jar "$APP/quarkus-run.jar" agent > "$W/agent.log" 2>&1 &
AGENT=$!
for _ in $(seq 300); do [ -S "$W/fast/check.sock" ] && break; sleep 0.1; done
[ -S "$W/fast/check.sock" ] || { echo "the agent did not open its socket:"; tail -5 "$W/agent.log"; exit 1; }

cd "$W/lkcwd"
which_path() { HULFTARK_FAST_DEBUG=1 "$@" 2>&1 >/dev/null | sed -n 's/^hulft-ark-fast: debug: //p' | head -1; }
echo "fast path:  $(which_path "$SCRIPT" -t hulft -i id)"

# CPU of this shell's children (bash's `times`, second line) and of the agent, in ms: less disturbed than wall
# time by a busy machine.
children_cpu() { tail -1 "$1" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60000 + a[2] * 1000 } printf "%d", n }'; }
agent_cpu() { if [ -n "$AGENT" ]; then awk -v t="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$AGENT/stat"; else echo 0; fi; }

median() {  # label, command...
  local label=$1; shift
  local t=()
  local a0
  times > "$W/times0"; a0=$(agent_cpu)   # `times` in this shell, not in a $(...) subshell
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>"$W/err" || { echo "$label: failed: $(head -3 "$W/err")"; return 1; }
    e=$(date +%s%N)
    t+=($(( (e - s) / 100000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${t[@]}" | sort -n)
  local med min max
  med=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p"); min=$(echo "$sorted" | head -1); max=$(echo "$sorted" | tail -1)
  local cpu agent
  times > "$W/times1"
  cpu=$(( ($(children_cpu "$W/times1") - $(children_cpu "$W/times0")) / RUNS )); agent=$(( ($(agent_cpu) - a0) / RUNS ))
  printf '%-52s median %6.1f ms   min %6.1f   max %6.1f   CPU %3d ms + agent %3d ms   (%d runs)\n' "$label" \
    "$(echo "$med / 10" | bc -l)" "$(echo "$min / 10" | bc -l)" "$(echo "$max / 10" | bc -l)" "$cpu" "$agent" "$RUNS"
}

echo "quickCheck of a healthy five-port resource (probe tcp); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  median "Perl, the spec's steps (quickcheck-spec.pl)" perl "$ROOT/src/bench/quickcheck-spec.pl" "$SCRIPT" \
    "$W/bin/svc-status" "$W/hulft/etc/hulenv.cnf" -t hulft
  median "launcher, agent running (fast path)" "$SCRIPT" -t hulft -i id
done
median "launcher, HULFTARK_FAST_CHECK=0 (JVM path)" env HULFTARK_FAST_CHECK=0 "$SCRIPT" -t hulft -i id
# The OCF agent's monitor (deploy/linux/ocf/hulft-ark) as Pacemaker runs it, both paths.
mkdir -p "$W/ocf"; OCF="$W/ocf/hulft-ark"; cp "$ROOT/deploy/linux/ocf/hulft-ark" "$OCF"
OCF_ENV=(env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=hulft OCF_RESKEY_service=hulft8
  OCF_RESKEY_exe_path="$W/hulft/bin" OCF_RESKEY_conf_file="$W/hulft/etc/hulenv.cnf" OCF_RESKEY_probe=tcp
  OCF_RESKEY_CRM_meta_timeout=60000 OCF_RESKEY_CRM_meta_interval=30000)
echo "OCF fast path:  $(which_path "${OCF_ENV[@]}" "$OCF" monitor)"
median "OCF monitor, agent running (fast path)" "${OCF_ENV[@]}" "$OCF" monitor
median "OCF monitor, HULFTARK_FAST_CHECK=0 (JVM path)" "${OCF_ENV[@]}" HULFTARK_FAST_CHECK=0 "$OCF" monitor

# The agent's extra cost: CPU (utime+stime of its process) and heap after a full GC, idle vs one check a second.
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$AGENT/stat"; }
heap() { jcmd "$AGENT" GC.run >/dev/null 2>&1; jcmd "$AGENT" GC.heap_info 2>/dev/null | awk '/def new generation|tenured generation/ { gsub(/K,?/, "", $0); for (i = 1; i <= NF; i++) if ($i == "used") u += $(i + 1) } END { printf "%.1f", u / 1024 }'; }
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$AGENT/status"; }
heap_idle=$(heap); c0=$(cpu); sleep "$LOAD_SECONDS"; c1=$(cpu)
idle_ms=$((c1 - c0))
rss_before=$(rss)
c0=$(cpu)
for _ in $(seq "$LOAD_SECONDS"); do
  s=$(date +%s%N); "$SCRIPT" -t hulft -i id >/dev/null 2>&1; e=$(date +%s%N)
  sleep "$(echo "scale=3; x = 1 - ($e - $s) / 1000000000; if (x < 0) 0 else x" | bc)"
done
c1=$(cpu)
load_ms=$((c1 - c0))
heap_load=$(heap)
echo "agent CPU over ${LOAD_SECONDS} s: idle ${idle_ms} ms, one check a second ${load_ms} ms" \
  "=> $(( (load_ms - idle_ms) / LOAD_SECONDS )) ms a check, $(echo "scale=2; ($load_ms - $idle_ms) / ($LOAD_SECONDS * 10)" | bc) % of a core"
echo "agent heap after a full GC: idle ${heap_idle} MiB, after ${LOAD_SECONDS} checks ${heap_load} MiB; RSS ${rss_before} -> $(rss) MiB"

kill "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=
median "launcher, agent stopped (no socket, then JVM)" "$SCRIPT" -t hulft -i id
