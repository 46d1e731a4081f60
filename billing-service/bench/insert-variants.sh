#!/usr/bin/env bash
# PostgreSQL's CPU per metering row, apart from the service: starts a PostgreSQL of the local stack (loopback, random
# port, throwaway data), applies billing-service's migrations, and runs MeteringService's insert statement and variants
# of it with pgbench (25 rows per call), reading the postmaster's CPU (backends included) around each run.
# Variants: without the signed statement and signature on every row, time-ordered ids (uuidv7), the insert alone
# (no per-record results), without the two secondary indexes. Bounded: ~2 min. Needs JDK 21+, pgbench and psql.
#   billing-service/bench/insert-variants.sh [--connections 16] [--duration 10s]
# Results: billing-service/target/bench-insert/results.txt
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_prepare "pgbench psql" "postgresql-client" test-compile
# BENCH_CLASSES: optional directory of freshly compiled bench classes ahead of the last build's (SKIP_BUILD=1 runs).
cp="${BENCH_CLASSES:+$BENCH_CLASSES:}target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "$cp" org.modelmarket.billing.bench.InsertVariants "$@"
