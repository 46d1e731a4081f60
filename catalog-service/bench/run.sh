#!/usr/bin/env bash
# catalog-service read benchmark: starts PostgreSQL + Kafka (local stack, loopback, random ports) and the packaged
# catalog-service, loads N listings through the API, then measures GET /api/v1/listings/{ns}/{name} (random
# listings) and the trivial GET /q/health/live with wrk at the same concurrency, in the same run. Bounded: ~2-4 min.
#   catalog-service/bench/run.sh [--listings 10000] [--connections 64] [--threads 2] [--duration 20s]
# Results: catalog-service/target/bench/results.txt. Not part of the test suite. Needs JDK 21+ and wrk.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is required: install it with 'apt-get install -y wrk' (Debian/Ubuntu) or 'brew install wrk' (macOS)" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
offline="${MVN_OFFLINE:--o}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q $offline -pl catalog-service package -DskipTests
fi
./mvnw -q $offline -pl catalog-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cd "$module"
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" org.modelmarket.catalog.bench.CatalogBenchmark "$@"
