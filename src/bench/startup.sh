#!/usr/bin/env bash
# Start-up benchmark of the one-shot kit: `lifekeeper` quickCheck of a healthy resource with five
# ports, process start to exit, median of RUNS runs, on JDK 17 and JDK 25, with the JVM flags the
# launchers use and with a class-data archive (AppCDS on 17, the AOT cache on 25).
#
#   ./mvnw -q package -DskipTests && src/bench/startup.sh [RUNS]
#
# The simulated HULFT answers ins_list and the service state with small JVMs of its own (about
# 65 ms each; LifeKeeper's ins_list and the Windows SCM answer in a few ms), so the script also
# times those two alone: the kit's own time is the quickCheck figure less their sum.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-15}
APP=target/quarkus-app/quarkus-run.jar
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
FAST=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
WORK=$(mktemp -d)
trap '"$JDK17/bin/java" -jar "$APP" sim stop "$WORK/hulft" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

"$JDK17/bin/java" -jar "$APP" sim create "$WORK/hulft" --tag hulft > "$WORK/settings.properties"
echo "hulftark.probe=${PROBE:-tcp}" >> "$WORK/settings.properties"
"$WORK/hulft/bin/utlsvcctl" -c start >/dev/null
SCRIPT="$WORK/LifeKeeper/!quickCheck/hulft-ark-lk"
ARGS=(-Dquarkus.config.locations="$WORK/settings.properties" -jar "$APP" lifekeeper --script "$SCRIPT" -t hulft -i id)

median() {  # label, command...
  local label=$1; shift
  local t=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>"$WORK/err" || { echo "$label: failed: $(head -3 "$WORK/err")"; return 1; }
    e=$(date +%s%N)
    t+=($(( (e - s) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${t[@]}" | sort -n)
  printf '%-44s median %4d ms   min %4d   max %4d   (%d runs)\n' "$label" \
    "$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)" "$RUNS"
}

echo "quickCheck, five ports, probe=${PROBE:-tcp}; $(nproc) cores"
median "sim: ins_list alone" "$WORK/hulft/lkroot/bin/ins_list" -t hulft
median "sim: svc-status alone" "$WORK/hulft/bin/svc-status" "HULFT8 Service"

median "JDK 17, default flags" "$JDK17/bin/java" "${ARGS[@]}"
median "JDK 17, launcher flags" "$JDK17/bin/java" "${FAST[@]}" "${ARGS[@]}"
"$JDK17/bin/java" "${FAST[@]}" -XX:ArchiveClassesAtExit="$WORK/app17.jsa" "${ARGS[@]}" >/dev/null 2>&1
median "JDK 17, launcher flags + AppCDS" "$JDK17/bin/java" "${FAST[@]}" -XX:SharedArchiveFile="$WORK/app17.jsa" "${ARGS[@]}"

if [ -n "$JDK25" ]; then
  median "JDK 25, launcher flags" "$JDK25/bin/java" "${FAST[@]}" "${ARGS[@]}"
  "$JDK25/bin/java" "${FAST[@]}" -XX:AOTCacheOutput="$WORK/app25.aot" "${ARGS[@]}" >"$WORK/aot.log" 2>&1 || { echo "AOT training failed: $(tail -2 "$WORK/aot.log")"; exit 1; }
  median "JDK 25, launcher flags + AOT cache" "$JDK25/bin/java" "${FAST[@]}" -XX:AOTCache="$WORK/app25.aot" "${ARGS[@]}"
else
  echo "JDK 25: not found (set JDK25=...)"
fi
