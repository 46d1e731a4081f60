#!/usr/bin/env bash
# Read-path benchmark of the local marketplace: each service request against the engine doing the same work, in
# one run, back to back, at 16 and 64 connections (wrk -t2, a warm-up before each figure):
#   catalog GET /api/v1/listings/{ns}/{name}  vs  pgbench of the same point read on the same database
#   catalog GET /api/v1/listings?size=20      vs  pgbench of the list's SQL (count + page)
#   catalog GET /api/v1/vendors/acme/listings vs  pgbench of that page's SQL (count + page of one vendor)
#   search  GET /api/v1/search?q=speech       vs  the identical request body posted straight to Elasticsearch
#   search  GET /api/v1/search/suggest?q=whi  vs  the identical suggest body posted straight to Elasticsearch
# (each search pair in the mirror order service, Elasticsearch, Elasticsearch, service, the ratio of the two means: see
# pair() below), plus the cold start: the first 10 s of catalog reads and searches right after the marketplace is ready.
# It starts deploy/run.sh with the demo data in a throwaway data directory on the fixed ports, holding the team's
# benchmark lock (flock /tmp/modelmarket-bench.lock: one benchmark at a time) and port lock
# (flock /tmp/modelmarket-fixed-ports.lock) for the whole run, and stops everything at the end.
# Bounded (about 11 minutes after the build), loopback only. Results: deploy/bench/target/read-paths-<time>.txt.
#   deploy/bench/read-paths.sh [--duration SECONDS (8)] [--warmup SECONDS (3)] [--jit-warmup SECONDS (20)] [--free-ports]
#                              [--launcher-warm-up SECONDS (the launcher's default, 0)]   SKIP_BUILD=1 skips the build
#                              [--only search] [--conns "16 64"] [--queries "speech|image classification"]
#                              [--listings N (0; at most 200000, needs --only search)] [--load bulk|kafka]
#                              [--profile] [--uncached] [--interference CORES]
#   SEARCH_APP=DIR runs another build's search-service quarkus-app folder (e.g. a copy kept for a before/after in one
#   sitting): the launcher starts search-service/target/quarkus-app, so the script puts a link to DIR there for the run
#   and puts the own build back at the end. The request bodies for Elasticsearch still come from this checkout.
# --only search measures search and suggest only (no catalog figures, no cold start: about 3 minutes after start);
# --conns the connection counts of the warm figures; --queries the search texts, separated by | (default speech;
# with --listings: speech, image classification, a typo segmantation, a prefix whisp).
# --listings N adds N generated listings to the running marketplace's search index: search-service's seeded
# ListingGenerator (titles and names from architectures, sizes and tasks across the taxonomy, Zipf-sized vendors,
# summaries and model cards, Pareto downloads, likes and ratings; about 8 % private, unlisted or drafts), each as the
# catalog.listings v2 CloudEvent catalog-service's outbox relay publishes. --load bulk (the default) writes them with
# the service's own rebuild path without Kafka (BulkLoad: the service's CatalogListingReader, ListingProjector and
# ElasticsearchIndexAdmin.bulk into the write alias, i.e. the index the service created with its own mapping: the
# same documents and versions the live projection writes for those events); --load kafka publishes them to the run's
# catalog.listings for search-service's live projection, the product's path for catalog writes, which writes one
# record at a time (15-100 listings/s on two busy cores: for a few thousand listings, not 100,000). The script waits
# until the read alias holds them all (load time and index size go to the results) and only then takes the benchmark
# lock, for the measured part. The data goes with the run's throwaway data directory.
# --uncached: one more figure per search, Elasticsearch with the identical body but "request_cache": false, i.e. the
# cost of a query the index has not answered since its last change (wrk repeats one query, so every other figure
# has its matching and scoring served from Elasticsearch's shard request cache after the first request).
# --interference CORES: one more figure per search pair, Elasticsearch with the identical body while a burner process
# beside it uses about CORES of CPU in bursts of 0.25 ms (as the service's JVM would at its rate), to show whether
# Elasticsearch's extra CPU per search under the service is the sharing of the two cores; the burner's own CPU per
# request is printed after the figure.
# --profile: at the end, each query's two searches (hits; facets) once more with "profile": true (which bypasses the
# request cache), summarised per phase: query (matching and scoring), rewrite, collectors, aggregations, fetch
# (sources and highlighting), in the results file.
# The cold start is measured from the moment the launcher reports the run ready (run.json), i.e. after its own warm-up
# reads (deploy/launcher Warmup); --launcher-warm-up 0 measures a run without them.
# --free-ports runs the marketplace on free ports (no port lock, so it can run beside another session's local run).
# What the search pairs compare, exactly: the service's GET against wrk posting the very bytes the service sends
# Elasticsearch (printed by the bench class RequestBodies from the service's own ListingRequests) to the same URL
# with the same Content-Type: for a search one _msearch of two searches (the hits, and the facet counts in a size-0
# request that the shard request cache keeps), for suggest one _search. What still differs is only how requests
# arrive: the service's Elasticsearch client adds three headers (X-Elastic-Client-Meta, User-Agent, Connection:
# Keep-Alive; sent by wrk too they changed nothing, 2026-11-30) and sends at most 10 at a time over its pooled
# keep-alive connections, wrk 16 or 64; and the service's JVM shares the two cores with Elasticsearch.
# Elasticsearch's own JIT is the largest trap: its C2 compiler threads keep compiling for minutes at these rates, and
# whatever figure comes first pays for it (the "jit" column shows how much of a figure's CPU was compiling).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
lock=/tmp/modelmarket-fixed-ports.lock
bench_lock=/tmp/modelmarket-bench.lock
free_ports=
case " $* " in *" --free-ports "*) free_ports=1 ;; esac
listings_wanted=0
case " $* " in *" --listings "*) listings_wanted=$(echo " $* " | sed -E 's/.* --listings ([0-9]+) .*/\1/') ;; esac
if [ -z "${READ_PATHS_LOCKED:-}" ]; then
  # build before taking the lock: other sessions need the fixed ports meanwhile
  source deploy/jdk.sh
  if [ "${SKIP_BUILD:-}" != "1" ]; then
    echo "Building (SKIP_BUILD=1 to skip)..."
    ./mvnw -B -q -DskipTests package
  fi
  # one benchmark at a time on the shared machine (the team's bench lock), and the fixed ports unless --free-ports;
  # with --listings the bench lock is taken after the load, for the measured part only (below)
  if [ "$listings_wanted" -gt 0 ]; then
    if [ -z "$free_ports" ]; then
      echo "Waiting for the port lock $lock..."
      READ_PATHS_LOCKED=1 exec flock "$lock" "$0" "$@"
    fi
    READ_PATHS_LOCKED=1 exec "$0" "$@"
  fi
  if [ -z "$free_ports" ]; then
    echo "Waiting for the benchmark lock $bench_lock and the port lock $lock..."
    READ_PATHS_LOCKED=1 exec flock "$bench_lock" flock "$lock" "$0" "$@"
  fi
  echo "Waiting for the benchmark lock $bench_lock..."
  READ_PATHS_LOCKED=1 exec flock "$bench_lock" "$0" "$@"
fi
source deploy/jdk.sh > /dev/null
source deploy/bench/lib.sh
duration=8
warmup=3
jit_warmup=20
launcher_warm_up=
only=
conn_counts="16 64"
queries=
listings=0
load=bulk
profile=
uncached=
interference=
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --free-ports) shift ;;
    --launcher-warm-up) launcher_warm_up="$2"; shift 2 ;;
    --only) only="$2"; shift 2; [ "$only" = search ] || { echo "--only takes: search" >&2; exit 2; } ;;
    --conns) conn_counts="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    --listings) listings="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --load) load="$2"; shift 2; case "$load" in bulk|kafka) ;; *) echo "--load takes: bulk, kafka" >&2; exit 2 ;; esac ;;
    --uncached) uncached=1; shift ;;
    --interference) interference="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$listings" -gt 0 ]; then
  [ "$only" = search ] || { echo "--listings loads search only (catalog's database keeps the demo data): add --only search" >&2; exit 2; }
  [ "$listings" -le 200000 ] || { echo "--listings: at most 200000 (a bound on the load's time and the run's disk)" >&2; exit 2; }
  : "${queries:=speech|image classification|segmantation|whisp}"
fi
: "${queries:=speech}"
IFS='|' read -r -a query_list <<< "$queries"
for tool in wrk pgbench curl python3; do
  command -v "$tool" > /dev/null || { echo "needs $tool (apt-get install -y wrk postgresql-client curl python3)" >&2; exit 1; }
done
for port in $([ -z "$free_ports" ] && echo 8080 8081 8082 8083 8084 15432 19092 19200 18080); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use: stop what holds it first" >&2; exit 1; fi
done

mkdir -p deploy/bench/target
out="$root/deploy/bench/target/read-paths-$(date -u +%Y%m%dT%H%M%SZ).txt"
work=$(mktemp -d "${TMPDIR:-/tmp}/modelmarket-read-paths.XXXXXX")
data="$work/data"
catalog_port=8081
search_port=8082
elastic_port=19200
pg_port=15432

own_search_app=search-service/target/quarkus-app
if [ -n "${SEARCH_APP:-}" ]; then
  [ -f "$SEARCH_APP/quarkus-run.jar" ] || { echo "SEARCH_APP=$SEARCH_APP has no quarkus-run.jar" >&2; exit 2; }
  [ ! -e "$own_search_app.own" ] || { echo "$own_search_app.own exists (an earlier run's?): put it back first" >&2; exit 2; }
  [ ! -e "$own_search_app" ] || mv "$own_search_app" "$own_search_app.own"
  ln -s "$(cd "$SEARCH_APP" && pwd)" "$own_search_app"
  echo "search-service from SEARCH_APP=$SEARCH_APP"
fi
set -m
"$JAVA_HOME/bin/java" -Xmx256m "-Djava.util.logging.SimpleFormatter.format=%1\$tT %4\$s %5\$s%6\$s%n" \
  -jar deploy/launcher/target/launcher.jar --data-dir "$data" ${free_ports:+--free-ports} \
  ${launcher_warm_up:+--warm-up "$launcher_warm_up"} > "$work/run.out" 2>&1 &
runner=$!
set +m
stop() {
  # TERM, not INT: started from a background job, the launcher inherits an ignored SIGINT and would keep running
  kill -TERM "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  if [ -n "${SEARCH_APP:-}" ] && [ -L "$own_search_app" ]; then
    rm "$own_search_app"
    [ ! -e "$own_search_app.own" ] || mv "$own_search_app.own" "$own_search_app"
  fi
  rm -rf "$work"
}
trap stop EXIT

if [ -n "$free_ports" ]; then
  # the launcher's run record names each process's ports once it started
  port_of() { python3 -c 'import json,sys
for p in json.load(open(sys.argv[1]))["processes"]:
    if p["name"] == sys.argv[2] and p["ports"]: print(p["ports"][0])' "$data/run.json" "$1" 2>/dev/null; }
  deadline=$(( $(date +%s) + 900 ))
  until [ -n "$(port_of search-service)" ] && [ -n "$(port_of catalog-service)" ]; do
    if ! kill -0 "$runner" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then break; fi
    sleep 1
  done
  catalog_port=$(port_of catalog-service); search_port=$(port_of search-service)
  elastic_port=$(port_of elasticsearch); pg_port=$(port_of postgresql); kafka_port=$(port_of kafka)
fi
kafka_port=${kafka_port:-19092}
catalog=http://127.0.0.1:$catalog_port
search=http://127.0.0.1:$search_port
elastic=http://127.0.0.1:$elastic_port
export PGPASSWORD=catalog
pg=(-h 127.0.0.1 -p "$pg_port" -U catalog)

demo=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' deploy/launcher/src/main/resources/demo/listings.json)
# ready = the launcher says so in its run record (services up, demo data loaded, its warm-up done) and search has
# indexed the demo listings
run_ready() { python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("ready") else 1)' "$data/run.json" 2>/dev/null; }
deadline=$(( $(date +%s) + 900 ))
until run_ready && [ "$(curl -sf "$search/api/v1/search?size=1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo 0)" -ge "$demo" ]; do
  if ! kill -0 "$runner" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    cp "$work/run.out" "$root/deploy/bench/target/read-paths-failed-run.out"
    echo "the marketplace did not come up; its output: deploy/bench/target/read-paths-failed-run.out" >&2
    grep -E 'INFO|WARN|did not|Exception' "$work/run.out" | grep -v '^\s*at ' | head -40 >&2; exit 1
  fi
  sleep 1
done

# the packaged service's own libraries (the Elasticsearch and Kafka clients among them) and the bench's test classes
cp="search-service/target/test-classes:search-service/target/classes:search-service/target/quarkus-app/lib/main/*:search-service/target/quarkus-app/lib/boot/*"
count_indexed() { curl -sf "$elastic/listings-read/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }
load_lines=()
if [ "$listings" -gt 0 ]; then
  # the demo data's own events may still be in flight: start from a settled count
  before=$(count_indexed)
  load_begin=$(date +%s.%N)
  if [ "$load" = kafka ]; then
    echo "Publishing $listings generated listings to catalog.listings on 127.0.0.1:$kafka_port ($before in the index)..."
    published=$("$JAVA_HOME/bin/java" -cp "$cp" org.modelmarket.search.bench.GenerateListings --count "$listings" \
      --bootstrap "127.0.0.1:$kafka_port" --seed 42 2>"$work/generate.err" | tail -1) \
      || { cat "$work/generate.err" >&2; echo "publishing the listings failed" >&2; exit 1; }
    how="published to catalog.listings, projected by search-service's live consumer"
  else
    echo "Bulk-loading $listings generated listings into the search index ($before in it)..."
    published=$("$JAVA_HOME/bin/java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" \
      org.modelmarket.search.bench.BulkLoad --count "$listings" --elasticsearch "127.0.0.1:$elastic_port" --seed 42 \
      2>"$work/generate.err" | tail -1) \
      || { cat "$work/generate.err" >&2; echo "loading the listings failed" >&2; exit 1; }
    how="written with search-service's rebuild path (reader, projector, bulk) into the write alias"
  fi
  publish_end=$(date +%s.%N)
  echo "$published"
  # every generated listing has a new id, and the index holds the searchable ones (public and published; the
  # projection removes the others), so the load is done when it holds them all
  searchable=$(echo "$published" | sed -E 's/.*\(([0-9]+) searchable.*/\1/')
  target=$(( before + searchable ))
  deadline=$(( $(date +%s) + 3600 ))
  until [ "$(count_indexed || echo 0)" -ge "$target" ]; do
    if ! kill -0 "$runner" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
      echo "the index holds $(count_indexed) of $target listings after the deadline" >&2; exit 1
    fi
    sleep 5
  done
  load_end=$(date +%s.%N)
  curl -sf -XPOST "$elastic/listings-read/_refresh" > /dev/null
  index_stats=$(curl -sf "$elastic/_cat/indices/listings-*?h=index,docs.count,store.size,pri.store.size,segments.count&bytes=mb" 2>/dev/null \
    || curl -sf "$elastic/_cat/indices/listings-*?h=index,docs.count,store.size&bytes=mb")
  load_lines+=("# loaded: $published; $how")
  load_lines+=("# load time: $(python3 -c "import sys; b, p, e, n = map(float, sys.argv[1:]); print(f'{e - b:.0f} s until searchable, {p - b:.0f} s to write, {n / (e - b):.0f} listings/s end to end')" "$load_begin" "$publish_end" "$load_end" "$listings"), load average after it $(cut -d' ' -f1-3 /proc/loadavg)")
  load_lines+=("# index (name, documents, store MB, primary store MB, segments): $index_stats")
  # the load is done: now one benchmark at a time for the measured part
  echo "Waiting for the benchmark lock $bench_lock..."
  exec 9>> "$bench_lock"
  flock 9
fi

report() { echo "$*" | tee -a "$out"; }
report "# read-paths benchmark $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for line in "${load_lines[@]}"; do report "$line"; done
report "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (with local changes)'), wrk -t2, ${warmup} s warm-up, ${duration} s per figure, launcher warm-up ${launcher_warm_up:-default}${SEARCH_APP:+, search-service from SEARCH_APP=$SEARCH_APP}"
printf '%-44s %5s %10s %9s %9s %8s %9s %9s %11s\n' request conns 'req/s' 'p50 ms' 'p99 ms' 'non-2xx' 'svc cpu' 'eng cpu' 'jit svc/eng' | tee -a "$out"
report "# svc cpu / eng cpu: CPU milliseconds per request used by the service JVM / by the engine (PostgreSQL with its backends, Elasticsearch)"
report "# jit svc/eng: of those, the milliseconds per request the JVM's JIT compiler threads took (still compiling: the figure is not warm)"

# wrk URL connections seconds [lua script] -> "rate p50 p99 non2xx"
wrk_run() {
  local url=$1 conns=$2 seconds=$3 script=${4:-}
  local args=(-t2 -c"$conns" -d"${seconds}s" --latency --timeout 10s)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" > "$work/wrk.out" 2>&1 || true
  wrk_parse "$work/wrk.out" | cut -d' ' -f1-4
}

# pgbench SQL-FILE connections seconds -> "tps p50 p99 failed"
pgbench_run() {
  local sql=$1 conns=$2 seconds=$3
  rm -rf "$work/pglog"; mkdir -p "$work/pglog"
  (cd "$work/pglog" && pgbench "${pg[@]}" -n -c "$conns" -j 2 -T "$seconds" -f "$sql" -l --log-prefix=tx catalog > "$work/pgbench.out" 2>&1) || true
  python3 - "$work/pgbench.out" "$work/pglog" <<'EOF'
import glob, re, sys
text = open(sys.argv[1]).read()
tps = re.search(r'tps = ([\d.]+)', text)
failed = re.search(r'number of failed transactions: (\d+)', text)
lat = sorted(int(line.split()[2]) for f in glob.glob(sys.argv[2] + '/tx*') for line in open(f) if line.strip())
pick = lambda p: lat[max(0, min(len(lat) - 1, int(len(lat) * p / 100 + 0.5) - 1))] / 1000 if lat else float('nan')
print(f"{float(tps.group(1)) if tps else 0:.0f} {pick(50):.1f} {pick(99):.1f} {int(failed.group(1)) if failed else 0}")
EOF
}

# CPU seconds used so far by the process listening on PORT and all its descendants (children that exited and were
# waited for included, e.g. PostgreSQL's backends): what a figure cost the service and the engine. Unlike rates, CPU
# per request stays comparable while other work loads the machine. Second value: the CPU seconds of that process's
# JIT compiler threads (HotSpot's "C1/C2 CompilerThread"), i.e. how much of the first value is the JIT still compiling
# rather than the request's own work (0 for PostgreSQL).
cpu_of_port() {
  local pid
  pid=$(ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  python3 - "$pid" <<'PY'
import os, sys
def stat(path):
    try:
        text = open(path).read()
        return text[text.index('(') + 1:text.rindex(')')], text.rsplit(')', 1)[1].split()
    except (OSError, ValueError):
        return None, None
children = {}
for entry in os.listdir('/proc'):
    if entry.isdigit():
        _, fields = stat(f'/proc/{entry}/stat')
        if fields: children.setdefault(fields[1], []).append(entry)
total, todo = 0, [sys.argv[1]] if sys.argv[1] else []
while todo:
    pid = todo.pop()
    _, fields = stat(f'/proc/{pid}/stat')
    if not fields: continue
    total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    todo.extend(children.get(pid, []))
jit = 0
if sys.argv[1]:
    for task in os.listdir(f'/proc/{sys.argv[1]}/task'):
        name, fields = stat(f'/proc/{sys.argv[1]}/task/{task}/stat')
        if fields and 'CompilerThre' in name: jit += int(fields[11]) + int(fields[12])
hz = os.sysconf('SC_CLK_TCK')
print(f"{total / hz:.2f} {jit / hz:.2f}")
PY
}
cpu_begin() { cpu_service=$(cpu_of_port "$1"); cpu_engine=$(cpu_of_port "$2"); }
cpu_per_request() { # service-port engine-port seconds "rate ..." -> "service-ms engine-ms jit-ms" per request
  local service engine
  service=$(cpu_of_port "$1"); engine=$(cpu_of_port "$2")
  python3 -c "import sys; s0, j0, s1, j1, e0, k0, e1, k1, t, r = map(float, sys.argv[1:]); n = max(1, t * r)
print(f'{(s1 - s0) * 1000 / n:.2f} {(e1 - e0) * 1000 / n:.2f} {(j1 - j0) * 1000 / n:.2f}/{(k1 - k0) * 1000 / n:.2f}')" \
    $cpu_service $service $cpu_engine $engine "$3" "${4%% *}"
}

row() { # label conns "rate p50 p99 bad" ["service-cpu engine-cpu jit"]
  local label=$1 conns=$2 cpu=${4:-- - -}; set -- $3 $cpu
  printf '%-44s %5s %10s %9s %9s %8s %9s %9s %11s\n' "$label" "$conns" "$1" "$2" "$3" "$4" "$5" "$6" "$7" | tee -a "$out" >&2
  echo "$1"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

mean() { python3 -c "import sys; print(f'{(float(sys.argv[1]) + float(sys.argv[2])) / 2:.0f}')" "$1" "$2"; }

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"; }

# what the requests read: a demo listing and its SQL
ns=acme; name=whisper-small
curl -sf "$catalog/api/v1/listings/$ns/$name" > /dev/null || { echo "demo listing $ns/$name is missing" >&2; exit 1; }
cat > "$work/point.sql" <<EOF
select * from listing where namespace = '$ns' and name = '$name';
EOF
# the SQL of one list page for an anonymous caller (public, published or deprecated, newest first) and its total
cat > "$work/list.sql" <<'EOF'
select count(*) from listing where visibility = 'PUBLIC' and status in ('PUBLISHED', 'DEPRECATED');
select * from listing where visibility = 'PUBLIC' and status in ('PUBLISHED', 'DEPRECATED') order by created_at desc, id limit 20;
EOF
# one vendor's page for an anonymous caller: the same, in one namespace
cat > "$work/vendor.sql" <<EOF
select count(*) from listing where namespace = '$ns' and visibility = 'PUBLIC' and status in ('PUBLISHED', 'DEPRECATED');
select * from listing where namespace = '$ns' and visibility = 'PUBLIC' and status in ('PUBLISHED', 'DEPRECATED') order by created_at desc, id limit 20;
EOF
for sql in point list vendor; do psql "${pg[@]}" -q -v ON_ERROR_STOP=1 -f "$work/$sql.sql" catalog > /dev/null; done

# the identical Elasticsearch bodies, built by search-service's own request code
# search: the hits and the facets as one _msearch (NDJSON), one per query text (search-1, search-2, ...);
# suggest: one _search
kinds=()
for i in "${!query_list[@]}"; do kinds+=("search-$((i + 1)):${query_list[$i]}:_msearch:application/x-ndjson"); done
kinds+=("suggest:whi:listings-read/_search:application/json")
for kind in "${kinds[@]}"; do
  IFS=: read -r what text endpoint type <<< "$kind"
  # to a file, not through $(...), which would drop the final newline _msearch needs
  "$JAVA_HOME/bin/java" -cp "$cp" org.modelmarket.search.bench.RequestBodies "${what%%-*}" "$text" > "$work/$what.json"
  echo "$elastic/$endpoint" > "$work/$what.url"
  curl -sf -H "Content-Type: $type" --data-binary "@$work/$what.json" "$(cat "$work/$what.url")" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(1 if any("error" in x for x in r.get("responses", [])) else 0)' \
    || { echo "Elasticsearch refused the $what body" >&2; exit 1; }
  for variant in "" -uncached; do
    [ -z "$variant" ] || [ "${what%%-*}" = search ] || continue
    [ -z "$variant" ] || sed 's/"request_cache":true/"request_cache":false/' "$work/$what.json" > "$work/$what$variant.json"
    cat > "$work/$what$variant.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "$type"
local f = io.open("$work/$what$variant.json", "r")
wrk.body = f:read("*a")
f:close()
EOF
  done
done

if [ -z "$only" ]; then
report "## cold start: the first 10 s of load right after the marketplace is ready (16 connections, no warm-up)"
cold_catalog=$(row "catalog GET /listings/$ns/$name (cold)" 16 "$(wrk_run "$catalog/api/v1/listings/$ns/$name" 16 10)" | tail -1)
cold_search=$(row "search GET /search?q=${query_list[0]} (cold)" 16 "$(wrk_run "$search/api/v1/search?q=$(urlencode "${query_list[0]}")" 16 10)" | tail -1)
fi

pair() { # label conns service-url engine-kind engine-arg rate-name service-port
  local label=$1 conns=$2 url=$3 kind=$4 arg=$5 port=$7 service engine result engine_port
  engine_port=$([ "$kind" = pgbench ] && echo "$pg_port" || echo "$elastic_port")
  service_figure() {
    wrk_run "$url" "$conns" "$warmup" > /dev/null
    cpu_begin "$port" "$engine_port"
    result=$(wrk_run "$url" "$conns" "$duration")
    row "$label" "$conns" "$result" "$(cpu_per_request "$port" "$engine_port" "$duration" "$result")" | tail -1
  }
  elastic_figure() {
    wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$warmup" "$arg" > /dev/null
    cpu_begin "$port" "$engine_port"
    result=$(wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$duration" "$arg")
    row "  Elasticsearch, identical $(basename "$arg" .lua) body" "$conns" "$result" "$(cpu_per_request "$port" "$engine_port" "$duration" "$result")" | tail -1
  }
  service=$(service_figure)
  if [ "$kind" = pgbench ]; then
    pgbench_run "$arg" "$conns" "$warmup" > /dev/null
    cpu_begin "$port" "$engine_port"
    result=$(pgbench_run "$arg" "$conns" "$duration")
    engine=$(row "  pgbench $(basename "$arg" .sql)" "$conns" "$result" "$(cpu_per_request "$port" "$engine_port" "$duration" "$result")" | tail -1)
  else
    # In the mirror order (service, Elasticsearch, Elasticsearch, service), then the mean of each side: on a shared
    # 2-core box Elasticsearch's C2 compiler keeps working for many minutes after the JIT warm-up, and whichever
    # figure comes first pays for it (srch9, 2026-11-30: 6.1 against 3.7-4.2 ms of Elasticsearch CPU per search on
    # byte-identical requests, 1.1 against 1.0 ten minutes later); the mirror order charges both sides alike.
    local engine_again service_again
    engine=$(elastic_figure)
    engine_again=$(elastic_figure)
    service_again=$(service_figure)
    service=$(mean "$service" "$service_again")
    engine=$(mean "$engine" "$engine_again")
    report "  means (service, Elasticsearch, Elasticsearch, service): service $service, Elasticsearch $engine req/s"
  fi
  report "  ratio service/engine: $(ratio "$service" "$engine")"
  if [ -n "$uncached" ] && [ -f "${arg%.lua}-uncached.lua" ]; then
    wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$warmup" "${arg%.lua}-uncached.lua" > /dev/null
    cpu_begin "$port" "$engine_port"
    result=$(wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$duration" "${arg%.lua}-uncached.lua")
    row "  Elasticsearch, same body, request cache off" "$conns" "$result" "$(cpu_per_request "$port" "$engine_port" "$duration" "$result")" > /dev/null
  fi
  if [ -n "$interference" ] && [ "$kind" = elastic ]; then
    # a burner of about $interference cores in 0.25 ms bursts, in its own process (python: one thread, so < 1 core)
    python3 -c '
import sys, time
share, end = float(sys.argv[1]), time.monotonic() + float(sys.argv[2])
burst = 0.00025
while time.monotonic() < end:
    t = time.perf_counter()
    while time.perf_counter() - t < burst:
        pass
    time.sleep(burst * (1 - share) / share)' "$interference" "$((warmup + duration + 2))" &
    local burner=$! burner_cpu
    wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$warmup" "$arg" > /dev/null
    cpu_begin "$port" "$engine_port"
    burner_cpu=$(awk '{print $14 + $15}' "/proc/$burner/stat")
    result=$(wrk_run "$(cat "${arg%.lua}.url")" "$conns" "$duration" "$arg")
    burner_cpu=$(( $(awk '{print $14 + $15}' "/proc/$burner/stat") - burner_cpu ))
    row "  Elasticsearch, identical body, burner beside" "$conns" "$result" "$(cpu_per_request "$port" "$engine_port" "$duration" "$result")" > /dev/null
    report "  burner: $(python3 -c "import sys, os; t, d, r = map(float, sys.argv[1:]); hz = os.sysconf('SC_CLK_TCK'); print(f'{t / hz / d:.2f} cores, {t / hz * 1000 / max(1, d * r):.2f} ms per request')" "$burner_cpu" "$duration" "${result%% *}")"
    wait "$burner" 2>/dev/null || true
  fi
  eval "rate_${6}_${conns}=$service"
}

# "Warm" means the JIT has settled: each service request under load for a while first (a few seconds are not
# enough on a shared 2-core box, where the services' C2 compiler thread otherwise eats most of their CPU per request)
report "## JIT warm-up: ${jit_warmup} s of load on each service request, then on each identical Elasticsearch body (16 connections), not measured"
for url in $([ -z "$only" ] && echo "$catalog/api/v1/listings/$ns/$name" "$catalog/api/v1/listings?size=20" \
    "$catalog/api/v1/vendors/$ns/listings?size=20") "$search/api/v1/search?q=$(urlencode "${query_list[0]}")" \
    "$search/api/v1/search/suggest?q=whi&size=8"; do
  wrk_run "$url" 16 "$jit_warmup" > /dev/null
done
# (the other queries run the same code: their own warm-up before each figure is enough)
# and Elasticsearch, straight, with the same bodies: otherwise its JIT, still compiling after the service's warm-up on
# a loaded box, is charged to whichever figure comes first (the service's), which looked like Elasticsearch spending
# 20-25 % more CPU on the service's requests than on the identical ones from wrk
for what in search-1 suggest; do
  wrk_run "$(cat "$work/$what.url")" 16 "$jit_warmup" "$work/$what.lua" > /dev/null
done
report "## warm"
for conns in $conn_counts; do
  [ -z "$only" ] && pair "catalog GET /listings/$ns/$name" "$conns" "$catalog/api/v1/listings/$ns/$name" pgbench "$work/point.sql" get "$catalog_port"
  [ -z "$only" ] && pair "catalog GET /listings?size=20" "$conns" "$catalog/api/v1/listings?size=20" pgbench "$work/list.sql" list "$catalog_port"
  [ -z "$only" ] && pair "catalog GET /vendors/$ns/listings?size=20" "$conns" "$catalog/api/v1/vendors/$ns/listings?size=20" pgbench "$work/vendor.sql" vendor "$catalog_port"
  for i in "${!query_list[@]}"; do
    pair "search GET /search?q=${query_list[$i]}" "$conns" "$search/api/v1/search?q=$(urlencode "${query_list[$i]}")" \
      elastic "$work/search-$((i + 1)).lua" "search$((i + 1))" "$search_port"
  done
  pair "search GET /search/suggest?q=whi" "$conns" "$search/api/v1/search/suggest?q=whi&size=8" elastic "$work/suggest.lua" suggest "$search_port"
done
[ -z "$only" ] && report "cold/warm at 16 connections: catalog GET $(ratio "$cold_catalog" "$rate_get_16"), search $(ratio "$cold_search" "${rate_search1_16:-0}")"
if [ -n "$profile" ]; then
  report "## where Elasticsearch's time goes: each search of the _msearch once with \"profile\": true (no request cache), ms"
  for i in "${!query_list[@]}"; do
    # the _msearch NDJSON: header, hits body, header, facets body
    for part in hits:2 facets:4; do
      sed -n "${part#*:}p" "$work/search-$((i + 1)).json" | python3 -c 'import json,sys; b=json.load(sys.stdin); b["profile"]=True; print(json.dumps(b))' > "$work/profile.json"
      curl -sf -H 'Content-Type: application/json' --data-binary "@$work/profile.json" "$elastic/listings-read/_search?request_cache=false" > "$work/profile.out"
      python3 - "$work/profile.out" "q=${query_list[$i]} ${part%%:*}" <<'PY' | tee -a "$out"
import json, sys
r = json.load(open(sys.argv[1]))
ms = lambda ns: ns / 1e6
query = rewrite = collect = aggs = fetch = highlight = 0
for shard in r["profile"]["shards"]:
    for search in shard.get("searches", []):
        query += sum(q["time_in_nanos"] for q in search.get("query", []))
        rewrite += search.get("rewrite_time", 0)
        collect += sum(c["time_in_nanos"] for c in search.get("collector", []))
    aggs += sum(a["time_in_nanos"] for a in shard.get("aggregations", []))
    f = shard.get("fetch")
    if f:
        fetch += f["time_in_nanos"]
        highlight += sum(c["time_in_nanos"] for c in f.get("children", []) if "Highlight" in c.get("type", ""))
hits = r["hits"].get("total", {}).get("value", "-")  # the facets' search does not count hits
print(f"  {sys.argv[2]:<40} took {r['took']} ms, {hits} hits: query {ms(query):.1f}, rewrite {ms(rewrite):.1f}, "
      f"collectors {ms(collect):.1f}, aggregations {ms(aggs):.1f}, fetch {ms(fetch):.1f} (highlight {ms(highlight):.1f})")
PY
    done
  done || report "  (the profile failed: $(head -c 300 "$work/profile.out"))"
fi
report "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results: $out"
