#!/usr/bin/env bash
# Measures the Quickstart as a user meets it: runs deploy/run.sh, times it until the gateway is ready and the
# demo listings are searchable, reads each engine's and service's resident memory after an idle pause, then
# sends Ctrl-C (SIGINT) and checks that no process of ours and no port of ours is left behind.
# Bounded: gives up after 15 minutes; loopback only. Usage: deploy/bench/footprint.sh [idle-seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/../.."
idle="${1:-30}"
data=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-footprint.XXXXXX")
ports=(8080 8081 8082 8083 8084 15432 19092 19200 18080)
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use: stop what holds it first" >&2; exit 1; fi
done

start=$(date +%s.%N)
# Job control gives the run its own process group, as a terminal's foreground job has, and keeps SIGINT
# deliverable (a non-interactive shell would start a background job with SIGINT ignored).
set -m
deploy/run.sh --data-dir "$data" > "$data/run.out" 2>&1 &
runner=$!
set +m
deadline=$(( $(date +%s) + 900 ))
until curl -sf "http://127.0.0.1:8080/api/v1/search?size=1" 2>/dev/null | grep -qE '"total":(4[4-9]|[5-9][0-9])'; do
  if ! kill -0 "$runner" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    echo "the marketplace did not come up; see $data/run.out" >&2; tail -20 "$data/run.out" >&2; kill -INT -- "-$runner" 2>/dev/null; exit 1
  fi
  sleep 1
done
ready=$(date +%s.%N)
printf 'ready (gateway up, demo listings searchable): %.0f s after deploy/run.sh started\n' "$(echo "$ready - $start" | bc)"
grep -E 'ready in|demo data' "$data/run.out" | sed 's/^/  /'

sleep "$idle"
# PSS (proportional set size) rather than RSS, so memory shared between processes (PostgreSQL's shared buffers,
# the JDK's shared libraries) is counted once across the whole marketplace.
pss() { # KiB of PSS of the given PIDs
  local total=0 pid value
  for pid in "$@"; do
    value=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$(( total + ${value:-0} ))
  done
  echo "$total"
}
echo "memory (PSS) after ${idle} s idle:"
launcher=$(pgrep -f 'deploy/launcher/target/launcher.jar' | head -1)
sum=0
for pid in $launcher $(pgrep -P "$launcher") ; do
  cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline")
  case "$cmd" in
    *launcher.jar*) name=launcher ;;
    *kafka.Kafka*) name=kafka ;;
    *elasticsearch*NodeMain*|*org.modelmarket.engines.elasticsearch*) name=elasticsearch ;;
    *keycloak*|*kc.sh*) name=keycloak ;;
    *quarkus-run.jar*) name=$(echo "$cmd" | grep -o '[a-z-]*/target/quarkus-app' | cut -d/ -f1) ;;
    *) name=$(basename "$(echo "$cmd" | cut -d' ' -f1)") ;;
  esac
  # The launcher alone; a launcher script (kc.sh) counts with the JVM it starts.
  if [ "$name" = launcher ]; then kib=$(pss "$pid"); else kib=$(pss "$pid" $(pgrep -P "$pid")); fi
  sum=$(( sum + kib ))
  printf '  %-18s %6d MiB\n' "$name" $(( kib / 1024 ))
done
postgres=$(pgrep -f "postgres -D $data" | head -1 || true)
if [ -n "$postgres" ]; then
  kib=$(pss "$postgres" $(pgrep -P "$postgres"))
  sum=$(( sum + kib ))
  printf '  %-18s %6d MiB (postmaster + backends)\n' postgresql $(( kib / 1024 ))
fi
printf '  %-18s %6d MiB\n' total $(( sum / 1024 ))

stop=$(date +%s.%N)
kill -INT -- "-$runner"
wait "$runner" || true
printf 'Ctrl-C to all stopped: %.1f s\n' "$(echo "$(date +%s.%N) - $stop" | bc)"
left=0
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "  port $port still bound" >&2; left=1; fi
done
if pgrep -f "$data" > /dev/null; then echo "  processes left: $(pgrep -f "$data" | tr '\n' ' ')" >&2; left=1; fi
[ "$left" = 0 ] && echo "no process and no port left behind"
rm -rf "$data"
exit "$left"
