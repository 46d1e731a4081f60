#!/usr/bin/env bash
# artifact-service transfer benchmark (loopback, random ports, no fixed ports): starts PostgreSQL + Kafka (local
# stack) and the packaged service, then measures in the same run
#   - a multipart upload of a 1 GiB file (64 MiB parts in order, whole-file sha256 verified) and the same file as one
#     streaming PUT, over HTTP/1.1 (what curl and the Hub clients send) and over HTTP/2 (h2c, the JDK client's
#     default), each protocol against its own `sha256sum` of that file,
#   - one download of that file (curl) and downloads with wrk at 16 and 64 connections, through artifact-service
#     against nginx `sendfile` of the very same blob file,
#   - beside each figure: the CPU seconds per GiB of the service and of sha256sum / nginx (from /proc, survives a
#     busy machine far better than MB/s) and the load average; the service's RSS before and at its peak.
# One benchmark at a time on a shared machine: the measurement holds /tmp/modelmarket-bench.lock (the build does not).
# Bounded: ~4-6 min. Needs JDK 21+, wrk, curl and nginx (Debian: apt-get install -y wrk curl nginx-light), ~4 GiB
# free disk.
#   artifact-service/bench/run.sh [--size-mib 1024] [--part-mib 64] [--duration 15s] [--nginx /usr/sbin/nginx]
#                                 [--phases upload,download] [--protocols http1.1,http2]
# ARTIFACT_SERVICE_OPTS adds JVM options to the service, e.g. -Dquarkus.vertx.prefer-native-transport=false to compare,
# or -XX:StartFlightRecording=filename=/tmp/artifact.jfr,settings=profile for a profile.
# ARTIFACT_SERVICE_OPTS_B makes the uploads an A/B: a second service with these options on the same engines, measured
# interleaved with the first (A, B, A, B), so that both see the same load, e.g.
#   ARTIFACT_SERVICE_OPTS_B="-Dquarkus.http.limits.max-frame-size=1048576" artifact-service/bench/run.sh --phases upload
# Results: artifact-service/target/bench/results.txt. Not part of the test suite.
set -euo pipefail
for tool in wrk curl sha256sum flock; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required (Debian: apt-get install -y wrk)" >&2; exit 2; }
done
[ -x "${NGINX:-/usr/sbin/nginx}" ] || { echo "nginx is required (Debian: apt-get install -y nginx-light)" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
cd "$root"
source deploy/jdk.sh
offline="${MVN_OFFLINE:--o}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  # In the reactor (-am): never install SNAPSHOTs into the shared ~/.m2.
  ./mvnw -B -q $offline -pl artifact-service -am package dependency:build-classpath -DskipTests \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
cd "$module"
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "waiting for /tmp/modelmarket-bench.lock (one benchmark at a time)..." >&2
exec flock /tmp/modelmarket-bench.lock "$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" org.modelmarket.artifact.bench.ArtifactBenchmark --nginx "${NGINX:-/usr/sbin/nginx}" "$@"
