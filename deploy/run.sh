#!/usr/bin/env bash
# Builds ModelMarket and runs the whole marketplace on this machine: PostgreSQL, Kafka, Elasticsearch and
# Keycloak (no Docker), the five services, and demo data. Ctrl-C stops everything it started.
# Options are passed to the launcher: --data-dir DIR (default .modelmarket/ in the checkout), --no-demo-data.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/jdk.sh
echo "Building ModelMarket with $JAVA_HOME (first run downloads dependencies)..."
./mvnw -B -q -DskipTests package
# exec: Ctrl-C reaches the launcher JVM directly, whose shutdown hook stops every engine and service by PID.
exec "$JAVA_HOME/bin/java" -Xmx256m \
  "-Djava.util.logging.SimpleFormatter.format=%1\$tT %4\$s %5\$s%6\$s%n" \
  -jar deploy/launcher/target/launcher.jar "$@"
