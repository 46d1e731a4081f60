package org.modelmarket.billing.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.test.TestTokens;

/**
 * Benchmark of billing-service, run by {@code billing-service/bench/run.sh} (never by the test suite). See the script
 * for what it measures. Keys of metering records are numbered: record {@code k} is customer {@code k % buyers},
 * dimension {@code d[(k / buyers) % 6]} (the run's own six dimensions) and hour {@code (k / buyers / 10) % 5} back
 * from the run's start, with a quantity derived from {@code k}; each wrk thread sends the keys {@code t, t + T, ...}.
 */
public final class BillingBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String NS = "bench";
    private static final String VENDOR = "bench-vendor";
    private static final int DIMENSIONS_PER_RUN = 6;
    private static final int HOURS = 5;

    private BillingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int buyers = Integer.parseInt(option(args, "--buyers", "4000"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        String duration = option(args, "--duration", "10s");
        Path work = Path.of(option(args, "--work", "target/bench")).toAbsolutePath();
        Path app = Path.of(option(args, "--app", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        Files.createDirectories(work);
        List<String> report = new ArrayList<>();
        StackConfig config = StackConfig.forTests(
                EnumSet.of(EngineKind.POSTGRES, EngineKind.KAFKA),
                work.resolve("stack-" + System.currentTimeMillis()),
                List.of("billing"));
        Process service = null;
        long begin = System.nanoTime();
        try (LocalStack stack = LocalStack.start(config)) {
            line(report, "engines ready in %.1f s", seconds(begin));
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            service = start(app, work, port, stack);
            awaitReady(base);
            UUID listingId = UUID.randomUUID();
            publishListing(stack.kafka().bootstrapServers(), listingId);
            awaitListing(base);
            price(base);
            long subscribing = System.nanoTime();
            subscribe(base, buyers);
            line(report, "billing-service on %s; %d buyers subscribed in %.1f s", base, buyers, seconds(subscribing));

            String pg = stack.postgres().jdbcUrl("billing");
            int pgPort = Integer.parseInt(pg.replaceAll(".*:(\\d+)/.*", "$1"));
            String subscriptionId = sql(pgPort, "select subscription_id from subscription limit 1");

            ProcessHandle postmaster = stack.postgres().processes().get(0);
            ProcessHandle serviceProcess = service.toHandle();

            // Run 0 warms the JIT and the pools up (10 s at 16 connections, not reported); runs 1 and 2 are measured.
            int run = 0;
            for (int connections : new int[] {16, 16, 64}) {
                Instant start = Instant.now();
                Path script = work.resolve("meter-" + connections + ".lua");
                Files.writeString(script, meteringScript(buyers, run, start));
                long serviceCpu0 = Cpu.of(serviceProcess, false);
                long[] threads0 = Cpu.jitAndGc(serviceProcess);
                long pgCpu0 = Cpu.of(postmaster, true);
                Wrk meter = wrk(base + "/api/v1/metering/batch-meter-usage", threads, connections, duration, script);
                long serviceCpu = Cpu.of(serviceProcess, false) - serviceCpu0;
                long[] threads1 = Cpu.jitAndGc(serviceProcess);
                long jitCpu = threads1[0] - threads0[0];
                long gcCpu = threads1[1] - threads0[1];
                long pgCpu = Cpu.of(postmaster, true) - pgCpu0;
                String load = Files.readString(Path.of("/proc/loadavg")).trim();
                long sent = meter.records();
                double recordsPerSecond = meter.rps() * 25;
                String check = exactlyOnce(base, pgPort, buyers, run, start, threads, meter.perThread());
                Path pgScript = work.resolve("pg-insert.sql");
                Files.writeString(pgScript, pgInsertScript(listingId, subscriptionId, connections));
                long pgbenchInserted0 =
                        Long.parseLong(sql(pgPort, "select count(*) from metering_record where dimension = 'pg'"));
                PgbenchRun pgRun = pgbench(postmaster, pgPort, pgScript, connections, threads, duration);
                double pgTps = pgRun.tps();
                long pgbenchCpu = pgRun.postgresCpu();
                long pgbenchRows =
                        Long.parseLong(sql(pgPort, "select count(*) from metering_record where dimension = 'pg'"))
                                - pgbenchInserted0;
                if (run == 0) {
                    line(
                            report,
                            "warm-up (not a figure): %.0f records/s at 16 connections, exactly-once %s",
                            recordsPerSecond,
                            check);
                    run++;
                    continue;
                }
                line(
                        report,
                        "metering, %d connections, wrk -t%d -d%s, 25 records per call:",
                        connections,
                        threads,
                        duration);
                line(
                        report,
                        "  BatchMeterUsage  %9.0f records/s (%7.0f calls/s, p50 %s, p99 %s, errors %s); %d records sent",
                        recordsPerSecond,
                        meter.rps(),
                        meter.p50(),
                        meter.p99(),
                        meter.errors(),
                        sent);
                line(
                        report,
                        "  pgbench insert   %9.0f records/s (same rows, 25 per transaction, on conflict do nothing)",
                        pgTps * 25);
                line(report, "  ratio service/pgbench %.2f; exactly-once: %s", recordsPerSecond / (pgTps * 25), check);
                line(
                        report,
                        "  CPU per record: service %.1f us, its PostgreSQL %.1f us; pgbench run: PostgreSQL %.1f us"
                                + " per row inserted (%d rows); load average %s",
                        serviceCpu / (double) sent,
                        pgCpu / (double) sent,
                        pgbenchRows == 0 ? 0.0 : pgbenchCpu / (double) pgbenchRows,
                        pgbenchRows,
                        load);
                line(
                        report,
                        "  service CPU per record by threads: JIT compilers %.1f us, GC and VM thread %.1f us, the rest (request"
                                + " handling) %.1f us",
                        jitCpu / (double) sent,
                        gcCpu / (double) sent,
                        (serviceCpu - jitCpu - gcCpu) / (double) sent);
                run++;
            }

            Path tokens = work.resolve("lookup.lua");
            Files.writeString(tokens, lookupScript(Math.min(buyers, 300)));
            Path pgSelect = work.resolve("pg-select.sql");
            Files.writeString(pgSelect, """
                    \\set c random(0, %d)
                    select status from entitlement where listing_id = '%s' and subject = 'bench-buyer-' || :c;
                    """.formatted(Math.min(buyers, 300) - 1, listingId));
            wrk(base + "/api/v1/entitlements/" + NS + "/model", threads, 16, "5s", tokens); // warm-up
            for (int connections : new int[] {16, 64}) {
                long serviceCpu0 = Cpu.of(serviceProcess, false);
                long[] threads0 = Cpu.jitAndGc(serviceProcess);
                long pgCpu0 = Cpu.of(postmaster, true);
                Wrk lookups =
                        wrk(base + "/api/v1/entitlements/" + NS + "/model", threads, connections, duration, tokens);
                long serviceCpu = Cpu.of(serviceProcess, false) - serviceCpu0;
                long[] threads1 = Cpu.jitAndGc(serviceProcess);
                long pgCpu = Cpu.of(postmaster, true) - pgCpu0;
                PgbenchRun pgRun = pgbench(postmaster, pgPort, pgSelect, connections, threads, duration);
                double pgTps = pgRun.tps();
                long pgbenchCpu = pgRun.postgresCpu();
                double seconds = Double.parseDouble(duration.replace("s", ""));
                line(
                        report,
                        "entitlement lookups, %d connections: service %9.0f req/s (p50 %s, p99 %s, errors %s);"
                                + " pgbench select %9.0f tx/s; ratio %.2f",
                        connections,
                        lookups.rps(),
                        lookups.p50(),
                        lookups.p99(),
                        lookups.errors(),
                        pgTps,
                        lookups.rps() / pgTps);
                double served = lookups.rps() * seconds;
                line(
                        report,
                        "  CPU per lookup: service %.1f us (JIT %.1f us, GC and VM thread %.1f us), its PostgreSQL %.1f us;"
                                + " pgbench run: PostgreSQL %.1f us per select; load average %s",
                        serviceCpu / served,
                        (threads1[0] - threads0[0]) / served,
                        (threads1[1] - threads0[1]) / served,
                        pgCpu / served,
                        pgbenchCpu / (pgTps * seconds),
                        Files.readString(Path.of("/proc/loadavg")).trim());
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
        line(
                report,
                "total %.0f s; load average at the end %s; service log %s",
                seconds(begin),
                Files.readString(Path.of("/proc/loadavg")).trim(),
                work.resolve("billing-service.log"));
        Files.writeString(work.resolve("results.txt"), String.join("\n", report) + "\n");
        System.out.println("\n==== billing-service benchmark ====\n" + String.join("\n", report));
    }

    /** wrk script: unique records by key, counted per thread (records sent), printed at the end. */
    private static String meteringScript(int buyers, int run, Instant start) {
        return """
                local threads = {}
                local buyers, dims, hours, run, start = %d, %d, %d, %d, %d
                function setup(thread)
                  thread:set("tid", #threads)
                  table.insert(threads, thread)
                end
                -- thread:set("tid", ...) made tid a global of that thread's Lua state; counter is one too (done reads it)
                function init(args)
                  counter = 0
                end
                local function record(k)
                  local customer = k %% buyers
                  local rest = math.floor(k / buyers)
                  local dim = run * dims + rest %% dims
                  local hour = math.floor(rest / dims) %% hours
                  local ts = os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ", start - hour * 3600 - 60)
                  return string.format('{"customerIdentifier":"bench-buyer-%%d","dimension":"d%%d","quantity":%%d,"timestamp":"%%s"}',
                    customer, dim, (k %% 97) + 1, ts)
                end
                function request()
                  local parts = {}
                  for i = 1, 25 do
                    local k = tid + (counter * THREADS)
                    counter = counter + 1
                    parts[i] = record(k)
                  end
                  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "%s"},
                    '{"listing":"%s/model","usageRecords":[' .. table.concat(parts, ",") .. ']}')
                end
                function done(summary, latency, requests)
                  for _, thread in ipairs(threads) do
                    io.write(string.format("THREAD %%d %%d\\n", thread:get("tid"), thread:get("counter") or 0))
                  end
                end
                """.formatted(
                        buyers,
                        DIMENSIONS_PER_RUN,
                        HOURS,
                        run,
                        start.getEpochSecond(),
                        TestTokens.bearer(VENDOR, "vendor"),
                        NS);
    }

    /**
     * Replays every record sent (each must be Success: the same record) and counts the run's rows: exactly one per
     * distinct record sent, none lost, none twice.
     */
    private static String exactlyOnce(
            String base, int pgPort, int buyers, int run, Instant start, int threads, Map<Integer, Long> perThread)
            throws Exception {
        long keyspace = (long) buyers * DIMENSIONS_PER_RUN * HOURS;
        BitSet keys = new BitSet();
        perThread.forEach((tid, count) -> {
            for (long n = 0; n < count; n++) {
                keys.set((int) ((tid + n * threads) % keyspace));
            }
        });
        List<Integer> all = keys.stream().boxed().toList();
        String token = TestTokens.bearer(VENDOR, "vendor");
        Semaphore inFlight = new Semaphore(8); // few at once: on a loaded machine 32 made requests time out
        long[] notSuccess = {0};
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < all.size(); from += 25) {
                List<Integer> batch = all.subList(from, Math.min(all.size(), from + 25));
                inFlight.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        StringBuilder body = new StringBuilder("{\"listing\":\"" + NS + "/model\",\"usageRecords\":[");
                        for (int i = 0; i < batch.size(); i++) {
                            int k = batch.get(i);
                            int customer = k % buyers;
                            int rest = k / buyers;
                            int dim = run * DIMENSIONS_PER_RUN + rest % DIMENSIONS_PER_RUN;
                            int hour = (rest / DIMENSIONS_PER_RUN) % HOURS;
                            Instant ts = Instant.ofEpochSecond(start.getEpochSecond() - hour * 3600L - 60);
                            body.append(i == 0 ? "" : ",")
                                    .append("{\"customerIdentifier\":\"bench-buyer-")
                                    .append(customer)
                                    .append("\",\"dimension\":\"d")
                                    .append(dim)
                                    .append("\",\"quantity\":")
                                    .append(k % 97 + 1)
                                    .append(",\"timestamp\":\"")
                                    .append(ts)
                                    .append("\"}");
                        }
                        body.append("]}");
                        String answer =
                                send(post(base + "/api/v1/metering/batch-meter-usage", token, body.toString()), 200);
                        int successes = answer.split("\"Success\"", -1).length - 1;
                        synchronized (notSuccess) {
                            notSuccess[0] += batch.size() - successes;
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        long rows = Long.parseLong(sql(
                pgPort,
                "select count(*) from metering_record where dimension in ("
                        + String.join(
                                ",",
                                java.util.stream.IntStream.range(
                                                run * DIMENSIONS_PER_RUN, (run + 1) * DIMENSIONS_PER_RUN)
                                        .mapToObj(d -> "'d" + d + "'")
                                        .toList())
                        + ")"));
        boolean ok = rows == all.size() && notSuccess[0] == 0;
        return (ok ? "OK" : "FAILED") + " (" + all.size() + " distinct records sent, " + rows + " rows, "
                + notSuccess[0] + " replays not Success)";
    }

    private static String pgInsertScript(UUID listingId, String subscriptionId, int connections) {
        StringBuilder script = new StringBuilder("\\set k random(0, 2000000000)\nBEGIN;\n");
        for (int i = 0; i < 25; i++) {
            script.append("insert into metering_record (record_id, listing_id, customer, dimension, idempotency_key,"
                            + " quantity, usage_at, source, subscription_id, recorded_at, receipt, signature, key_id)"
                            + " values (gen_random_uuid(), '")
                    .append(listingId)
                    .append("', 'pg-' || :k, 'pg', 'c")
                    .append(connections)
                    .append('-')
                    .append(i)
                    .append("-' || :k, 1, now(), 'api', '")
                    .append(subscriptionId)
                    .append("', now(), 'receipt', 'signature', 'key') on conflict do nothing;\n");
        }
        return script.append("END;\n").toString();
    }

    private static String lookupScript(int tokens) {
        StringBuilder lua = new StringBuilder("local tokens = {\n");
        for (int i = 0; i < tokens; i++) {
            lua.append("  \"")
                    .append(TestTokens.bearer("bench-buyer-" + i, "buyer"))
                    .append("\",\n");
        }
        return lua.append("""
                }
                math.randomseed(os.time())
                request = function()
                  return wrk.format("GET", nil, {["Authorization"] = tokens[math.random(1, #tokens)]})
                end
                """).toString();
    }

    record Wrk(double rps, String p50, String p99, String errors, Map<Integer, Long> perThread) {
        long records() {
            return perThread.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** CPU time (user + system, microseconds) from /proc: of one process, or of a postmaster and all its backends. */
    static final class Cpu {

        private static final long MICROS_PER_TICK = 1_000_000 / 100; // USER_HZ is 100 on Linux

        static long of(ProcessHandle process, boolean withChildren) throws IOException {
            long[] own = ticks(process.pid());
            // Exited backends' time is in the postmaster's cutime/cstime, live ones in their own utime/stime.
            long total = own[0] + own[1] + (withChildren ? own[2] + own[3] : 0);
            if (withChildren) {
                for (ProcessHandle child : process.descendants().toList()) {
                    long[] ticks = ticks(child.pid());
                    total += ticks[0] + ticks[1];
                }
            }
            return total * MICROS_PER_TICK;
        }

        /**
         * CPU time (microseconds) of a JVM's live JIT compiler threads and GC threads: what a short run pays for
         * warming up and collecting rather than for handling requests. (A thread that exits between two readings
         * takes its time out of this split; the process total still counts it.)
         */
        static long[] jitAndGc(ProcessHandle process) throws IOException {
            long jit = 0;
            long gc = 0;
            try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
                for (Path task : tasks.toList()) {
                    String name;
                    try {
                        name = Files.readString(task.resolve("comm")).trim();
                    } catch (java.nio.file.NoSuchFileException e) {
                        continue;
                    }
                    boolean isJit = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
                    boolean isGc = name.startsWith("GC Thread")
                            || name.startsWith("G1 ")
                            || name.startsWith("VM Thread"); // safepoints, mostly for GC
                    if (isJit || isGc) {
                        long[] ticks = ticks(task.resolve("stat"));
                        long micros = (ticks[0] + ticks[1]) * MICROS_PER_TICK;
                        if (isJit) {
                            jit += micros;
                        } else {
                            gc += micros;
                        }
                    }
                }
            }
            return new long[] {jit, gc};
        }

        /** utime, stime, cutime, cstime of a process (zeros if it is gone). */
        private static long[] ticks(long pid) throws IOException {
            return ticks(Path.of("/proc/" + pid + "/stat"));
        }

        private static long[] ticks(Path stat) throws IOException {
            String text;
            try {
                text = Files.readString(stat);
            } catch (java.nio.file.NoSuchFileException e) {
                return new long[4];
            }
            // Fields after the command (which may hold spaces) start at state, field 3; utime is field 14.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14])
            };
        }
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\n\\s+50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+(\\S+)");
    private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses: \\d+|Socket errors: [^\\n]+)");
    private static final Pattern THREAD = Pattern.compile("THREAD (\\d+) (\\d+)");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private static Wrk wrk(String url, int threads, int connections, String duration, Path script)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + duration,
                "--latency",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url));
        // The metering script needs the thread count (keys t, t + T, ...).
        String text = Files.readString(script);
        if (text.contains("THREADS")) {
            Files.writeString(script, text.replace("THREADS", Integer.toString(threads)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher rps = RPS.matcher(output);
        Matcher p50 = P50.matcher(output);
        Matcher p99 = P99.matcher(output);
        if (!rps.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("Unexpected wrk output: " + output);
        }
        StringBuilder errors = new StringBuilder();
        Matcher error = ERRORS.matcher(output);
        while (error.find()) {
            errors.append(errors.isEmpty() ? "" : "; ").append(error.group(1));
        }
        Map<Integer, Long> perThread = new java.util.TreeMap<>();
        Matcher thread = THREAD.matcher(output);
        while (thread.find()) {
            perThread.put(Integer.parseInt(thread.group(1)), Long.parseLong(thread.group(2)));
        }
        return new Wrk(
                Double.parseDouble(rps.group(1)),
                p50.group(1),
                p99.group(1),
                errors.isEmpty() ? "none" : errors.toString(),
                perThread);
    }

    /** One pgbench run: its rate, and what PostgreSQL (postmaster and backends) spent on it, in microseconds. */
    record PgbenchRun(double tps, long postgresCpu) {}

    /** Runs pgbench and reads PostgreSQL's CPU around it, once the run's own backends have exited. */
    static PgbenchRun pgbench(
            ProcessHandle postmaster, int port, Path script, int connections, int threads, String duration)
            throws Exception {
        Set<Long> before = postmaster.children().map(ProcessHandle::pid).collect(Collectors.toSet());
        long cpu0 = Cpu.of(postmaster, true);
        double tps = pgbench(port, script, connections, threads, duration);
        // pgbench's backends are still exiting when it returns: their CPU reaches the postmaster's cutime only once
        // they are reaped, and is counted nowhere in between
        for (ProcessHandle backend :
                postmaster.children().filter(p -> !before.contains(p.pid())).toList()) {
            backend.onExit().get(10, TimeUnit.SECONDS);
        }
        return new PgbenchRun(tps, Cpu.of(postmaster, true) - cpu0);
    }

    static double pgbench(int port, Path script, int connections, int threads, String duration)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "pgbench",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "billing",
                        "-n",
                        "-c",
                        Integer.toString(connections),
                        "-j",
                        Integer.toString(threads),
                        "-T",
                        duration.replace("s", ""),
                        "-f",
                        script.toString(),
                        "billing")
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "billing");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed: " + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("Unexpected pgbench output: " + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    static String sql(int port, String query) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        "psql",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "billing",
                        "-At",
                        "-c",
                        query,
                        "billing")
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "billing");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + output);
        }
        return output;
    }

    private static void publishListing(String bootstrap, UUID listingId) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        String event = """
                {"specversion":"1.0","id":"%s","source":"/catalog-service","type":"org.modelmarket.catalog.ListingChanged",
                 "subject":"%s","time":"%s","datacontenttype":"application/json","aggregateversion":1,
                 "data":{"listingId":"%s","namespace":"%s","name":"model","priceType":"paid","owners":["%s"]}}""".formatted(UUID.randomUUID(), listingId, Instant.now(), listingId, NS, VENDOR);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("catalog.listings", listingId.toString(), event))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitListing(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/entitlements/" + NS + "/model"))
                            .header("Authorization", TestTokens.bearer("probe", "buyer"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return;
            }
            Thread.sleep(200); // polling a process we do not control; a benchmark, not a test
        }
        throw new IllegalStateException("The listing never reached billing-service");
    }

    private static void price(String base) throws Exception {
        StringBuilder dims = new StringBuilder();
        for (int d = 0; d < 3 * DIMENSIONS_PER_RUN; d++) {
            dims.append(d == 0 ? "" : ",")
                    .append("{\"name\":\"d")
                    .append(d)
                    .append("\",\"unitPrice\":\"0.001\",\"per\":1,\"includedQuantity\":0}");
        }
        send(
                post(
                        base + "/api/v1/listings/" + NS + "/model/pricing",
                        TestTokens.bearer(VENDOR, "vendor"),
                        "{\"terms\":{\"currency\":\"EUR\",\"trialDays\":0,\"plans\":[{\"code\":\"basic\",\"period\":\"month\",\"price\":\"0\"}],"
                                + "\"dimensions\":[" + dims + "]}}"),
                201);
    }

    private static void subscribe(String base, int buyers) throws Exception {
        Semaphore inFlight = new Semaphore(8); // few at once: on a loaded machine 32 made requests time out
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < buyers; i++) {
                int n = i;
                inFlight.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        send(
                                post(
                                        base + "/api/v1/subscriptions",
                                        TestTokens.bearer("bench-buyer-" + n, "buyer"),
                                        "{\"listing\":\"" + NS
                                                + "/model\",\"plan\":\"basic\",\"termsVersion\":\"v1\"}"),
                                201);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.release();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }

    private static Process start(Path app, Path work, int port, LocalStack stack) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.profile=bench",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=" + stack.postgres().reactiveUrl("billing"),
                "-Dquarkus.datasource.jdbc.url=" + stack.postgres().jdbcUrl("billing"),
                "-Dquarkus.datasource.username=billing",
                "-Dquarkus.datasource.password=billing",
                "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "-Dquarkus.oidc.public-key=" + TestTokens.publicKey(),
                // No gateway in a benchmark: no gateway keys, so its token tenants are off.
                "-Dmodelmarket.gateway-tokens.enabled=false",
                "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER));
        // e.g. BENCH_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/billing.jfr,settings=profile" to profile a run.
        String extra = System.getenv("BENCH_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", app.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("billing-service.log").toFile())
                .start();
    }

    private static HttpRequest post(String url, String bearer, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void awaitReady(String base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("billing-service was not ready within 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void line(List<String> report, String format, Object... args) {
        String text = String.format(format, args);
        report.add(text);
        System.out.println(text);
    }
}
