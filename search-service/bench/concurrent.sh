#!/usr/bin/env bash
# Search at 16 and 64 connections on N generated listings (default 100 000), service vs Elasticsearch in one run:
# SearchBenchmark loads the listings (generator -> catalog.listings -> the service's admin rebuild, i.e. a bulk load
# into a fresh index of the real mapping), runs its sequential figures and holds the engines; meanwhile wrk measures
# GET /api/v1/search?q=... on the service and the identical body (ListingRequests, printed by RequestBodies) posted
# straight to Elasticsearch, back to back, after a 20 s JIT warm-up of the service. Everything stops at the end.
#   search-service/bench/concurrent.sh [--listings N] [--query TEXT] [--duration SECONDS]
# Needs the modules packaged (./mvnw -B -pl search-service -am package -DskipTests) and wrk. Bounded, loopback only.
# Results: search-service/target/bench/concurrent.txt (and the SearchBenchmark log beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
source ../deploy/jdk.sh > /dev/null
listings=100000
query="image classification"
duration=10
while [ $# -gt 0 ]; do
  case "$1" in
    --listings) listings="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk > /dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
work=target/bench
mkdir -p "$work"
log="$work/concurrent-benchmark.log"
out="$work/concurrent.txt"
# the packaged service's libraries and the local stack: no Maven resolution of the SNAPSHOT modules needed
cp="target/test-classes:target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*:../deploy/local-stack/target/local-stack-0.1.0-SNAPSHOT.jar"
hold=$(( 4 * (duration + 5) + 60 ))
"$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" org.modelmarket.search.bench.SearchBenchmark --listings "$listings" \
  --queries 100 --suggests 100 --writes 10 --hold "$hold" --work "$work" > "$log" 2>&1 &
bench=$!
trap 'kill $bench 2>/dev/null || true' EXIT
until grep -q "holding the engines" "$log"; do
  kill -0 $bench 2>/dev/null || { echo "the benchmark stopped; see $log" >&2; exit 1; }
  sleep 3
done
service=$(grep -o "holding the engines and the service (http://127.0.0.1:[0-9]*" "$log" | grep -o "[0-9]*$")
elastic=$(grep -o "Elasticsearch http://127.0.0.1:[0-9]*" "$log" | head -1 | grep -o "[0-9]*$")
"$JAVA_HOME/bin/java" -cp "$cp" org.modelmarket.search.bench.RequestBodies search "$query" > "$work/body.json"
cat > "$work/body.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-ndjson"
local f = io.open("$(pwd)/$work/body.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
url="http://127.0.0.1:$service/api/v1/search?q=$encoded"
# the hits and the facet counts, the two searches the service sends, as one _msearch
es="http://127.0.0.1:$elastic/_msearch"
measure() { # label conns url [lua] -> prints a row, echoes the rate
  local args=(-t2 -c"$2" -d"${duration}s" --latency --timeout 10s)
  [ -n "${4:-}" ] && args+=(-s "$4")
  wrk "${args[@]}" "$3" > "$work/wrk.out" 2>&1 || true
  python3 - "$work/wrk.out" "$1" "$2" <<'PY' | tee -a "$out" >&2
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r'^\s*' + label + r'\s+([\d.]+)(us|ms|s)\s*$', text, re.M)
    return float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[m.group(2)] if m else float('nan')
rate = re.search(r'Requests/sec:\s+([\d.]+)', text)
bad = re.search(r'Non-2xx or 3xx responses:\s+(\d+)', text)
errors = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', text)
non2xx = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in errors.groups()) if errors else 0)
print(f"{sys.argv[2]:<40} {sys.argv[3]:>5} {float(rate.group(1)) if rate else 0:>9.1f} {ms('50%'):>9.1f} {ms('99%'):>9.1f} {non2xx:>8}")
PY
  grep -o 'Requests/sec: *[0-9.]*' "$work/wrk.out" | grep -o '[0-9.]*$' || echo 0
}
{
  echo "# search at 16/64 connections, $listings generated listings, q=$query, $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep "^\[bench\]" "$log"
  printf '%-40s %5s %9s %9s %9s %8s\n' request conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx'
} > "$out"
wrk -t2 -c16 -d20s "$url" > /dev/null 2>&1 || true # JIT warm-up of the service
for conns in 16 64; do
  wrk -t2 -c"$conns" -d3s "$url" > /dev/null 2>&1 || true
  s=$(measure "search-service GET /api/v1/search" "$conns" "$url" | tail -1)
  wrk -t2 -c"$conns" -d3s -s "$work/body.lua" "$es" > /dev/null 2>&1 || true
  e=$(measure "Elasticsearch, identical body" "$conns" "$es" "$work/body.lua" | tail -1)
  python3 -c "import sys; s, e = map(float, sys.argv[1:]); print(f'  ratio service/Elasticsearch: {s / e:.2f}' if e else '  ratio n/a')" "$s" "$e" | tee -a "$out"
done
echo "results: $out"
