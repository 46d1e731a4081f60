#!/usr/bin/env bash
# Builds ModelMarket and runs the whole marketplace on this machine: PostgreSQL, Kafka, Elasticsearch and
# Keycloak (no Docker), the five services, and demo data. Ctrl-C stops everything it started.
# Options are passed to the launcher: --data-dir DIR (default .modelmarket/ in the checkout), --no-demo-data, --free-ports,
# --warm-up SECONDS (warm-up reads before it reports ready; default 0: none), --aot-cache (on a JDK 25+ the first run
# after a build trains an AOT cache for catalog-service and search-service in <data>/aot, used from the next run on).
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/jdk.sh
# One run per data folder, from the build on: the build rewrites the jars a running launcher uses. fd 9 holds a lock on
# <data>/run.sh.lock and stays open through the exec below, so the lock lives exactly as long as the launcher (whose own
# children do not inherit it); the kernel drops it when the launcher dies, however it dies.
data_dir=.modelmarket
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = --data-dir ]; then data_dir="${args[$((i + 1))]:-}"; fi
done
mkdir -p "$data_dir"
exec 9>>"$data_dir/run.sh.lock"
if ! flock -n 9; then
  # The running launcher names itself (pid, URL); if it is not up yet, the other run.sh is still building.
  status=0
  if [ -f deploy/launcher/target/launcher.jar ]; then
    message=$("$JAVA_HOME/bin/java" -jar deploy/launcher/target/launcher.jar --check "$@" 2>&1) || status=$?
  fi
  if [ "$status" -eq 1 ]; then
    echo "$message" >&2
  else
    inode=$(stat -c %i "$data_dir/run.sh.lock")
    holder=$(awk -v inode="$inode" '$2 == "FLOCK" { n = split($6, id, ":"); if (id[n] == inode) print $5 }' /proc/locks | head -n 1)
    echo "ModelMarket is already being started on the data folder $data_dir (deploy/run.sh pid ${holder:-unknown}, still building):" \
      "use that one, or stop it first (Ctrl-C in its terminal)" >&2
  fi
  exit 1
fi
echo "Building ModelMarket with $JAVA_HOME (first run downloads dependencies)..."
./mvnw -B -q -DskipTests package
# exec: Ctrl-C reaches the launcher JVM directly, whose shutdown hook stops every engine and service; should the launcher
# die without it (kill -9, OOM killer), each child's watchdog stops the child within seconds.
exec "$JAVA_HOME/bin/java" -Xmx256m \
  "-Djava.util.logging.SimpleFormatter.format=%1\$tT %4\$s %5\$s%6\$s%n" \
  -jar deploy/launcher/target/launcher.jar "$@"
