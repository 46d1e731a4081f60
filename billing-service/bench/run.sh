#!/usr/bin/env bash
# billing-service benchmark: starts PostgreSQL + Kafka (local stack, loopback, random ports) and the packaged
# billing-service, subscribes N buyers to one listing, then measures in the same run:
#   1. metering ingest through POST /api/v1/metering/batch-meter-usage (25 records per call, unique records) with wrk
#      at 16 and 64 connections, followed by an exactly-once check (every record sent is replayed: each answer must be
#      Success with the same id, and the table must hold exactly one row per record sent);
#   2. the same rows inserted by pgbench (25 per transaction, on conflict do nothing) into the same table: the baseline;
#   3. entitlement lookups GET /api/v1/entitlements/{ns}/{name} (random subscribed buyers) with wrk, and the same
#      lookup as a pgbench select.
# Bounded: ~3-5 min. Not part of the test suite. Needs JDK 21+, wrk and pgbench.
#   billing-service/bench/run.sh [--buyers 4000] [--duration 10s] [--threads 2]
# Results: billing-service/target/bench/results.txt
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_prepare "wrk pgbench" "wrk postgresql-client" package
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" org.modelmarket.billing.bench.BillingBenchmark "$@"
