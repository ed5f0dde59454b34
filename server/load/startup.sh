#!/usr/bin/env bash
# Start-up of the packaged server to its first answered POST /updates, on the embedded PostgreSQL default:
# a fresh data folder (initdb; the binaries are unpacked once per machine into the cache folder) and a restart on the
# existing folder, each without and with the class-data archive that ./updraft server uses (docs/operations.md,
# "Start-up time"; made here by one training start first). Prints one line per start with the wall time and the CPU
# time the JVM used by then. Usage: server/load/startup.sh [runs] (default 3), after
# ./mvnw -B -pl server -am package -DskipTests. Not a test: the numbers depend on the machine and its load.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR="$PWD/server/target/quarkus-app/quarkus-run.jar"
RUNS="${1:-3}"
# the launcher's JIT settings for the server (./updraft server; docs/operations.md, "Start-up time")
JIT=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4CompileThreshold=100000 -XX:Tier4BackEdgeThreshold=400000)
WORK="$(mktemp -d)"
PORT=18480
MGMT=19480
trap 'kill "$(cat "$WORK/pid" 2>/dev/null)" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

# start LABEL [JVM options...]: starts the jar on $WORK/data and prints the time until /updates answers (any status)
start() {
  local label="$1" t0 code ms cpu
  shift
  t0=$(date +%s%N)
  java "${JIT[@]}" "$@" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$PORT -Dupdraft.management.port=$MGMT \
    -Dupdraft.data-dir="$WORK/data" -Dupdraft.admin-api-key=startup-bench -jar "$JAR" >"$WORK/out.log" 2>&1 &
  echo $! >"$WORK/pid"
  while :; do
    code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' \
      "http://127.0.0.1:$PORT/updates" 2>/dev/null || true)
    [[ "$code" != "000" ]] && break
    kill -0 "$(cat "$WORK/pid")" 2>/dev/null || { echo "the server exited:"; tail -n 20 "$WORK/out.log"; exit 1; }
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$(cat "$WORK/pid")/stat" 2>/dev/null || echo "?")
  [[ -n "$label" ]] && echo "$label: first /updates answered ($code) after $ms ms, JVM CPU ${cpu} s"
  kill "$(cat "$WORK/pid")"
  while kill -0 "$(cat "$WORK/pid")" 2>/dev/null; do sleep 0.05; done
}

rm -rf "$WORK/data"
start "" "-XX:ArchiveClassesAtExit=$WORK/server.jsa" "-Xlog:cds*=off" # the training start: writes the archive at exit
CDS=("-XX:SharedArchiveFile=$WORK/server.jsa" "-Xlog:cds*=off")
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data"
  start "fresh data folder,   no archive (run $i)"
  start "restart, same folder, no archive (run $i)"
  rm -rf "$WORK/data"
  start "fresh data folder,   archive    (run $i)" "${CDS[@]}"
  start "restart, same folder, archive    (run $i)" "${CDS[@]}"
done
