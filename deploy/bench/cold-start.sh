#!/usr/bin/env bash
# The services' cold start: throughput over the first minute after a service is ready, in 10 s slices, against the same
# service's warm figure, for catalog's point read (GET /api/v1/listings/acme/whisper-small) and search
# (GET /api/v1/search?q=speech), in one run. Starts the marketplace with the demo data on free ports (a throwaway data
# directory), then per variant and service one fresh instance with the launcher's own command line of that service
# (plus the variant's flags) against the same engines, one instance at a time, and loads it as soon as it is ready:
# wrk -t2 -c16, one figure per slice (req/s, p50, p99, non-2xx), the JVM's CPU per request, and the CPU of its JIT
# compiler threads (C1/C2, from /proc/<pid>/task) during the slice. Then, on the same instance, 3 s of warm-up and a
# 10 s warm figure; the summary line gives first-10-s / warm and first-minute / warm (the issue's aim: within 2x, i.e.
# the first minute's rate at least half the warm one).
# A variant is a string of JVM flags for the instance; two words are not flags but steps:
#   aot         JDK 25: a training instance with -XX:AOTCacheOutput=<file> gets TRAIN seconds of the same load and a
#               graceful stop (the JVM writes the cache as it exits), then the measured instance runs with
#               -XX:AOTCache=<file>
#   prewarm=N   N seconds of the same load before the measured minute (what a warm-up before "ready" buys)
#   aot-jar     the service packaged as Quarkus' aot-jar (every class on the JDK's own class loaders, which the AOT
#               cache needs) in <module>/target/quarkus-app-aot instead of the fast-jar: build it first with
#               ./mvnw -B -q -pl <module> -am package -DskipTests -Dquarkus.package.jar.type=aot-jar
#                 -Dquarkus.package.output-directory=quarkus-app-aot
#   launcher    the launcher's own services' flags as they are on this run (the default variant)
# Holds the team's benchmark lock; bounded (about 2 min to start, then per variant 2 x (start + MINUTE + 15 s)),
# loopback only. Results: deploy/bench/target/cold-start-<time>.txt.
#   deploy/bench/cold-start.sh [--minute SECONDS (60)] [--slice SECONDS (10)] [--train SECONDS (20)]
#                              [--variant "FLAGS"]... [--services catalog,search]    SKIP_BUILD=1 skips the build
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.."
root=$(pwd)
if [ -z "${COLD_START_LOCKED:-}" ]; then
  source deploy/jdk.sh
  if [ "${SKIP_BUILD:-}" != "1" ]; then
    echo "Building (SKIP_BUILD=1 to skip)..."
    ./mvnw -B -q -DskipTests package
  fi
  echo "Waiting for the benchmark lock /tmp/modelmarket-bench.lock..."
  COLD_START_LOCKED=1 exec flock /tmp/modelmarket-bench.lock "$self" "$@"
fi
source deploy/jdk.sh > /dev/null
source deploy/bench/lib.sh
minute=60
slice=10
train=20
services=catalog,search
variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minute) minute="$2"; shift 2 ;;
    --slice) slice="$2"; shift 2 ;;
    --train) train="$2"; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --services) services="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(launcher)
for tool in wrk curl python3 ss; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
mkdir -p deploy/bench/target
out="$root/deploy/bench/target/cold-start-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-cold-start.XXXXXX")
data="$work/data"
instance=
set -m
# --no-aot-cache: the variants train their own caches; the launcher's training would only lengthen the run
"$JAVA_HOME/bin/java" -Xmx256m -jar deploy/launcher/target/launcher.jar --data-dir "$data" --free-ports --no-aot-cache \
  > "$work/run.out" 2>&1 &
runner=$!
set +m
stop_instance() { # SIGTERM, then wait for the JVM to exit (it may be writing an AOT cache)
  [ -n "$instance" ] || return 0
  kill -TERM "$instance" 2>/dev/null || true
  wait "$instance" 2>/dev/null || true
  instance=
}
stop() {
  stop_instance
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
# SERVICE NAME FLAGS... -> starts an instance with the launcher's command line of SERVICE plus FLAGS (its own
# -XX:AOTCache*/-Xlog flags dropped), on a free port; sets $instance (the JVM's pid) and $port. $app_dir, when set,
# replaces the packaged quarkus-app folder.
start_instance() {
  local service=$1 name=$2; shift 2
  port=$(free_port)
  python3 - "$(record "$service" pid)" "$port" "${app_dir:-}" "$@" > "$work/cmd-$name" <<'PY'
import sys
pid, port, app_dir, *flags = sys.argv[1:]
args = open(f"/proc/{pid}/cmdline").read().split("\0")[:-1]
keep = [a for a in args[1:] if not a.startswith(("-XX:AOTCache", "-XX:AOTMode", "-Xlog:aot"))]
keep = [f"-Dquarkus.http.port={port}" if a.startswith("-Dquarkus.http.port=") else a for a in keep]
if app_dir:
    keep = [a.replace("/target/quarkus-app/", "/target/" + app_dir + "/") for a in keep]
print("\0".join([args[0]] + flags + keep), end="")
PY
  # exec'd by python, so $! is the JVM itself
  python3 -c 'import os, sys
args = open(sys.argv[1]).read().split("\0")
os.chdir(sys.argv[2])
out = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
os.dup2(out, 1); os.dup2(out, 2)
os.execv(args[0], args)' "$work/cmd-$name" "$data" "$work/$name.out" < /dev/null &
  instance=$!
  local begin=$SECONDS
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready" 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$instance" 2>/dev/null || [ $((SECONDS - begin)) -gt 180 ]; then
      echo "instance $name did not come up; its output:" >&2; tail -30 "$work/$name.out" >&2; exit 1
    fi
    sleep 0.2
  done
  ready_after=$((SECONDS - begin))
}

# PID -> "total compiler gc" CPU seconds of the JVM, of its JIT compiler threads and of its GC threads
cpu() {
  python3 - "$1" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
pid = sys.argv[1]
def fields(path):
    text = open(path).read()
    return text[text.index("(") + 1:text.rindex(")")], text.rsplit(")", 1)[1].split()
_, f = fields(f"/proc/{pid}/stat")
total = sum(int(x) for x in f[11:13])
jit = gc = 0
for task in os.listdir(f"/proc/{pid}/task"):
    try:
        comm, f = fields(f"/proc/{pid}/task/{task}/stat")
    except OSError:
        continue
    if "CompilerThre" in comm:
        jit += sum(int(x) for x in f[11:13])
    elif comm.startswith("GC Thread"):
        gc += sum(int(x) for x in f[11:13])
print(total / hz, jit / hz, gc / hz)
PY
}
wrk_figure() { # URL SECONDS PID -> "rate p50 p99 non2xx cpu-ms-per-request jit-ms-per-second jit-share gc-share"
  local url=$1 seconds=$2 pid=$3 before after
  before=$(cpu "$pid")
  wrk -t2 -c16 -d"${seconds}s" --latency --timeout 10s "$url" > "$work/wrk.out" 2>&1 || true
  after=$(cpu "$pid")
  python3 - "$seconds" $before $after $(wrk_parse "$work/wrk.out") <<'PY'
import sys
seconds, t0, j0, g0, t1, j1, g1 = map(float, sys.argv[1:8])
rate, p50, p99, non2xx, total = sys.argv[8:13]
n = max(1, int(total))
cpu, jit, gc = t1 - t0, j1 - j0, g1 - g0
print(f"{rate} {p50} {p99} {non2xx} "
      f"{cpu * 1000 / n:.3f} {jit * 1000 / seconds:.0f} {100 * jit / cpu if cpu else 0:.0f} {100 * gc / cpu if cpu else 0:.0f}")
PY
}
report() { echo "$*" | tee -a "$out"; }
line() { printf '%-9s %-28s %-7s %8s %8s %8s %7s %8s %8s %6s %6s %6s\n' "$@" | tee -a "$out"; }

report "# cold-start benchmark $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- deploy 2>/dev/null || echo ' (with local changes)'), JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
report "# launcher's catalog-service flags: $(tr '\0' ' ' < "/proc/$(record catalog-service pid)/cmdline" | grep -o -- ' -X[^ ]*' | tr -d '\n')"
report "# per slice: wrk -t2 -c16; cpu ms = the instance's CPU per request; jit ms/s = CPU of its C1/C2 compiler threads per second of the slice; jit % / gc % = the compiler / GC threads' share of the instance's CPU"
line service variant slice 'req/s' 'p50 ms' 'p99 ms' non-2xx 'cpu ms' 'jit ms/s' 'jit %' 'gc %' load
declare -A urls=([catalog]=/api/v1/listings/acme/whisper-small [search]=/api/v1/search?q=speech)
for v in "${!variants[@]}"; do
  variant=${variants[$v]}
  for service in ${services//,/ }; do
    url_path=${urls[$service]}
    flags=() prewarm=0 aot= app_dir=
    for word in $variant; do
      case "$word" in
        launcher) ;;
        aot-jar)
          app_dir=quarkus-app-aot
          [ -f "$service-service/target/$app_dir/quarkus-run.jar" ] || { echo "no $service-service/target/$app_dir: build it first (see the header)" >&2; exit 1; } ;;
        aot) aot="$work/$service-$v.aot" ;;
        prewarm=*) prewarm=${word#prewarm=} ;;
        *) flags+=("$word") ;;
      esac
    done
    if [ -n "$aot" ]; then
      start_instance "$service-service" "$service-$v-train" "${flags[@]}" "-XX:AOTCacheOutput=$aot"
      wrk -t2 -c16 -d"${train}s" "http://127.0.0.1:$port$url_path" > /dev/null 2>&1 || true
      stop_begin=$SECONDS
      stop_instance
      report "# $service '$variant': training instance ready in ${ready_after} s, trained ${train} s, stopped and cache written in $((SECONDS - stop_begin)) s: $(du -h "$aot" 2>/dev/null | cut -f1) ($(grep -c -i 'aot\|cds' "$work/$service-$v-train.out" || true) AOT/CDS lines in its output)"
      flags+=("-XX:AOTCache=$aot")
    fi
    start_instance "$service-service" "$service-$v" "${flags[@]}"
    url="http://127.0.0.1:$port$url_path"
    report "# $service '$variant': ready in ${ready_after} s (health polled every 0.2 s), CPU used by then: $(cpu "$instance" | awk '{printf "%.1f s, JIT %.1f s, GC %.1f s", $1, $2, $3}')"
    if [ "$prewarm" -gt 0 ]; then
      wrk -t2 -c16 -d"${prewarm}s" "$url" > /dev/null 2>&1 || true
    fi
    rates=()
    for ((t = 0; t < minute; t += slice)); do
      set -- $(wrk_figure "$url" "$slice" "$instance")
      rates+=("$1")
      line "$service" "${variant:0:28}" "$t-$((t + slice))s" "$@" "$(cut -d' ' -f1 /proc/loadavg)"
    done
    wrk -t2 -c16 -d3s "$url" > /dev/null 2>&1 || true
    set -- $(wrk_figure "$url" 10 "$instance")
    warm=$1
    line "$service" "${variant:0:28}" warm "$@" "$(cut -d' ' -f1 /proc/loadavg)"
    python3 - "$service" "$variant" "$warm" "${rates[@]}" <<'PY' | tee -a "$out"
import sys
service, variant, warm, *rates = sys.argv[1:]
warm = float(warm); rates = [float(r) for r in rates]
first = rates[0] / warm if warm else float('nan')
mean = sum(rates) / len(rates) / warm if warm else float('nan')
print(f"= {service} '{variant}': first slice / warm {first:.2f}, first {len(rates)} slices / warm {mean:.2f} "
      f"({'within' if mean >= 0.5 else 'NOT within'} 2x), warm {warm:.0f} req/s")
PY
    stop_instance
  done
done
report "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $out"
