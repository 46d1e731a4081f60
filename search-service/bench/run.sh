#!/usr/bin/env bash
# search-service benchmark: starts Kafka + Elasticsearch (local stack, loopback, random ports) and the packaged
# search-service, loads N synthetic listings through catalog.listings, rebuilds the index, then measures the faceted
# query (service vs Elasticsearch), suggest, and write-to-searchable latency. Stops everything it started.
#   search-service/bench/run.sh [--listings 100000] [--queries 1000] [--suggests 1000] [--writes 200] [--hold SECONDS]
# Results: search-service/target/bench/results.txt. Not part of the test suite. Needs JDK 21+ (JAVA_HOME).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
offline="${MVN_OFFLINE:--o}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q $offline -pl search-service package -DskipTests
fi
./mvnw -q $offline -pl search-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cd "$module"
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" org.modelmarket.search.bench.SearchBenchmark "$@"
