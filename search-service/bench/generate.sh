#!/usr/bin/env bash
# Publishes N synthetic listings (catalog.listings v2 CloudEvents) to a running Kafka, e.g. the local run's:
#   search-service/bench/generate.sh [--count 100000] [--bootstrap 127.0.0.1:19092] [--seed 42]
# search-service projects them; for a bulk load, follow with POST /api/v1/search/admin/rebuild (role admin).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
offline="${MVN_OFFLINE:--o}"
./mvnw -q $offline -pl search-service test-compile
./mvnw -q $offline -pl search-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cd "$module"
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.modelmarket.search.bench.GenerateListings "$@"
