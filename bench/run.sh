#!/usr/bin/env bash
# The benchmark suite of docs/performance.md: every measure beside its anchor, in the same run, on this machine.
# Writes bench/results/latest.md and latest.json and the generated table of docs/performance.md.
# Speed goals are reported, never enforced: the exit code is non-zero only when the suite itself broke.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: ./bench/run.sh [--quick] [--only NAME...] [--no-doc]

  --quick        one repetition instead of three, shorter JMH and wrk runs, no 1 GB bundle (about 4 minutes)
  --only NAME... only these groups: jmh, cli, zip, large, start, updates, sim (default: all)
  --no-doc       leave docs/performance.md alone (the table still goes to bench/results/)

Needs: a JDK 17, node and npm (the Capgo CLI anchor), openssl, sha256sum, python3, curl, wrk and nginx
(Debian: apt-get install -y wrk nginx). The jars are built through ./mvnw when missing.
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
QUICK=0
DOC=1
ONLY=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --no-doc) DOC=0; shift ;;
    --only)
      shift
      while [[ $# -gt 0 && "$1" != --* ]]; do ONLY+=("$1"); shift; done
      [[ ${#ONLY[@]} -gt 0 ]] || { echo "bench: --only needs at least one group name" >&2; exit 2; } ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
ALL_GROUPS=(jmh cli zip large start updates sim)
for g in ${ONLY[@]+"${ONLY[@]}"}; do
  [[ " ${ALL_GROUPS[*]} " == *" $g "* ]] || { echo "bench: unknown group $g (${ALL_GROUPS[*]})" >&2; exit 2; }
done
wanted() {
  [[ ${#ONLY[@]} -eq 0 ]] && return 0
  [[ " ${ONLY[*]} " == *" $1 "* ]]
}

REPS=3
[[ $QUICK == 1 ]] && REPS=1
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="java"; fi

# ---- prerequisites -------------------------------------------------------------------------------------------------
missing=()
for tool in "$JAVA" node npm openssl sha256sum python3 curl /usr/bin/time; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if wanted updates; then
  for tool in wrk nginx; do command -v "$tool" >/dev/null || missing+=("$tool"); done
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bench: missing ${missing[*]}; on Debian: apt-get install -y wrk nginx openssl curl python3 time nodejs npm" >&2
  exit 1
fi

CLI_JAR="$ROOT/cli/target/updraft-cli.jar"
SIM_JAR="$ROOT/device-sim/target/updraft-sim.jar"
SIM_WARMUPS=30 # whole flows before the warm devices are measured (group sim)
SIM_MEASURED=5
SERVER_JAR="$ROOT/server/target/quarkus-app/quarkus-run.jar"
JMH_JAR="$ROOT/benchmarks/target/updraft-benchmarks.jar"
need=() modules=()
needs() { [[ -f "$1" ]] || { need+=("${1#"$ROOT"/}"); modules+=("$2"); }; }
if wanted jmh; then needs "$JMH_JAR" benchmarks; fi
for g in cli zip large start updates sim; do
  if wanted "$g"; then needs "$CLI_JAR" cli; break; fi
done
for g in start updates sim; do
  if wanted "$g"; then needs "$SERVER_JAR" server; needs "$SIM_JAR" device-sim; break; fi
done
if [[ ${#need[@]} -gt 0 ]]; then
  echo "bench: building ${modules[*]} (${need[*]} missing) ..." >&2
  ./mvnw -B -q -pl "$(IFS=,; echo "${modules[*]}")" -am package -DskipTests >&2
fi
UPDRAFT=("$ROOT/updraft")
export UPDRAFT_NO_BUILD=1 # a benchmark must never time a build

WORK="$(mktemp -d /tmp/updraft-bench.XXXXXX)"
chmod 711 "$WORK" # nginx's workers (another user when started as root) read the static answer under it
ROWS="$WORK/rows.jsonl"
: >"$ROWS"
WATCH_PID=""
cleanup() {
  [[ -n "$WATCH_PID" ]] && kill "$WATCH_PID" 2>/dev/null
  [[ -n "${BENCH_KEEP:-}" ]] && { echo "bench: kept $WORK" >&2; return; }
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- helpers -------------------------------------------------------------------------------------------------------
# row ID MEASURE UNIT OURS ANCHOR ANCHOR_NAME GOAL_KIND GOAL_VALUE GOAL_TEXT [NOTE]: one row of the table (empty
# ANCHOR / GOAL_KIND: none). GOAL_KIND: ratio_max, ratio_min (ours/anchor), max, min (ours).
row() {
  python3 - "$@" >>"$ROWS" <<'EOF'
import json, sys
a = sys.argv[1:] + [""] * 11
num = lambda s: None if s == "" else float(s)
goal = None if a[6] == "" else {"kind": a[6], "value": float(a[7]), "text": a[8]}
print(json.dumps({"id": a[0], "measure": a[1], "unit": a[2], "ours": num(a[3]), "anchor": num(a[4]),
                  "anchor_name": a[5], "goal": goal, "note": a[9]}))
EOF
}

# error_row ID MEASURE MESSAGE: a measure the suite could not take.
error_row() {
  python3 -c 'import json,sys; print(json.dumps({"id":sys.argv[1],"measure":sys.argv[2],"error":sys.argv[3],"goal":None}))' \
    "$1" "$2" "$3" >>"$ROWS"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
calc() { python3 -c "print($1)"; }

# timed REPS CMD...: runs CMD (in the current folder) REPS times; T_MED = median wall seconds, M_MED = median peak RSS
# in MB (/usr/bin/time %M of the largest process). $BEFORE_EACH, if set, is run (untimed) before every repetition.
timed() {
  local reps="$1" i start end e m
  shift
  local ts=() ms=()
  for ((i = 0; i < reps; i++)); do
    [[ -n "${BEFORE_EACH:-}" ]] && eval "$BEFORE_EACH"
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%M' -o "$WORK/time.out" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"; then
      echo "bench: failed: $*" >&2
      tail -n 5 "$WORK/cmd.err" "$WORK/cmd.out" >&2
      return 1
    fi
    end=$(date +%s%N)
    e=$(calc "($end - $start) / 1e9")
    m=$(tail -1 "$WORK/time.out")
    ts+=("$e")
    ms+=("$(calc "round($m / 1024)")")
  done
  T_MED=$(median "${ts[@]}")
  M_MED=$(median "${ms[@]}")
}

# json_field FILE KEY: one string field of a CLI's --json output.
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# openssl_anchors PLAIN: the same work as encrypt and as decrypt + verify, by openssl with a random key, timed:
# OPENSSL_ENC_S for sha256sum + openssl enc of PLAIN, OPENSSL_DEC_S for openssl enc -d of that | sha256sum.
openssl_anchors() {
  local plain="$1" k iv
  k=$(openssl rand -hex 16)
  iv=$(openssl rand -hex 16)
  timed "$REPS" bash -c "sha256sum '$plain' >/dev/null && openssl enc -aes-128-cbc -K $k -iv $iv -in '$plain' -out '$plain.openssl'"
  OPENSSL_ENC_S=$T_MED
  timed "$REPS" bash -c "openssl enc -d -aes-128-cbc -K $k -iv $iv -in '$plain.openssl' | sha256sum >/dev/null"
  OPENSSL_DEC_S=$T_MED
  rm -f "$plain.openssl"
}

# wait_http URL PID: until URL answers, for at most 60 s, while PID lives.
wait_http() {
  local i
  for ((i = 0; i < 1200; i++)); do
    curl -s -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "bench: the process behind $1 stopped" >&2; return 1; }
    sleep 0.05
  done
  echo "bench: $1 did not answer within 60 s" >&2
  return 1
}

# free_port: a loopback port free now, drawn below the kernel's ephemeral range (a port from that range can be taken,
# before our server binds it, as the local port of one of the load runs' outgoing connections or by an embedded
# PostgreSQL asking for any free port) and never twice in one run ($WORK/ports-used).
free_port() {
  python3 - "$WORK/ports-used" <<'PY'
import random, socket, sys
used_file = sys.argv[1]
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
low = low if low > 21000 else 32768
try:
    used = set(open(used_file).read().split())
except OSError:
    used = set()
for _ in range(200):
    port = random.randrange(20000, low)
    if str(port) in used:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    with open(used_file, "a") as f:
        f.write(f"{port}\n")
    print(port)
    sys.exit(0)
sys.exit("bench: no free TCP port below the ephemeral range after 200 tries")
PY
}

# cpu_ticks PID...: user + system CPU of the processes, in clock ticks.
cpu_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    if [[ -r /proc/$pid/stat ]]; then
      t=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat")
      total=$((total + t))
    fi
  done
  echo "$total"
}
TICKS=$(getconf CLK_TCK)

# The Capgo CLI anchor, pinned by version and npm integrity, cached where the integration tests cache it
# (integration-tests/src/test/java/dev/updraft/it/CapgoCli.java: the same file name and integrity).
CAPGO_VERSION=8.68.1
CAPGO_INTEGRITY="sha512-/Pw1i6rIrzNeu3ptk+jVr9JxLqhZawMj51b0i3B0MWkVjTJNAq2t+rY+nDzAgH3n2zz+3dGqY62EZVfQK1M07g=="
capgo_fetch() {
  local cache="$HOME/.cache/updraft-it" tarball
  tarball="$cache/capgo-cli-$CAPGO_VERSION.tgz"
  if [[ ! -f "$tarball" ]]; then
    mkdir -p "$cache"
    (cd "$cache" && npm pack "@capgo/cli@$CAPGO_VERSION" --silent >/dev/null)
  fi
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ "$actual" != "$CAPGO_INTEGRITY" ]]; then
    echo "bench: $tarball is not @capgo/cli@$CAPGO_VERSION (integrity $actual); delete it to fetch it again" >&2
    return 1
  fi
  mkdir -p "$WORK/capgo"
  tar xzf "$tarball" -C "$WORK/capgo"
  CAPGO=(node "$WORK/capgo/package/dist/index.js")
}
export CI=1 NO_COLOR=1 CAPGO_DISABLE_TELEMETRY=1

# A Capacitor project both CLIs accept (capacitor.config.json, package.json, the updater in node_modules).
make_project() {
  local dir="$1"
  mkdir -p "$dir"
  echo '{"appId":"com.example.bench","appName":"bench","webDir":"www"}' >"$dir/capacitor.config.json"
  echo '{"name":"bench","version":"1.0.0","dependencies":{"@capgo/capacitor-updater":"8.51.23"}}' >"$dir/package.json"
  local dep
  for dep in "@capacitor/core:8.0.0" "@capgo/capacitor-updater:8.51.23"; do
    mkdir -p "$dir/node_modules/${dep%:*}"
    echo "{\"name\":\"${dep%:*}\",\"version\":\"${dep#*:}\"}" >"$dir/node_modules/${dep%:*}/package.json"
  done
}

# The machine, before anything runs.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MODE=full
[[ $QUICK == 1 ]] && MODE=quick
log "mode $MODE, ${REPS} repetition(s), $(nproc) cores, load average $LOAD_BEFORE"
# Other work during the run: the CPU time of every process that is not the suite's (docs/performance.md).
python3 "$ROOT/bench/cpu-watch.py" "$$" "$WORK" "$WORK/other-cpu.json" &
WATCH_PID=$!

# ---- group: jmh (in-process paths) --------------------------------------------------------------------------------
group_jmh() {
  local iters=3 warm=2 time=2s mb=100
  [[ $QUICK == 1 ]] && { iters=1; warm=1; time=500ms; mb=32; }
  log "jmh: the update check, answer serialisation (with -prof gc), bundle crypto"
  "$JAVA" -jar "$JMH_JAR" -f 1 -wi "$warm" -i "$iters" -w "$time" -r "$time" -prof gc -rf json \
    -rff "$WORK/jmh-updates.json" 'UpdatesPathBenchmark|AnswerJsonBenchmark' >"$WORK/jmh-updates.log" 2>&1 \
    || { tail -20 "$WORK/jmh-updates.log" >&2; return 1; }
  "$JAVA" -jar "$JMH_JAR" -f 1 -wi "$warm" -i "$iters" -w "$time" -r "$time" -rf json \
    -rff "$WORK/jmh-crypto.json" -p sizeMb="$mb" BundleCryptoBenchmark >"$WORK/jmh-crypto.log" 2>&1 \
    || { tail -20 "$WORK/jmh-crypto.log" >&2; return 1; }
  # The anchor of the in-process crypto: openssl on the same size, in this run.
  head -c $((mb << 20)) /dev/urandom >"$WORK/crypto.bin"
  openssl_anchors "$WORK/crypto.bin"
  rm -f "$WORK/crypto.bin"
  python3 - "$WORK/jmh-updates.json" "$WORK/jmh-crypto.json" "$OPENSSL_DEC_S" "$OPENSSL_ENC_S" "$mb" >"$WORK/jmh-rows.txt" <<'EOF'
import json, statistics, sys
rows = {}
for path in sys.argv[1:3]:
    for b in json.load(open(path)):
        name = b["benchmark"].rsplit(".", 1)[1]
        raw = [v for fork in b["primaryMetric"]["rawData"] for v in fork]
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc_raw = [v for fork in alloc["rawData"] for v in fork] if alloc else None
        rows[name] = (statistics.median(raw), statistics.median(alloc_raw) if alloc_raw else "")
dec_s, enc_s, mb = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print("check", rows["check"][0], rows["check"][1])
print("decide", rows["decide"][0], rows["decide"][1])
print("zipAnswer", rows["zipAnswer"][0], rows["zipAnswer"][1])
print("manifestAnswer1000Files", rows["manifestAnswer1000Files"][0], rows["manifestAnswer1000Files"][1])
print("parseInfoObject", rows["parseInfoObject"][0], rows["parseInfoObject"][1])
# ms per operation on mb MB -> MB/s
print("decryptVerify", mb / (rows["decryptVerify"][0] / 1000), mb / dec_s)
print("encrypt", mb / (rows["encrypt"][0] / 1000), mb / enc_s)
EOF
  local name a b
  while read -r name a b; do
    case "$name" in
      check)
        row jmh-check "/updates in process: parse + schema + decision + answer bytes, 10,000 devices (JMH)" "ops/s" "$a" "" "" "" "" "" ""
        row jmh-alloc "/updates in process: allocation per request (JMH -prof gc, gc.alloc.rate.norm)" "B/op" "$b" "" "" "" "" "" "" ;;
      decide) row jmh-decide "UpdateDecision.decide alone (JMH)" "ops/s" "$a" "" "" "" "" "" "" ;;
      zipAnswer) row jmh-answer "update answer serialisation, encrypted zip (protocol, JMH)" "ops/s" "$a" "" "" "" "" "" "" ;;
      manifestAnswer1000Files) row jmh-manifest "update answer serialisation, 1,000-file manifest (protocol, JMH)" "ops/s" "$a" "" "" "" "" "" "" ;;
      parseInfoObject) row jmh-info "info object parse (protocol, JMH)" "ops/s" "$a" "" "" "" "" "" "" ;;
      decryptVerify) row jmh-decrypt "decrypt + verify $mb MB in process (JMH) vs openssl enc -d | sha256sum" "MB/s" "$a" "$b" "openssl" ratio_min 1.0 "≥ 1.00 (≥ 100 % of openssl's speed)" "" ;;
      encrypt) row jmh-encrypt "encrypt $mb MB in process (JMH) vs sha256sum + openssl enc" "MB/s" "$a" "$b" "openssl" "" "" "" "" ;;
    esac
  done <"$WORK/jmh-rows.txt"
}

# ---- group: cli (whole processes: --help, encrypt and decrypt 100 MB) ----------------------------------------------
DATA="$WORK/data"
mkdir -p "$DATA"
ZIP100_SHA=""
data_zip100() {
  [[ -n "$ZIP100_SHA" ]] && return
  ZIP100_SHA=$(python3 "$ROOT/bench/make-data.py" storedzip "$DATA/bundle-100m.zip" 100)
}

group_cli() {
  capgo_fetch
  local p="$WORK/cli"
  make_project "$p"
  cd "$p"
  "${UPDRAFT[@]}" key create --json >/dev/null
  log "cli: --help"
  timed "$REPS" "${UPDRAFT[@]}" --help
  local ours=$T_MED
  timed "$REPS" "${CAPGO[@]}" --help
  row help "updraft --help, whole process" s "$ours" "$T_MED" "Capgo CLI $CAPGO_VERSION --help" max 0.3 "< 0.3 s" ""

  log "cli: bundle encrypt 100 MB"
  data_zip100
  cp "$DATA/bundle-100m.zip" "$p/b.zip"
  BEFORE_EACH="rm -f '$p/b.zip_encrypted.zip'"
  timed "$REPS" "${UPDRAFT[@]}" bundle encrypt b.zip "$ZIP100_SHA" --key .capgo_key_v2 --json
  local ours_t=$T_MED ours_m=$M_MED
  cp "$WORK/cmd.out" "$WORK/encrypt-100m.json"
  mv b.zip_encrypted.zip ours.enc # the Capgo CLI writes the same name
  timed "$REPS" "${CAPGO[@]}" bundle encrypt b.zip "$ZIP100_SHA" --key .capgo_key_v2 --json
  local capgo_t=$T_MED capgo_m=$M_MED
  BEFORE_EACH=""
  openssl_anchors b.zip
  local openssl_t=$OPENSSL_ENC_S
  row encrypt-capgo "bundle encrypt 100 MB, whole process, vs the Capgo CLI" s "$ours_t" "$capgo_t" "Capgo CLI $CAPGO_VERSION" ratio_max 0.5 "≤ 0.50 (≥ 2× faster)" ""
  row encrypt-rss "bundle encrypt 100 MB, peak RSS, vs the Capgo CLI" MB "$ours_m" "$capgo_m" "Capgo CLI $CAPGO_VERSION" ratio_max 0.25 "≤ 0.25" ""
  row encrypt-openssl "bundle encrypt 100 MB, whole process, vs sha256sum + openssl enc" s "$ours_t" "$openssl_t" "openssl" ratio_max 2.5 "≤ 2.5" ""

  log "cli: bundle decrypt --checksum 100 MB"
  local ivkey checksum
  ivkey=$(json_field "$WORK/encrypt-100m.json" ivSessionKey)
  checksum=$(json_field "$WORK/encrypt-100m.json" checksum)
  BEFORE_EACH="rm -f '$p/ours.enc_decrypted.zip'"
  timed "$REPS" "${UPDRAFT[@]}" bundle decrypt ours.enc "$ivkey" --checksum "$checksum" --key .capgo_key_v2.pub --json
  local dec_t=$T_MED
  BEFORE_EACH=""
  row decrypt-openssl "bundle decrypt --checksum 100 MB, whole process, vs openssl enc -d | sha256sum" s "$dec_t" "$OPENSSL_DEC_S" "openssl" ratio_max 1.4286 "≤ 1.43 (≥ 70 % of openssl's speed)" ""
  rm -f "$p"/b.* "$p"/ours.*
  cd "$ROOT"
}

GB_MB=1000 # "1 GB" bundles: 1000 MiB, under the 1 GiB a bundle may expand to (zip bomb limit)

# ---- group: large (1 GB: time within 1.5× of openssl, heap capped at 64 MB) -----------------------------------------
group_large() {
  local p="$WORK/large"
  make_project "$p"
  cd "$p"
  "${UPDRAFT[@]}" key create --json >/dev/null
  log "large: making a 1 GB bundle"
  local sha
  # 1000 MiB (1.05 GB): a bundle may expand to 1 GiB at most (the unzip limit of the CLI and of devices).
  sha=$(python3 "$ROOT/bench/make-data.py" storedzip "$p/g.zip" "$GB_MB")
  log "large: bundle encrypt / decrypt --checksum 1 GB with -Xmx64m"
  BEFORE_EACH="rm -f '$p/g.zip_encrypted.zip'"
  UPDRAFT_JAVA_OPTS="-Xmx64m" timed "$REPS" "${UPDRAFT[@]}" bundle encrypt g.zip "$sha" --key .capgo_key_v2 --json
  local enc_t=$T_MED enc_m=$M_MED
  cp "$WORK/cmd.out" "$WORK/encrypt-1g.json"
  BEFORE_EACH=""
  openssl_anchors g.zip
  local ivkey checksum
  ivkey=$(json_field "$WORK/encrypt-1g.json" ivSessionKey)
  checksum=$(json_field "$WORK/encrypt-1g.json" checksum)
  rm -f g.zip
  BEFORE_EACH="rm -f '$p/g.zip_encrypted.zip_decrypted.zip'"
  UPDRAFT_JAVA_OPTS="-Xmx64m" timed "$REPS" "${UPDRAFT[@]}" bundle decrypt g.zip_encrypted.zip "$ivkey" --checksum "$checksum" --key .capgo_key_v2.pub --json
  local dec_t=$T_MED dec_m=$M_MED
  BEFORE_EACH=""
  row encrypt-1g "bundle encrypt 1 GB, whole process, heap capped at 64 MB, vs sha256sum + openssl enc" s "$enc_t" "$OPENSSL_ENC_S" "openssl" ratio_max 1.5 "≤ 1.5" "peak RSS ${enc_m} MB"
  row decrypt-1g "bundle decrypt --checksum 1 GB, whole process, heap capped at 64 MB, vs openssl enc -d | sha256sum" s "$dec_t" "$OPENSSL_DEC_S" "openssl" ratio_max 1.5 "≤ 1.5" "peak RSS ${dec_m} MB"
  rm -rf "$p"
  cd "$ROOT"
}

# ---- group: zip (bundle zip of a 100 MB web build) -----------------------------------------------------------------
group_zip() {
  capgo_fetch
  local p="$WORK/zip"
  make_project "$p"
  log "zip: making a 100 MB web build (text, images, fonts)"
  python3 "$ROOT/bench/make-data.py" webmix "$p/www" 100
  cd "$p"
  log "zip: bundle zip 100 MB"
  BEFORE_EACH="rm -f '$p/ours.zip'"
  timed "$REPS" "${UPDRAFT[@]}" bundle zip com.example.bench --path www --bundle 1.0.0 --name ours.zip --json
  local ours_t=$T_MED ours_m=$M_MED ours_size
  ours_size=$(stat -c %s ours.zip)
  BEFORE_EACH="rm -f '$p/capgo.zip'"
  timed "$REPS" "${CAPGO[@]}" bundle zip com.example.bench --path www --bundle 1.0.0 --name capgo.zip --json
  BEFORE_EACH=""
  local capgo_size
  capgo_size=$(stat -c %s capgo.zip)
  row zip "bundle zip of a 100 MB web build, whole process, vs the Capgo CLI" s "$ours_t" "$T_MED" "Capgo CLI $CAPGO_VERSION" ratio_max 0.5 "≤ 0.50 (≥ 2× faster)" \
    "zips of $((ours_size >> 20)) MB and $((capgo_size >> 20)) MB; peak RSS ${ours_m} MB and ${M_MED} MB"
  rm -rf "$p"
  cd "$ROOT"
}

# ---- the packaged server (start, updates, sim) ----------------------------------------------------------------------
SERVER_PID=""
STORE_PID=""
# server_start DATA_DIR: starts the packaged server through the launcher; SERVER_PID, SERVER_URL; SERVER_READY_S is
# the time from the start to its first answered POST /updates (any HTTP answer: a fresh server knows no app).
server_start() {
  local data="$1" start now code
  SERVER_PORT=$(free_port)
  SERVER_MGMT=$(free_port)
  SERVER_URL="http://127.0.0.1:$SERVER_PORT"
  start=$(date +%s%N)
  "${UPDRAFT[@]}" server --port "$SERVER_PORT" --management-port "$SERVER_MGMT" --data-dir "$data" \
    >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data '{}' \
      --max-time 2 "$SERVER_URL/updates" || true)
    [[ "$code" != "000" ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "bench: the server did not start:" >&2
      tail -20 "$WORK/server.log" >&2
      return 1
    fi
    now=$(date +%s%N)
    if (((now - start) > 120000000000)); then echo "bench: the server did not answer within 120 s" >&2; return 1; fi
    sleep 0.02
  done
  now=$(date +%s%N)
  SERVER_READY_S=$(calc "($now - $start) / 1e9")
}

server_stop() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

store_stop() {
  if [[ -n "$STORE_PID" ]]; then
    kill "$STORE_PID" 2>/dev/null || true
    wait "$STORE_PID" 2>/dev/null || true
    STORE_PID=""
  fi
}

group_start() {
  trap 'server_stop' EXIT
  log "start: the packaged server to its first answered /updates, fresh data folder and restart"
  local fresh=() again=() i
  for ((i = 0; i < REPS; i++)); do
    server_start "$WORK/start-data-$i"
    fresh+=("$SERVER_READY_S")
    server_stop
    server_start "$WORK/start-data-$i"
    again+=("$SERVER_READY_S")
    server_stop
    rm -rf "$WORK/start-data-$i"
  done
  row start-fresh "server start to its first answered /updates, fresh data folder (embedded PostgreSQL created)" s "$(median "${fresh[@]}")" "" "" max 4 "< 4 s" ""
  row start-restart "server start to its first answered /updates, restart on an existing data folder" s "$(median "${again[@]}")" "" "" max 2 "< 2 s" ""
}

# One app on a running server and store: a key, a 5 MB encrypted bundle uploaded and registered (the channel
# production, public). Sets APP, PROJECT, BUNDLE_* (what the registration printed: the answer devices must get).
publish_app() {
  PROJECT="$SERVER_DATA-app"
  make_project "$PROJECT"
  local store_port
  store_port=$(free_port)
  "${UPDRAFT[@]}" store --dir "$SERVER_DATA-store" --port "$store_port" --upload-token bench >>"$WORK/store.log" 2>&1 &
  STORE_PID=$!
  wait_http "http://127.0.0.1:$store_port/" "$STORE_PID"
  export UPDRAFT_SERVER="$SERVER_URL" UPDRAFT_API_KEY_FILE="$SERVER_DATA/admin-api-key"
  APP=com.example.bench
  cd "$PROJECT"
  mkdir -p www
  python3 "$ROOT/bench/make-data.py" random www-tmp 5
  cp www-tmp/index.html www-tmp/app.js www/
  head -c $((5 << 20)) www-tmp/blob-0.bin >www/asset.bin
  rm -rf www-tmp
  "${UPDRAFT[@]}" app add --json >/dev/null
  "${UPDRAFT[@]}" key create --json >/dev/null
  "${UPDRAFT[@]}" bundle zip --path www --bundle 1.0.1 --name b.zip --json >"$WORK/zip.json"
  local sha
  sha=$(json_field "$WORK/zip.json" checksum)
  "${UPDRAFT[@]}" bundle encrypt b.zip "$sha" --json >"$WORK/enc.json"
  BUNDLE_IV=$(json_field "$WORK/enc.json" ivSessionKey)
  BUNDLE_CHECKSUM=$(json_field "$WORK/enc.json" checksum)
  BUNDLE_URL="http://127.0.0.1:$store_port/$APP/1.0.1.zip"
  "${UPDRAFT[@]}" bundle upload --bundle 1.0.1 --external "$BUNDLE_URL" --iv-session-key "$BUNDLE_IV" \
    --encrypted-checksum "$BUNDLE_CHECKSUM" --upload-file b.zip_encrypted.zip --upload-token bench --json \
    >"$WORK/upload.json"
  KEY_ID=$(python3 -c 'import sys; lines=open(sys.argv[1]).read().split("\n"); print("".join(l for l in lines if l and not l.startswith("-----"))[:20])' .capgo_key_v2.pub)
  cd "$ROOT"
}

# info_object N [PREFIX]: the info object of device N, as the wrk script sends it.
info_object() {
  printf '{"platform":"android","device_id":"%s%012d","app_id":"%s","custom_id":"","version_build":"1.0.0","version_code":"1","version_os":"14","version_name":"1.0.0","plugin_version":"8.51.23","is_emulator":false,"is_prod":true,"install_source":"google_play","defaultChannel":"","key_id":"%s"}' \
    "${2:-00000000-0000-4000-8000-}" "$1" "$APP" "$KEY_ID"
}

# check_answer FILE: the answer is the update the registration made, field by field (not the server's own bytes).
check_answer() {
  python3 - "$1" "$BUNDLE_URL" "$BUNDLE_IV" "$BUNDLE_CHECKSUM" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
want = {"version": "1.0.1", "url": sys.argv[2], "session_key": sys.argv[3], "checksum": sys.argv[4]}
bad = {k: a.get(k) for k in want if a.get(k) != want[k]}
if bad:
    sys.exit(f"bench: /updates answered {a} instead of the registered update (differs in {sorted(bad)})")
EOF
}

# wrk_run URL SECONDS MODE: 64 connections, 2 threads; MODE fleet = 10,000 devices, new = a new device per request.
# Sets WRK_RPS, WRK_P99_MS, WRK_BAD (non-2xx + socket errors), WRK_REQUESTS, and WRK_CPU_US: wrk's own CPU (user +
# system, /usr/bin/time) per request, the anchor of the load mode's generator CPU per check.
wrk_run() {
  BENCH_APP="$APP" BENCH_KEY_ID="$KEY_ID" BENCH_MODE="$3" BENCH_RUN="$(printf '%08x' $((RANDOM * 32768 + RANDOM)))" \
    /usr/bin/time -f '%U %S' -o "$WORK/wrk.time" \
    wrk -t2 -c64 -d"$2"s --latency -s "$ROOT/bench/updates.lua" "$1" >"$WORK/wrk.out" 2>&1 \
    || { cat "$WORK/wrk.out" >&2; return 1; }
  read -r WRK_RPS WRK_P99_MS WRK_BAD WRK_REQUESTS < <(python3 - "$WORK/wrk.out" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
bad = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", t))
for part in re.findall(r"Socket errors: (.*)", t):
    bad += sum(int(x) for x in re.findall(r"\d+", part))
n = int(re.search(r"(\d+) requests in", t).group(1))
print(rps, p99, bad, n)
EOF
)
  WRK_CPU_US=$(awk -v n="$WRK_REQUESTS" '{printf "%.1f", ($1 + $2) / n * 1e6}' "$WORK/wrk.time")
}

group_updates() {
  trap 'server_stop; store_stop; [[ -n "${NGINX_PID:-}" ]] && kill "$NGINX_PID" 2>/dev/null; true' EXIT
  # The warm-up is as long as the sim group's (a fresh server reached its steady rate under wrk only after about 30 s;
  # 5 s left the first measured run at about two thirds of it, and its p99 high).
  local dur=10 warm=30
  [[ $QUICK == 1 ]] && { dur=3; warm=10; }
  SERVER_DATA="$WORK/updates-data"
  server_start "$SERVER_DATA"
  publish_app
  # The answers are the decision's: a few devices of the fleet, fetched with curl, against the registration.
  local n
  for n in 1 77 4242 9999; do
    info_object "$n" >"$WORK/info.json"
    curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/info.json" "$SERVER_URL/updates" \
      >"$WORK/answer-$n.json"
    check_answer "$WORK/answer-$n.json"
  done
  # nginx serves the same answer as a static file (a POST to a static file is a 405 in nginx: error_page turns it
  # into the file), from a config in a temp folder, as a normal user would.
  local ng="$WORK/nginx" ng_port
  ng_port=$(free_port)
  mkdir -p "$ng/www"
  chmod 755 "$ng" "$ng/www"
  cp "$WORK/answer-1.json" "$ng/www/updates"
  chmod 644 "$ng/www/updates"
  cat >"$ng/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $ng/body;
  proxy_temp_path $ng/proxy;
  fastcgi_temp_path $ng/fastcgi;
  uwsgi_temp_path $ng/uwsgi;
  scgi_temp_path $ng/scgi;
  server {
    listen 127.0.0.1:$ng_port;
    root $ng/www;
    location = /updates { default_type application/json; error_page 405 =200 \$uri; }
  }
}
EOF
  nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log" >/dev/null 2>&1 &
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$ng_port/updates" "$NGINX_PID"
  local i
  info_object 1 >"$WORK/info.json"
  curl -sf -X POST --data-binary @"$WORK/info.json" "http://127.0.0.1:$ng_port/updates" >"$WORK/nginx-answer.json"
  cmp -s "$WORK/nginx-answer.json" "$WORK/answer-1.json" || { echo "bench: nginx does not serve the answer" >&2; return 1; }

  log "updates: wrk warm-up (${warm} s), then ${REPS} × ${dur} s against the server and nginx"
  wrk_run "$SERVER_URL/updates" "$warm" fleet
  local ours_rps=() ours_p99=() ng_rps=() ng_p99=() bad=0
  for ((i = 0; i < REPS; i++)); do
    wrk_run "$SERVER_URL/updates" "$dur" fleet
    ours_rps+=("$WRK_RPS"); ours_p99+=("$WRK_P99_MS"); bad=$((bad + WRK_BAD))
    wrk_run "http://127.0.0.1:$ng_port/updates" "$dur" fleet
    ng_rps+=("$WRK_RPS"); ng_p99+=("$WRK_P99_MS")
  done
  UPDATES_RPS=$(median "${ours_rps[@]}")
  local note="answers of 4 sampled devices equal the registered update; $bad non-2xx or socket errors"
  [[ $bad -gt 0 ]] && error_row updates-errors "/updates under wrk" "$bad requests were not answered 2xx"
  row updates-rps "/updates, wrk, 64 connections, 10,000 devices, vs nginx serving the answer as a static file" "req/s" \
    "$UPDATES_RPS" "$(median "${ng_rps[@]}")" "nginx $(nginx -v 2>&1 | sed 's#.*/##')" ratio_min 0.6 "≥ 0.60" "$note"
  row updates-p99 "/updates, wrk, 64 connections: p99 latency" ms "$(median "${ours_p99[@]}")" "$(median "${ng_p99[@]}")" "nginx" max 5 "< 5 ms" ""
  kill "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""

  # The device-sighting path: the server's CPU (and its PostgreSQL's) per request, new devices against known ones.
  log "updates: the device-sighting cost per new device"
  local pids
  pids() { echo "$SERVER_PID" $(pgrep -f -- "$SERVER_DATA/pg" || true); }
  local c0 c1 c2 c3 known new
  c0=$(cpu_ticks $(pids))
  wrk_run "$SERVER_URL/updates" "$dur" fleet
  sleep 3 # the sightings are written off the request thread, about once a second
  c1=$(cpu_ticks $(pids))
  known=$(calc "round(($c1 - $c0) / $TICKS / $WRK_REQUESTS * 1e6, 1)")
  c2=$(cpu_ticks $(pids))
  wrk_run "$SERVER_URL/updates" "$dur" new
  local new_devices=$WRK_REQUESTS
  sleep 3
  c3=$(cpu_ticks $(pids))
  new=$(calc "round(($c3 - $c2) / $TICKS / $WRK_REQUESTS * 1e6, 1)")
  row sighting "device sighting: server + PostgreSQL CPU per request, every request a new device, vs 10,000 known devices" "µs CPU" \
    "$new" "$known" "known devices" "" "" "" "$new_devices new devices; the difference is the cost of a new device"
  server_stop
  store_stop
}

# sim_phases REPORT VERSION: from the simulator's report, the medians over its devices of check → confirmed of VERSION
# (the first check's start to the bundle's "success"), the check's latency and the download + verify time, in ms.
# sim_device STATE_DIR WARMUPS DEVICES: DEVICES devices, one after another, updating to 1.0.1 after WARMUPS warm-up
# devices in the same process; SIM_TOTAL, SIM_CHECK, SIM_DOWNLOAD are the medians of the measured devices' phases (ms,
# by their report).
sim_device() {
  "$JAVA" -jar "$SIM_JAR" run --server "$SERVER_URL" --app "$APP" --public-key "$PROJECT/.capgo_key_v2.pub" \
    --native-version 1.0.0 --devices "$3" --parallel 1 --launches 1 --warmup-devices "$2" --state-dir "$1" \
    --expect-version 1.0.1 \
    --json >"$WORK/sim-run.json" 2>"$WORK/sim-run.err" || { cat "$WORK/sim-run.err" >&2; return 1; }
  read -r SIM_TOTAL SIM_CHECK SIM_DOWNLOAD < <(sim_phases "$WORK/sim-run.json" 1.0.1)
}

# sim_load OUT DEVICES SECONDS [OPTION...]: a closed-loop load run, 64 concurrent, -Xmx256m; OUT.json, OUT.time
# (user, system, peak RSS) and OUT-gc.log.
sim_load() {
  local out="$1" devices="$2" dur="$3"
  shift 3
  /usr/bin/time -f '%U %S %M' -o "$out.time" "$JAVA" -Xmx256m -Xlog:gc:file="$out-gc.log" -jar "$SIM_JAR" \
    load --server "$SERVER_URL" --app "$APP" --key-id "$KEY_ID" --devices "$devices" --duration "${dur}s" \
    --concurrency 64 "$@" --json >"$out.json" 2>"$WORK/load.err" || { cat "$WORK/load.err" >&2; return 1; }
}

# load_numbers REPORT: checks/s, completed checks, p99 ms, the generator's CPU µs per check.
load_numbers() {
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["checks"]
print(c["per_second"], c["completed"], r["latency_ms"]["p99"], round(r["generator_cpu_us_per_check"]))
EOF
}

sim_phases() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
import statistics
version = sys.argv[2]
totals, checks, downloads = [], [], []
for d in json.load(open(sys.argv[1]))["devices"]:
    check = next(c for c in d["checks"] if c["answer"] == "update " + version)
    confirmed = next(h for h in d["status_history"] if h["version"] == version and h["to"] == "success")
    download = next(x for x in d["downloads"] if x["version"] == version)
    totals.append(confirmed["at"] - check["at"])
    checks.append(check["latency_ms"])
    downloads.append(download["duration_ms"])
print(*(round(statistics.median(v)) for v in (totals, checks, downloads)))
EOF
}

# gc_peak LOG: the largest heap occupancy before a collection in a -Xlog:gc log, in MB.
gc_peak() {
  python3 - "$1" <<'EOF'
import re, sys
peak = 0
for m in re.finditer(r"(\d+)M->(\d+)M\(\d+M\)", open(sys.argv[1]).read()):
    peak = max(peak, int(m.group(1)))
print(peak)
EOF
}

group_sim() {
  trap 'server_stop; store_stop' EXIT
  SERVER_DATA="$WORK/sim-data"
  server_start "$SERVER_DATA"
  publish_app
  local dur=20 like=10 warm=5 server_warm=30
  [[ $QUICK == 1 ]] && { dur=5; like=5; warm=5; server_warm=20; }
  # The server first gets warm, as a production server is: wrk's checks until its /updates path is compiled. From its
  # start, wrk alone in 5 s runs measured 1,882, 2,689, 3,877, 6,203, 13,060, 18,193, 19,728, 20,284 req/s.
  log "sim: the server's warm-up, wrk for ${server_warm} s"
  wrk_run "$SERVER_URL/updates" "$server_warm" fleet
  # Cold: a fresh JVM whose first device updates (class loading, the first connection, interpreted crypto). Warm:
  # $SIM_WARMUPS warm-up devices do the whole flow first in the same process (--warmup-devices), which warms the
  # simulator's JIT and the server's /stats path as a running app and a production server are; then $SIM_MEASURED measured devices, each new to the server, do their
  # whole real flow over loopback HTTP one after another, and their median is the value (docs/performance.md). Three
  # warm-ups left the JIT of both sides cold: the same device took 236 ms after 3, 195 ms after 10, 134 ms after 30.
  log "sim: one device, check → download → verify → install → confirmed, 5 MB encrypted bundle, cold and warm"
  local totals=() checks=() downloads=() wtotals=() wchecks=() wdownloads=() i
  for ((i = 0; i < REPS; i++)); do
    sim_device "$WORK/devices-$i" 0 1
    totals+=("$SIM_TOTAL"); checks+=("$SIM_CHECK"); downloads+=("$SIM_DOWNLOAD")
    sim_device "$WORK/devices-warm-$i" "$SIM_WARMUPS" "$SIM_MEASURED"
    wtotals+=("$SIM_TOTAL"); wchecks+=("$SIM_CHECK"); wdownloads+=("$SIM_DOWNLOAD")
  done
  row sim-device "simulated device, warm process: check → download → verify → install → confirmed, 5 MB encrypted, loopback" ms \
    "$(median "${wtotals[@]}")" "" "" max 150 "< 150 ms" "median of $SIM_MEASURED devices one after another, after $SIM_WARMUPS warm-up devices in the same process (--warmup-devices $SIM_WARMUPS); from the first check to confirmed, by the devices' reports; check $(median "${wchecks[@]}") ms, download + verify $(median "${wdownloads[@]}") ms"
  row sim-device-cold "simulated device, cold process (a fresh JVM's first device): check → confirmed, 5 MB encrypted, loopback" ms \
    "$(median "${totals[@]}")" "" "" "" "" "" "check $(median "${checks[@]}") ms, download + verify $(median "${downloads[@]}") ms"

  # Like with like: wrk's /updates cycle through 10,000 devices the server knows (bench/updates.lua). The load mode
  # gets the same: the same 10,000 ids (--sequential-ids), made known by its warm-up; each tool warms up first. The
  # load mode's warm-up runs in the measured process (--warmup): a warm-up in a process of its own left the measured
  # JVM's JIT cold, and a short run then measured mostly the generator's compilation (1,862 checks/s and 452 µs of
  # CPU a check in a 5 s quick run; 13,000 checks/s and 61 µs in a 15 s run on the same server).
  # The server's warm-up above makes it as warm for the load mode as for wrk: a server 5 s after its start answered wrk
  # 1,993 req/s, and the load mode right after 3,622 checks/s at 125 µs of generator CPU a check (a slow server's
  # answers come one per wakeup), then 19,769 at 32 µs.
  log "sim: load mode vs wrk, the same 10,000 known devices, ${like} s each after a ${warm} s warm-up"
  sim_load "$WORK/load-known" 10000 "$like" --sequential-ids --warmup "${warm}s"
  local per_s completed p99 gen_cpu cpu_s
  read -r per_s completed p99 gen_cpu < <(load_numbers "$WORK/load-known.json")
  cpu_s=$(awk '{printf "%.1f", $1 + $2}' "$WORK/load-known.time")
  wrk_run "$SERVER_URL/updates" "$like" fleet
  row sim-load "simulator load mode, the same 10,000 known devices as wrk, 64 concurrent, vs wrk on the same server" "checks/s" "$per_s" "$WRK_RPS" "wrk" ratio_min 0.8 "≥ 0.80" \
    "each after its own warm-up (the load mode's in the same process, --warmup); p99 ${p99} ms (wrk ${WRK_P99_MS} ms); CPU per check: the generator ${gen_cpu} µs, wrk ${WRK_CPU_US} µs"
  row sim-cpu "simulator load mode: its own CPU per check (user + system), 10,000 known devices, vs wrk's CPU per request" "µs" "$gen_cpu" "$WRK_CPU_US" "wrk" "" "" "" \
    "while the measured checks run, by the generator's report; wrk's by /usr/bin/time over its run; the load mode's whole process, JVM start-up and warm-up included, used ${cpu_s} CPU-seconds (/usr/bin/time)"

  log "sim: load mode, 100,000 devices new to the server, ${dur} s, heap capped at 256 MB"
  sim_load "$WORK/load" 100000 "$dur"
  read -r per_s completed p99 gen_cpu < <(load_numbers "$WORK/load.json")
  row sim-load-new "simulator load mode, 100,000 devices (new to the server: each first check costs a sighting), 64 concurrent" "checks/s" "$per_s" "" "" "" "" "" \
    "p99 ${p99} ms; generator CPU ${gen_cpu} µs per check; not comparable with wrk's 10,000 known devices"
  row sim-heap "simulator load mode, 100,000 devices: peak heap (before GC, -Xlog:gc)" MB "$(gc_peak "$WORK/load-gc.log")" "" "" max 256 "< 256 MB" "run with -Xmx256m"

  if [[ $QUICK == 0 ]]; then
    log "sim: one device updating to a 1 GB encrypted bundle, heap capped at 64 MB"
    cd "$PROJECT"
    rm -rf www && python3 "$ROOT/bench/make-data.py" random www "$GB_MB"
    rm -f b.zip b.zip_encrypted.zip
    "${UPDRAFT[@]}" bundle zip --path www --bundle 1.0.2 --name b.zip --json >"$WORK/zip-1g.json"
    rm -rf www
    local sha iv cs
    sha=$(json_field "$WORK/zip-1g.json" checksum)
    "${UPDRAFT[@]}" bundle encrypt b.zip "$sha" --json >"$WORK/enc-1g.json"
    rm -f b.zip
    iv=$(json_field "$WORK/enc-1g.json" ivSessionKey)
    cs=$(json_field "$WORK/enc-1g.json" checksum)
    "${UPDRAFT[@]}" bundle upload --bundle 1.0.2 --external "${BUNDLE_URL%/*}/1.0.2.zip" --iv-session-key "$iv" \
      --encrypted-checksum "$cs" --upload-file b.zip_encrypted.zip --upload-token bench --json >/dev/null 2>&1
    rm -f b.zip_encrypted.zip
    cd "$ROOT"
    "$JAVA" -Xmx64m -Xlog:gc:file="$WORK/sim-1g-gc.log" -jar "$SIM_JAR" run --server "$SERVER_URL" --app "$APP" \
      --public-key "$PROJECT/.capgo_key_v2.pub" --native-version 1.0.0 --devices 1 --launches 1 \
      --state-dir "$WORK/devices-0" --expect-version 1.0.2 --json >"$WORK/sim-1g.json" 2>"$WORK/sim-1g.err" \
      || { cat "$WORK/sim-1g.err" >&2; return 1; }
    read -r total check download < <(sim_phases "$WORK/sim-1g.json" 1.0.2)
    rm -rf "$WORK/devices-0"
    row sim-1g "simulated device updating to a 1 GB encrypted bundle, -Xmx64m: peak heap (before GC)" MB \
      "$(gc_peak "$WORK/sim-1g-gc.log")" "" "" max 64 "< 64 MB" "check → confirmed $total ms, download + verify $download ms"
  fi
  server_stop
  store_stop
}

# ---- run the groups ------------------------------------------------------------------------------------------------
BROKEN=()
run_group() {
  local g="$1"
  wanted "$g" || return 0
  set +e
  (set -e; "group_$g")
  local rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    BROKEN+=("$g")
    error_row "$g" "group $g" "the measurement broke (exit $rc); see the log above"
  fi
  cd "$ROOT"
}
for g in "${ALL_GROUPS[@]}"; do run_group "$g"; done

# ---- the machine and the table -------------------------------------------------------------------------------------
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
kill -TERM "$WATCH_PID" && wait "$WATCH_PID" || true
WATCH_PID=""
[[ -s "$WORK/other-cpu.json" ]] || { echo "bench: the CPU watch wrote nothing" >&2; exit 1; }
python3 - "$WORK/machine.json" "$MODE" "$REPS" "$LOAD_BEFORE" "$LOAD_AFTER" "$WORK/other-cpu.json" <<EOF
import json, os, subprocess, sys, datetime
def out(*cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except Exception as e:
        return "unavailable"
cores = os.cpu_count()
before = [float(x) for x in sys.argv[4].split()]
after = [float(x) for x in sys.argv[5].split()]
other = json.load(open(sys.argv[6]))
cpu = "unknown CPU"
for line in open("/proc/cpuinfo"):
    if line.startswith("model name"):
        cpu = line.split(":", 1)[1].strip()
        break
json.dump({
    "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "mode": sys.argv[2], "repetitions": int(sys.argv[3]), "cores": cores, "cpu": cpu,
    "load_before": sys.argv[4], "load_after": sys.argv[5],
    # Quiet: other processes used under 5 % of the machine's CPU while the suite ran, the hypervisor held back under
    # 5 % of it (steal), and the 1-minute load average was below half the cores when it began (the load during and
    # after the run is mostly the suite's own).
    "other": other,
    "noisy": other["other_share"] > 0.05 or other.get("steal_share", 0) > 0.05 or before[0] > cores / 2,
    "versions": {
        "updraft": out("$ROOT/updraft", "--version"),
        "java": out("$JAVA", "-version"),
        "Capgo CLI": "$CAPGO_VERSION",
        "node": out("node", "--version"),
        "openssl": out("openssl", "version"),
        "wrk": out("wrk", "-v"),
        "nginx": out("nginx", "-v"),
    },
}, open(sys.argv[1], "w"), indent=2)
EOF
mkdir -p "$ROOT/bench/results"
DOC_ARG=()
[[ $DOC == 1 ]] && DOC_ARG=("$ROOT/docs/performance.md")
python3 "$ROOT/bench/report.py" "$ROWS" "$WORK/machine.json" "$ROOT/bench/results" ${DOC_ARG[@]+"${DOC_ARG[@]}"}
if [[ ${#BROKEN[@]} -gt 0 ]]; then
  echo "bench: these groups broke: ${BROKEN[*]}" >&2
  exit 1
fi
