#!/usr/bin/env bash
# The gateway's own CPU per proxied read, without the rest of the marketplace: the gateway (its packaged jar) in front
# of nginx serving a catalog listing's JSON as a static file, so that nearly all CPU spent per request beyond nginx's
# is the gateway's pass-through path (edge checks, rate limit, request id, tracing, metrics, the reverse proxy and its
# resilience guard). An anonymous GET /api/v1/listings/alice/tiny-llama-chat, as in bench/gateway.sh.
#   For each of 16 and 64 connections (wrk -t2): nginx direct (the reference) and through the gateway: req/s, p50,
#   p99, non-2xx, and the gateway's CPU microseconds per request (utime+stime from /proc/<pid>/stat around the
#   figure), with the load average at the time. Plus the edge cache's hit path: the same JSON under a second name
#   that nginx serves with "Cache-Control: public, max-age=0, s-maxage=1", as catalog-service marks anonymous reads
#   (the gateway asks nginx about once a second and answers the rest itself).
#   --jfr: also records a JFR profile of the gateway during a 64-connection run and prints where its samples are
#   (top frames, and the share of samples with each layer anywhere on the stack).
# Bounded (about 2 minutes after the build), loopback only. Needs wrk, nginx, python3. The database and Keycloak are
# not needed: anonymous reads touch neither (the token store and OIDC are used only for bearer tokens).
# Results: gateway/bench/target/proxy-cpu-<time>.txt.
#   gateway/bench/proxy-cpu.sh [--duration S (10)] [--jit-warmup S (20)] [--jfr] [--proxied-only (no edge-cache rows:
#   shorter A/B runs)]     SKIP_BUILD=1 skips the build;
#   GATEWAY_APP=DIR runs another build's quarkus-app folder (a copy kept for a before/after comparison in one sitting).
#   GATEWAY_OPTS="-Dkey=value ..." adds JVM options to the gateway (e.g. a setting tried against the same build).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source deploy/jdk.sh > /dev/null
source gateway/bench/lib.sh
duration=10
jit_warmup=20
jfr=0
cached=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --proxied-only) cached=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk nginx python3; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
app=${GATEWAY_APP:-gateway/target/quarkus-app}
if [ "${SKIP_BUILD:-}" != "1" ] && [ -z "${GATEWAY_APP:-}" ]; then
  echo "Building the gateway (SKIP_BUILD=1 to skip)..."
  ./mvnw -B -q -pl gateway -am package -DskipTests
fi
mkdir -p gateway/bench/target
out="$root/gateway/bench/target/proxy-cpu-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-proxy-cpu.XXXXXX")
nginx_pid=""
gateway_pid=""
stop() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
report() { echo "$*" | tee -a "$out"; }

# nginx as catalog-service: the listing's JSON (about the size catalog answers) as a static file.
path=/api/v1/listings/alice/tiny-llama-chat
mkdir -p "$work/www$(dirname $path)" "$work/nginx-tmp"
cached_path=/api/v1/listings/alice/tiny-llama-cached
python3 - "$work/www$path" <<'EOF'
import json, sys
listing = {"id": "0b7e3d2a-5f1c-4e8b-9a6d-3c2b1a0f9e8d", "namespace": "alice", "name": "tiny-llama-chat",
           "title": "Tiny Llama Chat", "summary": "A small chat model for tests and demos. " * 4,
           "description": "A compact instruction-tuned chat model. " * 12, "modality": "text",
           "task": "text-generation", "license": "apache-2.0", "priceType": "free", "visibility": "public",
           "status": "published", "tags": ["chat", "llama", "small"], "owners": ["alice"],
           "stats": {"likes": 12, "reviews": 3, "rating": 4.3, "downloads": 1024}, "version": 3,
           "createdAt": "2026-11-29T10:00:00Z", "updatedAt": "2026-11-29T11:00:00Z"}
open(sys.argv[1], "w").write(json.dumps(listing))
EOF
# nginx's worker runs as another user: the throwaway folder (mktemp's mode 700) must be readable to it.
cp "$work/www$path" "$work/www$cached_path"
chmod -R a+rX "$work"
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 512; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = $cached_path { add_header Cache-Control "public, max-age=0, s-maxage=1"; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" > /dev/null 2>&1 &
nginx_pid=$!

gateway_port=$(free_port)
backend=http://127.0.0.1:$nginx_port
# The benchmark's one client address would exhaust the anonymous quota: raised, so its cost stays measured.
MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_API=1000000000 \
MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_FILES=1000000000 \
  "$JAVA_HOME/bin/java" -Xmx256m ${GATEWAY_OPTS:-} \
  -Dquarkus.http.port="$gateway_port" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.rest-client.catalog.url="$backend" -Dquarkus.rest-client.search.url="$backend" \
  -Dquarkus.rest-client.artifact.url="$backend" -Dquarkus.rest-client.billing.url="$backend" \
  -Dquarkus.flyway.migrate-at-start=false -Dquarkus.log.level=WARN \
  -jar "$app/quarkus-run.jar" > "$work/gateway.out" 2>&1 &
gateway_pid=$!
gateway=http://127.0.0.1:$gateway_port
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$gateway$path" && break
  kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.out" >&2; echo "the gateway did not start" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$gateway$path" || { cat "$work/gateway.out" >&2; exit 1; }


report "# gateway proxy CPU benchmark $(date -u +%FT%TZ), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- gateway 2>/dev/null || echo ' (with local changes)')"
report "# gateway: $app${GATEWAY_OPTS:+, options: $GATEWAY_OPTS}"
report "# GET $path, anonymous; backend: nginx static file; wrk -t2, ${jit_warmup} s JIT warm-up, ${duration} s per figure"
wrk_run "$gateway$path" 16 "$jit_warmup" > /dev/null
printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' target conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'gateway us/req' 'load average' | tee -a "$out"
for conns in 16 64; do
  read -r rate p50 p99 bad n <<< "$(wrk_run "$backend$path" "$conns" "$duration" 2)"
  printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' "nginx direct" "$conns" "$rate" "$p50" "$p99" "$bad" "-" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
  wrk_run "$gateway$path" "$conns" 3 > /dev/null
  t0=$(ticks "$gateway_pid")
  read -r rate p50 p99 bad n <<< "$(wrk_run "$gateway$path" "$conns" "$duration" 2)"
  cpu=$(per_request $(( $(ticks "$gateway_pid") - t0 )) "$n")
  printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' "through the gateway" "$conns" "$rate" "$p50" "$p99" "$bad" "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
  [ "$cached" = 1 ] || continue
  wrk_run "$gateway$cached_path" "$conns" 3 > /dev/null
  t0=$(ticks "$gateway_pid")
  read -r rate p50 p99 bad n <<< "$(wrk_run "$gateway$cached_path" "$conns" "$duration" 2)"
  cpu=$(per_request $(( $(ticks "$gateway_pid") - t0 )) "$n")
  printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' "gateway, edge cache" "$conns" "$rate" "$p50" "$p99" "$bad" "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
done

if [ "$jfr" = 1 ]; then
  "$JAVA_HOME/bin/jcmd" "$gateway_pid" JFR.start name=bench settings=profile filename="$work/gateway.jfr" > /dev/null
  wrk_run "$gateway$path" 64 "$duration" > /dev/null
  "$JAVA_HOME/bin/jcmd" "$gateway_pid" JFR.stop name=bench > /dev/null
  "$JAVA_HOME/bin/jfr" print --json --events jdk.ExecutionSample "$work/gateway.jfr" > "$work/samples.json"
  cp "$work/gateway.jfr" "${out%.txt}.jfr"
  python3 - "$work/samples.json" <<'EOF' | tee -a "$out"
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
top = collections.Counter()
layers = collections.Counter()
owners = collections.Counter()
LAYERS = [
    ("reverse proxy (io.vertx.httpproxy)", "io.vertx.httpproxy."),
    ("fault tolerance (io.smallrye.faulttolerance)", "io.smallrye.faulttolerance."),
    ("security (io.quarkus.security, vertx.http security, oidc)", ("io.quarkus.security.", "io.quarkus.vertx.http.runtime.security.", "io.quarkus.oidc.")),
    ("tracing (io.opentelemetry)", "io.opentelemetry."),
    ("metrics (io.micrometer, quarkus micrometer)", ("io.micrometer.", "io.quarkus.micrometer.")),
    ("CORS", "io.quarkus.vertx.http.runtime.cors."),
    ("rate limit (bucket4j, caffeine)", ("io.github.bucket4j.", "com.github.benmanes.caffeine.")),
    ("request id (UUID, SecureRandom)", ("java.util.UUID.", "java.security.SecureRandom.", "sun.security.provider.")),
    ("route table (regex)", ("org.modelmarket.gateway.route.RouteTable.", "org.modelmarket.gateway.route.Route.")),
    ("Mutiny", "io.smallrye.mutiny."),
    ("context propagation", ("io.smallrye.context.", "io.quarkus.arc.runtime.context.")),
    ("netty", "io.netty."),
]
for event in events:
    frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
    # JFR's JSON names types with slashes (java/lang/String): dotted, as the prefixes below.
    names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
    if names:
        top[names[0]] += 1
    for label, prefixes in LAYERS:
        if any(n.startswith(prefixes) for n in names):
            layers[label] += 1
    # The innermost layer on the stack owns the sample (a layer's own work, not what runs beneath it).
    owner = next((label for n in names for label, prefixes in LAYERS if n.startswith(prefixes)), None)
    if owner is None:
        owner = "other: " + (".".join(names[0].split(".")[:3]) if names else "?")
    owners[owner] += 1
total = len(events)
print(f"# JFR: {total} execution samples of the gateway during a 64-connection run")
print("# share of samples with the layer anywhere on the stack (layers nest, so shares overlap):")
for label, count in layers.most_common():
    print(f"  {100 * count / max(total, 1):5.1f}%  {label}")
print("# samples by the innermost layer on their stack (exclusive):")
for label, count in owners.most_common(20):
    print(f"  {100 * count / max(total, 1):5.1f}%  {label}")
print("# top 25 frames (self time):")
for name, count in top.most_common(25):
    print(f"  {100 * count / max(total, 1):5.1f}%  {name}")
EOF
fi
echo "Results: $out"
