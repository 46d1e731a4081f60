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
  ./mvnw -q $offline -pl search-service -am package -DskipTests
fi
cd "$module"
# the packaged service's own libraries and the local stack: resolving the SNAPSHOT modules through Maven without
# -am fails (they are never installed), and did so silently
cp="target/test-classes:target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*:../deploy/local-stack/target/local-stack-0.1.0-SNAPSHOT.jar"
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" org.modelmarket.search.bench.SearchBenchmark "$@"
