#!/usr/bin/env bash
# Hub resolve benchmark (issue 11): one file fetched through the gateway's Hugging Face compatible
#   GET /{ns}/{name}/resolve/main/{path}
# by the real @huggingface/hub client (2.17.5, gateway/src/test/hub-client/hub-download.mjs: downloadFileToCacheDir,
# the body streamed to a file in a fresh cache folder, as users and snapshotDownload do) vs curl of the same URL to a
# file, in the same run, alternating, with the same hf_ API token (read, download). Per run: seconds, MB/s, the ratio
# JS/curl (aim >= 0.9), and CPU seconds per GiB of the gateway, of artifact-service behind it and of the client
# process (node or curl), from /proc/<pid>/stat and /usr/bin/time. Every downloaded file is checked by SHA-256.
# It starts the marketplace (deploy/launcher) with the demo data on free ports (--free-ports) in a throwaway data
# folder, so it needs no port lock; it stops everything at the end. The start-up, the port lookup and alice's token are
# gateway/bench/lib.sh's, as in the other gateway benchmarks (so the rate-limit quotas are raised here too). Bounded (a few minutes after the build and the
# start), loopback only. Needs node, npm, curl, python3, /usr/bin/time.
# Then the same with several clients at once (--parallel "4 16 64"): N JS clients (hub-fetch.mjs: downloadFile, the
# body hashed as it streams, nothing written) at once, then N curl (piped to sha256sum) at once, each fetching one
# whole file of --parallel-mib MiB (256), or less so that a phase moves at most --parallel-total-mib (4096) in all
# (64 clients: 64 MiB each), each phase cut after --parallel-timeout seconds (300): aggregate MB/s, JS/curl, and CPU
# seconds per GiB of the gateway, artifact-service and all the clients together (64 node processes take ~4 GiB RAM).
#   gateway/bench/hub-resolve.sh [--file-mib MIB (1024)] [--runs N (3)] [--parallel "4 16 64" | ""]
#                                [--parallel-mib MIB (256)] [--parallel-total-mib MIB (4096)] [--parallel-timeout S (300)]
# The launcher runs the gateway with modelmarket.gateway.files.download=redirect and artifact-service's signed URLs on
# its own address, so resolve GETs are a 307 from the gateway and the bytes come from artifact-service (sendfile).
#   SKIP_BUILD=1 skips the build; MARKETPLACE_DATA=DIR uses a running marketplace's data folder (its run.json).
# Results: gateway/bench/target/hub-resolve-<time>.txt. On the shared machine run it under
#   flock /tmp/modelmarket-bench.lock gateway/bench/hub-resolve.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source deploy/jdk.sh > /dev/null
file_mib=1024
runs=3
parallel="4 16 64"
parallel_mib=256
parallel_total_mib=4096
parallel_timeout=300
while [ $# -gt 0 ]; do
  case "$1" in
    --file-mib) file_mib="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --parallel-mib) parallel_mib="$2"; shift 2 ;;
    --parallel-total-mib) parallel_total_mib="$2"; shift 2 ;;
    --parallel-timeout) parallel_timeout="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in node npm curl python3 /usr/bin/time timeout sha256sum; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
if [ "${SKIP_BUILD:-}" != "1" ] && [ -z "${MARKETPLACE_DATA:-}" ]; then
  echo "Building (SKIP_BUILD=1 to skip)..."
  ./mvnw -B -q -DskipTests package
fi
client=gateway/src/test/hub-client
[ -d "$client/node_modules/@huggingface/hub" ] || (cd "$client" && npm ci --no-audit --no-fund > /dev/null)

mkdir -p gateway/bench/target
out="$root/gateway/bench/target/hub-resolve-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-hub-resolve.XXXXXX")
source gateway/bench/lib.sh
trap 'marketplace_stop; rm -rf "$work"' EXIT

data=${MARKETPLACE_DATA:-$work/data}
[ -n "${MARKETPLACE_DATA:-}" ] || marketplace_start "$data" "$work/run.out"
listing=alice/tiny-llama-chat
gateway_up() {
  [ -f "$data/run.json" ] && gateway_port=$(port_of gateway) && [ -n "$gateway_port" ] \
    && curl -sf -o /dev/null "http://127.0.0.1:$gateway_port/api/v1/listings/$listing/files/README.md"
}
marketplace_wait hub-resolve "$work/run.out" gateway_up
marketplace_urls
gateway_pid=$(pid_of_port "$(port_of gateway)")
artifact_pid=$(pid_of_port "$(port_of artifact-service)")

report() { echo "$*" | tee -a "$out"; }
# utime + stime of a process, in seconds
cpu_of() { python3 -c "import os,sys; f=open(f'/proc/{sys.argv[1]}/stat').read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))" "$1"; }

bearer=$(alice_token "$keycloak")
token=$(curl -sf -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' \
  -d '{"name":"hub-resolve-bench","scopes":["read","download"]}' "$gateway/api/v1/tokens" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# upload <MiB> <path>: a random file on the listing; prints its SHA-256
upload() {
  head -c "$(($1 * 1024 * 1024))" /dev/urandom > "$work/source.bin"
  sha256sum "$work/source.bin" | cut -d' ' -f1
  curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $bearer" -H 'Content-Type: application/octet-stream' \
    -T "$work/source.bin" "$gateway/api/v1/listings/$listing/files/$2"
  rm "$work/source.bin"
}
path=bench/model-$file_mib.safetensors
sha=$(upload "$file_mib" "$path")
url="$gateway/$listing/resolve/main/$path"
# The file size of the phase with N clients: --parallel-mib, or less to stay within --parallel-total-mib.
phase_mib() { local m=$((parallel_total_mib / $1)); [ "$m" -lt 1 ] && m=1; [ "$m" -gt "$parallel_mib" ] && m=$parallel_mib; echo "$m"; }
declare -A parallel_sha=()
for n in $parallel; do
  m=$(phase_mib "$n")
  [ -n "${parallel_sha[$m]:-}" ] || parallel_sha[$m]=$(upload "$m" "bench/parallel-$m.safetensors")
done

report "# hub resolve benchmark $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
report "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- gateway 2>/dev/null || echo ' (with local changes)'), ${file_mib} MiB, $runs runs, node $(node --version), $(curl --version | head -1 | cut -d' ' -f1-2)"
report "# $url (a GET of it: $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url" -r 0-0) without following redirects)"
printf '%-4s %-6s %8s %8s %14s %14s %14s %s\n' run client seconds 'MB/s' 'gateway cpu/GiB' 'artifact cpu/GiB' 'client cpu/GiB' 'load' | tee -a "$out"
gib=$(python3 -c "print($file_mib / 1024)")
measure() { # run client -> prints "seconds MB/s" and reports the row
  local run=$1 client=$2 g0 a0 g1 a1 seconds clientcpu file
  g0=$(cpu_of "$gateway_pid"); a0=$(cpu_of "$artifact_pid")
  if [ "$client" = js ]; then
    rm -rf "$work/cache"
    /usr/bin/time -f '%U %S' -o "$work/time" node "$root/$client_dir/hub-download.mjs" "$gateway" "$listing" "$path" "$token" "$work/cache" > "$work/js.out"
    seconds=$(tail -1 "$work/js.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
    file=$(tail -1 "$work/js.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
  else
    rm -f "$work/curl.bin"
    seconds=$(/usr/bin/time -f '%U %S' -o "$work/time" curl -sfL -H "Authorization: Bearer $token" -o "$work/curl.bin" -w '%{time_total}' "$url")
    file=$work/curl.bin
  fi
  g1=$(cpu_of "$gateway_pid"); a1=$(cpu_of "$artifact_pid")
  clientcpu=$(awk '{print $1 + $2}' "$work/time")
  [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ] || { echo "$client run $run: wrong bytes" >&2; exit 1; }
  python3 - "$run" "$client" "$seconds" "$file_mib" "$gib" "$g0" "$g1" "$a0" "$a1" "$clientcpu" "$(cut -d' ' -f1 /proc/loadavg)" <<'EOF' | tee -a "$out" 
import sys
run, client, s, mib, gib, g0, g1, a0, a1, c, load = sys.argv[1:]
s, mib, gib = float(s), float(mib), float(gib)
mbs = mib * 1048576 / s / 1e6
print(f"{run:<4} {client:<6} {s:8.2f} {mbs:8.0f} {(float(g1)-float(g0))/gib:14.2f} {(float(a1)-float(a0))/gib:14.2f} {float(c)/gib:14.2f} {load}")
EOF
}
client_dir=$client
js_total=0
curl_total=0
for run in $(seq 1 "$runs"); do
  # curl first in odd runs, JS first in even ones, so that neither always has the warmer page cache
  if [ $((run % 2)) -eq 1 ]; then order="curl js"; else order="js curl"; fi
  for c in $order; do
    row=$(measure "$run" "$c")
    echo "$row"
    secs=$(echo "$row" | awk '{print $3}')
    if [ "$c" = js ]; then js_total=$(python3 -c "print($js_total + $secs)"); else curl_total=$(python3 -c "print($curl_total + $secs)"); fi
  done
done
report "JS/curl throughput over $runs runs: $(python3 -c "print(f'{$curl_total / $js_total:.2f}x')") (aim >= 0.9x)"

# parallel_phase <n> <client>: n clients at once, each on the whole file of phase_mib(n) MiB; prints one row
parallel_phase() {
  local n=$1 client=$2 g0 a0 g1 a1 begin end i got failed=0
  local mib parallel_path
  mib=$(phase_mib "$n")
  parallel_path=bench/parallel-$mib.safetensors
  local purl="$gateway/$listing/resolve/main/$parallel_path" expected=${parallel_sha[$mib]}
  rm -f "$work"/p.*
  g0=$(cpu_of "$gateway_pid"); a0=$(cpu_of "$artifact_pid")
  begin=$(date +%s.%N)
  for i in $(seq 1 "$n"); do
    if [ "$client" = js ]; then
      timeout "$parallel_timeout" /usr/bin/time -f '%U %S' -o "$work/p.$i.time" \
        node "$root/$client_dir/hub-fetch.mjs" "$gateway" "$listing" "$parallel_path" "$token" > "$work/p.$i.out" &
    else
      # the client's CPU is curl's (sha256sum is the check, not the client)
      ( timeout "$parallel_timeout" /usr/bin/time -f '%U %S' -o "$work/p.$i.time" \
          curl -sfL -H "Authorization: Bearer $token" "$purl" | sha256sum | cut -d' ' -f1 > "$work/p.$i.sha" ) &
    fi
  done
  wait
  end=$(date +%s.%N)
  g1=$(cpu_of "$gateway_pid"); a1=$(cpu_of "$artifact_pid")
  for i in $(seq 1 "$n"); do
    if [ "$client" = js ]; then
      got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$work/p.$i.out" 2>/dev/null || true)
    else
      got=$(cat "$work/p.$i.sha" 2>/dev/null || true)
    fi
    [ "$got" = "$expected" ] || failed=$((failed + 1))
  done
  python3 - "$n" "$client" "$begin" "$end" "$mib" "$g0" "$g1" "$a0" "$a1" "$failed" "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)" "$work" <<'EOF'
import glob, sys
n, client, begin, end, mib, g0, g1, a0, a1, failed, load, work = sys.argv[1:]
n, s, failed = int(n), float(end) - float(begin), int(failed)
gib = n * float(mib) / 1024
cpu = 0.0
for f in glob.glob(f"{work}/p.*.time"):
    words = open(f).read().split()
    try:
        cpu += float(words[-2]) + float(words[-1])
    except (IndexError, ValueError):
        pass
mbs = n * float(mib) * 1048576 / s / 1e6
print(f"{n:<4} {client:<6} {s:8.2f} {mbs:8.0f} {(float(g1)-float(g0))/gib:14.2f} {(float(a1)-float(a0))/gib:14.2f} "
      f"{cpu/gib:14.2f} {load}" + (f"  {failed} of {n} FAILED (wrong bytes or cut by the timeout)" if failed else ""))
EOF
}
if [ -n "$parallel" ]; then
  report ""
  report "# parallel: N clients at once, each a whole file of min(${parallel_mib}, ${parallel_total_mib}/N) MiB (aggregate MB/s; CPU per GiB moved, the clients' summed; cut after ${parallel_timeout} s)"
  printf '%-4s %-6s %8s %8s %14s %14s %14s %s\n' N client seconds 'MB/s' 'gateway cpu/GiB' 'artifact cpu/GiB' 'clients cpu/GiB' 'load 1/5/15' | tee -a "$out"
  for n in $parallel; do
    js_row=$(parallel_phase "$n" js); report "$js_row"
    curl_row=$(parallel_phase "$n" curl); report "$curl_row"
    report "N=$n: $(phase_mib "$n") MiB per client"
    report "N=$n JS/curl aggregate throughput: $(python3 -c 'import sys; print(f"{float(sys.argv[1].split()[2]) / float(sys.argv[2].split()[2]):.2f}x")' "$curl_row" "$js_row")"
  done
fi
report "# written to $out"
