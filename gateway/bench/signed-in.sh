#!/usr/bin/env bash
# Signed-in reads: what a Keycloak bearer token costs the gateway and catalog-service per request.
#   GET /api/v1/listings/alice/tiny-llama-chat with "Authorization: Bearer <alice's Keycloak token>" straight to
#   catalog-service and through the gateway (which validates the token, forwards it, and catalog validates it again),
#   at 16 and 64 connections (wrk -t2): req/s, p50, p99, non-2xx, the ratios, and the CPU microseconds per request
#   of catalog-service (direct) and of the gateway and catalog-service (through the gateway), from /proc/<pid>/stat,
#   with the load average at the time of each figure.
#   --ab: the whole measurement twice, each on a fresh marketplace: B with the verified-token cache off in every
#         service (MODELMARKET_SECURITY_TOKEN_CACHE_ENABLED=false: every request's JWT verified by quarkus-oidc, as
#         before the cache), then A with the defaults; one command, so both halves run in one hold of the bench lock.
#   --jfr: also a JFR profile (settings=profile) of catalog-service during a direct 64-connection run and of the
#          gateway during a 64-connection run through it (not part of the CPU figures), printed by layer (JWT
#          verification: jose4j and RSA; quarkus-oidc; the security machinery; ...) and by top frames.
# It starts the marketplace (deploy/launcher, demo data) on free ports (--free-ports) in a throwaway data folder and
# stops it at the end. Bounded (about 2 minutes per variant after the start), loopback only. Needs wrk, curl, python3.
# On a shared machine run it under the lock: flock /tmp/modelmarket-bench.lock gateway/bench/signed-in.sh --ab
#   gateway/bench/signed-in.sh [--duration S (8)] [--warmup S (3)] [--jit-warmup S (20)] [--ab] [--jfr]
#   SKIP_BUILD=1 skips the build. Results: gateway/bench/target/signed-in-<time>.txt (and .jfr files with --jfr).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source deploy/jdk.sh > /dev/null
source gateway/bench/lib.sh
duration=8
warmup=3
jit_warmup=20
variants=A
jfr=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --ab) variants="B A"; shift ;;
    --jfr) jfr=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in wrk curl python3; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
if [ "${SKIP_BUILD:-}" != "1" ]; then
  echo "Building (SKIP_BUILD=1 to skip)..."
  ./mvnw -B -q -DskipTests package
fi
mkdir -p gateway/bench/target
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$root/gateway/bench/target/signed-in-$stamp.txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-signed-in.XXXXXX")
trap 'marketplace_stop; rm -rf "$work"' EXIT
report() { echo "$*" | tee -a "$out"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
listing=/api/v1/listings/alice/tiny-llama-chat
# Up when Keycloak gives alice a token and the gateway answers her signed-in read.
signed_in_read_works() {
  local token
  [ -f "$data/run.json" ] && [ -n "$(port_of gateway)" ] && [ -n "$(port_of keycloak)" ] \
    && token=$(alice_token "http://127.0.0.1:$(port_of keycloak)" 2>/dev/null) \
    && curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$(port_of gateway)$listing"
}

# Where the samples of a JFR recording are: profile FILE LABEL
profile() {
  "$JAVA_HOME/bin/jfr" print --json --stack-depth 512 --events jdk.ExecutionSample "$1" > "$work/samples.json"
  python3 - "$work/samples.json" "$2" <<'EOF' | tee -a "$out"
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
LAYERS = [
    ("verified-token cache (platform)", "org.modelmarket.platform.security."),
    ("JWT signature check (RSA: sun.security.rsa, BigInteger)", ("sun.security.rsa.", "java.math.BigInteger.", "java.math.MutableBigInteger.")),
    ("jose4j (JWS parse, claims JSON, validators)", "org.jose4j."),
    ("quarkus-oidc", "io.quarkus.oidc."),
    ("  oidc tenant resolution", ("io.quarkus.oidc.runtime.DefaultTenantConfigResolver.", "io.quarkus.oidc.runtime.StaticTenantResolver.")),
    ("  oidc identity provider (verify + principal)", "io.quarkus.oidc.runtime.OidcIdentityProvider."),
    ("smallrye-jwt / JSON-P (claims, principal)", ("io.smallrye.jwt.", "org.eclipse.parsson.", "org.glassfish.json.")),
    ("security machinery (quarkus security, http auth)", ("io.quarkus.security.", "io.quarkus.vertx.http.runtime.security.")),
    ("API tokens (gateway token.auth)", "org.modelmarket.gateway.token."),
    ("Base64", "java.util.Base64"),
    ("reverse proxy (io.vertx.httpproxy)", "io.vertx.httpproxy."),
    ("fault tolerance", "io.smallrye.faulttolerance."),
    ("tracing (io.opentelemetry)", "io.opentelemetry."),
    ("metrics (micrometer)", ("io.micrometer.", "io.quarkus.micrometer.")),
    ("RESTEasy Reactive", ("org.jboss.resteasy.reactive.", "io.quarkus.resteasy.reactive.")),
    ("Hibernate / PostgreSQL client", ("org.hibernate.", "io.vertx.pgclient.", "io.vertx.sqlclient.")),
    ("Jackson", "com.fasterxml.jackson."),
    ("Mutiny", "io.smallrye.mutiny."),
    ("context propagation", ("io.smallrye.context.", "io.quarkus.arc.runtime.context.")),
    ("netty", "io.netty."),
]
top = collections.Counter()
layers = collections.Counter()
owners = collections.Counter()
for event in events:
    trace = event["values"].get("stackTrace")
    names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in (trace["frames"] if trace else [])]
    if names:
        top[names[0]] += 1
    for label, prefixes in LAYERS:
        if any(n.startswith(prefixes) for n in names):
            layers[label] += 1
    owner = next((label for n in names for label, prefixes in LAYERS if not label.startswith(" ") and n.startswith(prefixes)), None)
    owners[owner or "other: " + (".".join(names[0].split(".")[:3]) if names else "?")] += 1
total = max(len(events), 1)
print(f"# JFR {sys.argv[2]}: {len(events)} execution samples")
print("# share of samples with the layer anywhere on the stack (layers nest, so shares overlap):")
for label, _ in LAYERS:
    if layers[label]:
        print(f"  {100 * layers[label] / total:5.1f}%  {label}")
print("# samples by the innermost layer on their stack (exclusive):")
for label, count in owners.most_common(15):
    print(f"  {100 * count / total:5.1f}%  {label}")
print("# top 20 frames (self time):")
for name, count in top.most_common(20):
    print(f"  {100 * count / total:5.1f}%  {name}")
EOF
}

report "# signed-in read benchmark $(date -u +%FT%TZ), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
report "# wrk -t2, ${jit_warmup} s JIT warm-up, ${warmup} s warm-up before each figure, ${duration} s per figure; variants: $variants (B = verified-token cache off, A = defaults)"
for variant in $variants; do
  data="$work/data-$variant"
  if [ "$variant" = B ]; then export MODELMARKET_SECURITY_TOKEN_CACHE_ENABLED=false; else unset MODELMARKET_SECURITY_TOKEN_CACHE_ENABLED; fi
  marketplace_start "$data" "$work/run-$variant.out"
  marketplace_wait signed-in "$work/run-$variant.out" signed_in_read_works
  marketplace_urls
  gateway_pid=$(pid_of_port "${gateway##*:}")
  catalog_pid=$(pid_of_port "${catalog##*:}")
  # A fresh token: Keycloak's live 5 minutes, far more than one variant takes.
  token=$(alice_token "$keycloak")
  wrk_header="Authorization: Bearer $token"
  report ""
  report "## variant $variant$([ "$variant" = B ] && echo ' (verified-token cache off)' || echo ' (defaults)'), marketplace up at $(date -u +%T), load $(load)"
  # JIT warm-up, not measured: through the gateway, which warms catalog's path too.
  wrk_run "$gateway$listing" 16 "$jit_warmup" > /dev/null
  printf '%-34s %5s %9s %8s %8s %8s   %s\n' request conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'CPU us per request; load' | tee -a "$out"
  for conns in 16 64; do
    wrk_run "$catalog$listing" "$conns" "$warmup" > /dev/null
    c0=$(ticks "$catalog_pid")
    read -r s_rate s_p50 s_p99 s_bad s_n <<< "$(wrk_run "$catalog$listing" "$conns" "$duration" 2)"
    s_cpu=$(per_request $(( $(ticks "$catalog_pid") - c0 )) "$s_n")
    printf '%-34s %5s %9s %8s %8s %8s   catalog %s; load %s\n' "signed-in GET, catalog direct" "$conns" "$s_rate" "$s_p50" "$s_p99" "$s_bad" "$s_cpu" "$(load)" | tee -a "$out"
    wrk_run "$gateway$listing" "$conns" "$warmup" > /dev/null
    g0=$(ticks "$gateway_pid"); c0=$(ticks "$catalog_pid")
    read -r g_rate g_p50 g_p99 g_bad g_n <<< "$(wrk_run "$gateway$listing" "$conns" "$duration" 2)"
    g_cpu=$(per_request $(( $(ticks "$gateway_pid") - g0 )) "$g_n")
    gc_cpu=$(per_request $(( $(ticks "$catalog_pid") - c0 )) "$g_n")
    ratio=$(python3 -c "import sys; a,b,c,d=map(float,sys.argv[1:5]); print(f'{a/max(b,1):.2f}x, p50 {c/max(d,0.001):.2f}x')" "$g_rate" "$s_rate" "$g_p50" "$s_p50")
    printf '%-34s %5s %9s %8s %8s %8s   gateway %s + catalog %s; load %s; throughput %s\n' "signed-in GET, through the gateway" "$conns" "$g_rate" "$g_p50" "$g_p99" "$g_bad" "$g_cpu" "$gc_cpu" "$(load)" "$ratio" | tee -a "$out"
  done
  if [ "$jfr" = 1 ]; then
    for who in catalog gateway; do
      pid=$([ "$who" = catalog ] && echo "$catalog_pid" || echo "$gateway_pid")
      url=$([ "$who" = catalog ] && echo "$catalog" || echo "$gateway")
      file="${out%.txt}-$variant-$who.jfr"
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=signed settings=profile filename="$file" > /dev/null
      wrk_run "$url$listing" 64 "$duration" > /dev/null
      "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=signed > /dev/null
      profile "$file" "variant $variant, $who during a signed-in 64-connection run $([ "$who" = catalog ] && echo 'straight to catalog' || echo 'through the gateway')"
    done
  fi
  wrk_header=""
  marketplace_stop
done
report "# written to $out"
