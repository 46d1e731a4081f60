#!/usr/bin/env bash
# Compares JVM flag sets for the services (collector, heap sizes) on their hot reads, side by side in one run: starts
# the marketplace with the demo data on free ports (a throwaway data directory), then per flag set one extra
# catalog-service and one extra search-service with the launcher's own command line but those flags and GC logging,
# and loads them in turns (wrk -t2, 64 connections): catalog GET /api/v1/listings/acme/whisper-small and search
# GET /api/v1/search?q=speech. Per flag set and request: req/s, p50, p99, service CPU ms per request, and the GC
# pauses during the figure (count, mean, max, from -Xlog:gc). Alternating the sets round by round spreads the other
# load of a shared machine over all of them. Holds the team's benchmark lock; bounded (about 3 + rounds x sets x 0.5
# minutes), loopback only. Results: deploy/bench/target/gc-flags-<time>.txt.
#   deploy/bench/gc-flags.sh [--rounds N (3)] [--duration SECONDS (10)] [--flags "JVM FLAGS"]...   SKIP_BUILD=1 skips the build
# Without --flags it compares the launcher's flags with a larger initial heap and with ParallelGC.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
if [ -z "${GC_FLAGS_LOCKED:-}" ]; then
  source deploy/jdk.sh
  if [ "${SKIP_BUILD:-}" != "1" ]; then
    echo "Building (SKIP_BUILD=1 to skip)..."
    ./mvnw -B -q -DskipTests package
  fi
  echo "Waiting for the benchmark lock /tmp/modelmarket-bench.lock..."
  GC_FLAGS_LOCKED=1 exec flock /tmp/modelmarket-bench.lock "$0" "$@"
fi
source deploy/jdk.sh > /dev/null
source deploy/bench/lib.sh
rounds=3
duration=10
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --flags) sets+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ ${#sets[@]} -eq 0 ]; then
  sets=("-Xms32m -Xmx384m -XX:+UseSerialGC" "-Xms128m -Xmx384m -XX:+UseSerialGC" "-Xms128m -Xmx384m -XX:+UseParallelGC")
fi
for tool in wrk curl python3 ss; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
mkdir -p deploy/bench/target
out="$root/deploy/bench/target/gc-flags-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-gc-flags.XXXXXX")
data="$work/data"
pids=()
set -m
"$JAVA_HOME/bin/java" -Xmx256m -jar deploy/launcher/target/launcher.jar --data-dir "$data" --free-ports \
  > "$work/run.out" 2>&1 &
runner=$!
set +m
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill -TERM "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

record() { # name field -> the launcher run record's pid or first port of process NAME
  python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]))["processes"]:
    if p["name"] == sys.argv[2]: print(p["pid"] if sys.argv[3] == "pid" else (p["ports"] or [""])[0])' \
    "$data/run.json" "$1" "$2" 2>/dev/null || true
}
deadline=$(( $(date +%s) + 900 ))
until [ -n "$(record search-service port)" ] && curl -sf "http://127.0.0.1:$(record search-service port)/api/v1/search?q=speech" \
    2>/dev/null | grep -q whisper; do
  if ! kill -0 "$runner" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    echo "the marketplace did not come up; see $work/run.out" >&2; tail -20 "$work/run.out" >&2; exit 1
  fi
  sleep 2
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# SERVICE SET-INDEX FLAGS -> starts an instance with the launcher's command line of SERVICE but FLAGS; sets $port
start_instance() {
  local service=$1 index=$2 flags=$3
  port=$(free_port)
  python3 - "$(record "$service" pid)" "$flags" "$port" "$work/gc-$service-$index.log" > "$work/cmd-$service-$index" <<'PY'
import sys
pid, flags, port, log = sys.argv[1:]
args = open(f"/proc/{pid}/cmdline").read().split("\0")[:-1]
keep = [a for a in args[1:] if not (a.startswith(("-Xms", "-Xmx", "-Xmn")) or (a.startswith("-XX:+Use") and a.endswith("GC")))]
keep = [f"-Dquarkus.http.port={port}" if a.startswith("-Dquarkus.http.port=") else a for a in keep]
print("\0".join([args[0]] + flags.split() + [f"-Xlog:gc:file={log}"] + keep), end="")
PY
  # exec'd by python, so $! is the JVM itself
  python3 -c 'import os, sys
args = open(sys.argv[1]).read().split("\0")
os.chdir(sys.argv[2])
out = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
os.dup2(out, 1); os.dup2(out, 2)
os.execv(args[0], args)' "$work/cmd-$service-$index" "$data" "$work/$service-$index.out" < /dev/null &
  pids+=($!)
}
declare -A urls
for i in "${!sets[@]}"; do
  start_instance catalog-service "$i" "${sets[$i]}"
  urls["catalog-$i"]="http://127.0.0.1:$port/api/v1/listings/acme/whisper-small"
  start_instance search-service "$i" "${sets[$i]}"
  urls["search-$i"]="http://127.0.0.1:$port/api/v1/search?q=speech"
done
for key in "${!urls[@]}"; do
  until curl -sf "${urls[$key]}" > /dev/null 2>&1; do
    [ "$(date +%s)" -gt "$deadline" ] && { echo "instance $key did not come up" >&2; exit 1; }
    sleep 2
  done
done

port_pid() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
cpu() { # CPU seconds of PID
  python3 -c 'import os,sys; f=open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")",1)[1].split(); print(sum(int(x) for x in f[11:15]) / os.sysconf("SC_CLK_TCK"))' "$1"
}
report() { echo "$*" | tee -a "$out"; }
report "# gc-flags benchmark $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null)"
for i in "${!sets[@]}"; do report "# set $i: ${sets[$i]}"; done
report "# JIT warm-up: 20 s at 16 connections per instance, then $rounds rounds x ${duration} s at 64 connections, sets in turns"
for key in "${!urls[@]}"; do wrk -t2 -c16 -d20s "${urls[$key]}" > /dev/null 2>&1 || true; done
printf '%-8s %-4s %5s %8s %9s %9s %8s %6s %9s %9s\n' request set round 'req/s' 'p50 ms' 'p99 ms' 'cpu ms' 'gcs' 'mean ms' 'max ms' | tee -a "$out"
for round in $(seq 1 "$rounds"); do
  for request in catalog search; do
    for i in "${!sets[@]}"; do
      url=${urls["$request-$i"]}
      port=${url#http://127.0.0.1:}; port=${port%%/*}
      pid=$(port_pid "$port")
      log="$work/gc-$request-service-$i.log"
      lines=$(wc -l < "$log")
      before=$(cpu "$pid")
      wrk -t2 -c64 -d"${duration}s" --latency --timeout 10s "$url" > "$work/wrk.out" 2>&1 || true
      after=$(cpu "$pid")
      python3 - "$log" "$lines" "$before" "$after" "$request" "$i" "$round" $(wrk_parse "$work/wrk.out") <<'PY' | tee -a "$out"
import re, sys
rate, p50, p99, total = float(sys.argv[8]), float(sys.argv[9]), float(sys.argv[10]), int(sys.argv[12])
pauses = [float(m) for m in re.findall(r'Pause .* ([\d.]+)ms$', ''.join(open(sys.argv[1]).readlines()[int(sys.argv[2]):]), re.M)]
cpu = (float(sys.argv[4]) - float(sys.argv[3])) * 1000 / max(1, total)
mean = sum(pauses) / len(pauses) if pauses else 0
print(f"{sys.argv[5]:<8} {sys.argv[6]:<4} {sys.argv[7]:>5} {rate:>8.0f} {p50:>9.1f} {p99:>9.1f} {cpu:>8.2f} {len(pauses):>6} {mean:>9.1f} {max(pauses, default=0):>9.1f}")
PY
    done
  done
done
report "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $out"
