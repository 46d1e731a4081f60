package org.modelmarket.billing.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;

/**
 * PostgreSQL's CPU per metering row, apart from the service: pgbench runs {@code MeteringService}'s insert statement
 * (25 rows per call, rows as wide as the service's) and variants of it against one PostgreSQL of the local stack, and
 * the postmaster's CPU (backends included) is read before and after each run. Tells whether the statement's shape,
 * the per-row receipt columns, the id order or the secondary indexes are what a row costs.
 * {@code billing-service/bench/insert-variants.sh [--connections 16] [--duration 10s]}
 */
public final class InsertVariants {

    private static final String LISTING = "11111111-1111-1111-1111-111111111111";
    private static final String PRICING = "22222222-2222-2222-2222-222222222222";
    private static final String SUBSCRIPTION = "33333333-3333-3333-3333-333333333333";

    private InsertVariants() {}

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(option(args, "--connections", "16"));
        String duration = option(args, "--duration", "10s");
        Path work = Path.of("target/bench-insert").toAbsolutePath();
        Files.createDirectories(work);
        StackConfig config = StackConfig.forTests(
                EnumSet.of(EngineKind.POSTGRES),
                work.resolve("stack-" + System.currentTimeMillis()),
                List.of("billing"));
        List<String> report = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(config)) {
            int port = Integer.parseInt(stack.postgres().jdbcUrl("billing").replaceAll(".*:(\\d+)/.*", "$1"));
            ProcessHandle postmaster = stack.postgres().processes().get(0);
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
                for (Path migration : files.sorted().toList()) {
                    BillingBenchmark.sql(port, Files.readString(migration, StandardCharsets.UTF_8));
                }
            }
            BillingBenchmark.sql(
                    port,
                    "insert into listing (listing_id, namespace, name, price_type, aggregate_version,"
                            + " updated_at) values ('" + LISTING + "', 'bench', 'model', 'PAID', 1, now());"
                            + " insert into pricing_version values ('" + PRICING + "', '" + LISTING
                            + "', 1, now(), 'EUR',"
                            + " '{}', null, null, null, 'vendor', now());"
                            + " insert into subscription_pricing select gen_random_uuid(), now() - interval '1 day', '"
                            + PRICING + "', 'basic' from generate_series(1, 4000);"
                            + " insert into subscription_pricing values ('" + SUBSCRIPTION
                            + "', now() - interval '1 day', '"
                            + PRICING + "', 'basic')");
            String statement = statement("gen_random_uuid()", true, true);
            run(port, postmaster, work, "warm-up (not a figure)", statement, connections, "5s", report);
            run(port, postmaster, work, "the service's statement", statement, connections, duration, report);
            run(
                    port,
                    postmaster,
                    work,
                    "without the signed statement and signature on every row",
                    statement("gen_random_uuid()", false, true),
                    connections,
                    duration,
                    report);
            run(
                    port,
                    postmaster,
                    work,
                    "time-ordered ids (uuidv7)",
                    statement("uuidv7()", true, true),
                    connections,
                    duration,
                    report);
            run(
                    port,
                    postmaster,
                    work,
                    "the insert alone (no returning, no join back)",
                    statement("gen_random_uuid()", true, false),
                    connections,
                    duration,
                    report);
            BillingBenchmark.sql(port, "drop index ix_metering_customer; drop index ix_metering_listing");
            run(port, postmaster, work, "without the two secondary indexes", statement, connections, duration, report);
            BillingBenchmark.sql(
                    port,
                    "create index ix_metering_customer on metering_record (customer, usage_at);"
                            + " create index ix_metering_listing on metering_record (listing_id, usage_at)");
            run(port, postmaster, work, "the service's statement again", statement, connections, duration, report);
        }
        Files.writeString(work.resolve("results.txt"), String.join("\n", report) + "\n");
        System.out.println("\n==== metering insert variants (PostgreSQL alone) ====\n" + String.join("\n", report));
    }

    private static void run(
            int port,
            ProcessHandle postmaster,
            Path work,
            String name,
            String statement,
            int connections,
            String duration,
            List<String> report)
            throws Exception {
        Path script = work.resolve("variant.sql");
        Files.writeString(script, "\\set k random(0, 2000000000)\n" + statement + "\n");
        long rows0 = Long.parseLong(BillingBenchmark.sql(port, "select count(*) from metering_record"));
        BillingBenchmark.PgbenchRun pg = BillingBenchmark.pgbench(postmaster, port, script, connections, 2, duration);
        double tps = pg.tps();
        long cpu = pg.postgresCpu();
        long rows = Long.parseLong(BillingBenchmark.sql(port, "select count(*) from metering_record")) - rows0;
        String line = String.format(
                "%-58s %7.0f rows/s, PostgreSQL %6.1f us per row (%d rows); load average %s",
                name,
                tps * 25,
                cpu / (double) rows,
                rows,
                Files.readString(Path.of("/proc/loadavg")).trim());
        report.add(line);
        System.out.println(line);
    }

    /**
     * {@code MeteringService.INSERT} with its array parameters made by pgbench: 25 new customers per call, receipt
     * payloads of 384 characters, proofs of 288, the signed statement 192 and the signature 96 (as wide as the
     * service's base64url values).
     */
    private static String statement(String id, boolean receiptOnEveryRow, boolean perRecordResults) {
        String rows = "with r as (select * from unnest(array(select " + id + " from generate_series(1, 25)),"
                + " array(select 'c-' || :k || '-' || g from generate_series(1, 25) g),"
                + " array(select 'd'::text from generate_series(1, 25)),"
                + " array(select '2026-11-30T00:00:00Z'::text from generate_series(1, 25)),"
                + " array(select 7::int8 from generate_series(1, 25)),"
                + " array(select now() from generate_series(1, 25)),"
                + " array(select null::text from generate_series(1, 25)),"
                + " array(select '" + SUBSCRIPTION + "'::uuid from generate_series(1, 25)),"
                + " array(select '" + PRICING + "'::uuid from generate_series(1, 25)),"
                + " array(select repeat(md5(g::text), 12) from generate_series(1, 25) g),"
                + " array(select repeat(md5(g::text), 9) from generate_series(1, 25) g))"
                + " with ordinality as r(id, customer, dimension, key, quantity, usage_at, allocations, subscription,"
                + " pricing, receipt, proof, ord))";
        String insert = "insert into metering_record (record_id, listing_id, customer, dimension, idempotency_key,"
                + " quantity, usage_at, allocations, source, subscription_id, pricing_id, recorded_at, receipt,"
                + " signature, key_id, receipt_signed, receipt_proof)"
                + " select r.id, '" + LISTING + "', r.customer, r.dimension, r.key, r.quantity, r.usage_at,"
                + " r.allocations, 'api', r.subscription, coalesce((select sp.pricing_id from subscription_pricing sp"
                + " where sp.subscription_id = r.subscription and sp.effective_from <= r.usage_at"
                + " order by sp.effective_from desc limit 1), r.pricing), now(), r.receipt, "
                + (receiptOnEveryRow ? "repeat(md5('x'), 3)" : "''") + ", 'key-1', "
                + (receiptOnEveryRow ? "repeat(md5('s'), 6)" : "null") + ", r.proof from r order by r.ord"
                + " on conflict (listing_id, customer, dimension, idempotency_key) do nothing";
        if (!perRecordResults) {
            return rows + " " + insert + ";";
        }
        return rows + ", ins as (" + insert + " returning record_id)"
                + " select r.ord, exists (select 1 from ins where ins.record_id = r.id) as inserted,"
                + " m.record_id as existing_id, m.quantity as existing_quantity from r"
                + " left join metering_record m on m.listing_id = '" + LISTING + "' and m.customer = r.customer"
                + " and m.dimension = r.dimension and m.idempotency_key = r.key order by r.ord;";
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
