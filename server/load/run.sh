#!/usr/bin/env bash
# Load test of POST /updates against the packaged jar (build it first: ./mvnw -B -pl server package -DskipTests).
# Starts the server on a fresh data folder, registers 10 channels and 100 bundles, warms up, then runs wrk.
# Usage: [JAVA_OPTS=...] [PORT=...] [MANAGEMENT_PORT=...] server/load/run.sh [connections] [duration]
# (needs wrk: apt-get install -y wrk). Health and metrics are read from the management port.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR="$HERE/../target/quarkus-app/quarkus-run.jar"
CONNS=${1:-64}
DURATION=${2:-30s}
PORT=${PORT:-18090}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18091}
WORK=$(mktemp -d)
DATA="$WORK/data"
KEY=load-test-key
UPDRAFT_ADMIN_API_KEY=$KEY java ${JAVA_OPTS:--Xmx1g} -Dquarkus.http.port=$PORT -Dupdraft.management.port=$MANAGEMENT_PORT -Dupdraft.data-dir="$DATA" -jar "$JAR" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
"$HERE/setup.sh" "http://127.0.0.1:$PORT" "$KEY"
wrk -t2 -c"$CONNS" -d10s -s "$HERE/updates.lua" "http://127.0.0.1:$PORT" >/dev/null   # warm-up (JIT)
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$HERE/updates.lua" "http://127.0.0.1:$PORT"
curl -s "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" | grep -E '^updraft_update_decisions_total\{error="(none|no_new_version_available)"'
