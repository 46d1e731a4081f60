package org.modelmarket.search.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.modelmarket.search.index.Facet;
import org.modelmarket.search.index.ListingFilters;
import org.modelmarket.search.index.ListingQuery;
import org.modelmarket.search.index.ListingSort;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.test.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The search benchmark (bounded, loopback only; not part of the test suite), run by {@code search-service/bench/run.sh}:
 * starts Kafka and Elasticsearch from the local stack and the packaged search-service, loads N synthetic listings
 * through catalog.listings, builds the index with the admin rebuild, then measures
 * <ol>
 * <li>one faceted query through search-service and the very same request body straight to Elasticsearch,
 * interleaved in one run: p50/p99 of both and their ratio;</li>
 * <li>suggest p50/p99;</li>
 * <li>catalog write to searchable: an event published to Kafka until GET /api/v1/search finds it, p50/p99.</li>
 * </ol>
 * Stops everything it started, also on failure.
 */
public final class SearchBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SearchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int listings = Integer.parseInt(GenerateListings.option(args, "--listings", "100000"));
        int queries = Integer.parseInt(GenerateListings.option(args, "--queries", "1000"));
        int suggests = Integer.parseInt(GenerateListings.option(args, "--suggests", "1000"));
        int writes = Integer.parseInt(GenerateListings.option(args, "--writes", "200"));
        Path work =
                Path.of(GenerateListings.option(args, "--work", "target/bench")).toAbsolutePath();
        Path app = Path.of(GenerateListings.option(args, "--app", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        Files.createDirectories(work);
        StringWriter report = new StringWriter();

        StackConfig config = new StackConfig(
                EnumSet.of(EngineKind.KAFKA, EngineKind.ELASTICSEARCH),
                work.resolve("stack-" + System.currentTimeMillis()),
                false,
                StackConfig.defaultCache(),
                List.of(),
                0,
                0,
                0,
                0,
                768);
        Process service = null;
        long begin = System.nanoTime();
        try (LocalStack stack = LocalStack.start(config)) {
            String kafka = stack.kafka().bootstrapServers();
            String elasticsearch = "http://" + stack.elasticsearch().hostAndPort();
            line(report, "engines ready in %.1f s (Kafka %s, Elasticsearch %s)", seconds(begin), kafka, elasticsearch);

            long loadBegin = System.nanoTime();
            ListingGenerator generator = new ListingGenerator(42, GenerateListings.vendors(listings));
            List<ListingGenerator.Generated> loaded = GenerateListings.produce(kafka, generator, listings);
            long searchable = loaded.stream()
                    .filter(ListingGenerator.Generated::searchable)
                    .count();
            line(
                    report,
                    "published %d listings (%d public+published) to catalog.listings in %.1f s",
                    listings,
                    searchable,
                    seconds(loadBegin));

            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            service = startService(app, work, port, kafka, stack.elasticsearch().hostAndPort());
            awaitStatus(base + "/api/v1/search?size=1", 200, Duration.ofSeconds(120));

            long rebuildBegin = System.nanoTime();
            String admin = TestTokens.bearer("bench", "admin");
            send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/search/admin/rebuild"))
                            .header("Authorization", admin)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    202);
            JsonNode status;
            do {
                Thread.sleep(500);
                status = JSON.readTree(send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/search/admin/rebuild"))
                                .header("Authorization", admin)
                                .GET()
                                .build(),
                        200));
                if (seconds(rebuildBegin) > 900) {
                    throw new IllegalStateException("Rebuild did not finish in 15 minutes: " + status);
                }
            } while ("RUNNING".equals(status.path("state").asText()));
            if (!"COMPLETED".equals(status.path("state").asText())) {
                throw new IllegalStateException("Rebuild failed: " + status);
            }
            long indexed = JSON.readTree(send(
                            HttpRequest.newBuilder(URI.create(elasticsearch + "/listings-read/_count"))
                                    .GET()
                                    .build(),
                            200))
                    .path("count")
                    .asLong();
            line(
                    report,
                    "rebuild (bulk load from the topic + alias swap): %.1f s, %d records read, %d documents in %s",
                    seconds(rebuildBegin),
                    status.path("recordsRead").asLong(),
                    indexed,
                    status.path("targetIndex").asText());

            facetedQuery(report, base, elasticsearch, queries);
            suggest(report, base, loaded, suggests);
            freshness(report, base, kafka, generator, writes);
            long hold = Long.parseLong(GenerateListings.option(args, "--hold", "0"));
            if (hold > 0) { // ad-hoc inspection of the loaded engines (e.g. a query with "profile": true), then stop
                line(report, "holding the engines and the service (%s) for %d s", base, hold);
                Thread.sleep(hold * 1000);
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            deleteTree(config.dataDir()); // the engines' throwaway data (~700 MB for 100k listings)
        }
        line(report, "total %.0f s; service log %s", seconds(begin), work.resolve("search-service.log"));
        Files.writeString(work.resolve("results.txt"), report.toString());
        System.out.println("\n==== search-service benchmark ====\n" + report);
    }

    /** The same faceted query through search-service and straight to Elasticsearch, interleaved. */
    private static void facetedQuery(StringWriter report, String base, String elasticsearch, int count)
            throws Exception {
        ListingQuery query = new ListingQuery(
                Optional.of("image classification"),
                new ListingFilters(
                        Map.of(
                                Facet.MODALITY,
                                Set.of("image"),
                                Facet.LICENSE,
                                Set.of("apache-2.0", "mit"),
                                Facet.PRICE_TYPE,
                                Set.of("free")),
                        OptionalDouble.empty()),
                ListingSort.RELEVANCE,
                0,
                20,
                Optional.empty(),
                true);
        // the hits and the (request-cached) facets, as the service sends them
        String body = RequestBodies.msearch(query, "listings-read");
        HttpRequest direct = HttpRequest.newBuilder(URI.create(elasticsearch + "/_msearch"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpRequest viaService = HttpRequest.newBuilder(URI.create(base + "/api/v1/search?q=image+classification"
                        + "&modality=image&license=apache-2.0&license=mit&priceType=free&size=20"))
                .GET()
                .build();
        long serviceTotal = JSON.readTree(send(viaService, 200)).path("total").asLong();
        long directTotal = JSON.readTree(send(direct, 200))
                .path("responses")
                .path(0)
                .path("hits")
                .path("total")
                .path("value")
                .asLong();
        if (serviceTotal != directTotal) {
            throw new IllegalStateException(
                    "Service and Elasticsearch disagree: " + serviceTotal + " vs " + directTotal);
        }
        for (int i = 0; i < 100; i++) { // warm-up of both JVMs
            send(viaService, 200);
            send(direct, 200);
        }
        long[] service = new long[count];
        long[] es = new long[count];
        for (int i = 0; i < count; i++) {
            service[i] = timed(viaService);
            es[i] = timed(direct);
        }
        line(
                report,
                "faceted query (q + 3 filters + 11 facet aggregations + highlight, %d hits, %d rounds):",
                serviceTotal,
                count);
        line(
                report,
                "  via search-service : p50 %.1f ms  p99 %.1f ms",
                ms(percentile(service, 50)),
                ms(percentile(service, 99)));
        line(report, "  Elasticsearch only : p50 %.1f ms  p99 %.1f ms", ms(percentile(es, 50)), ms(percentile(es, 99)));
        line(
                report,
                "  ratio service/ES   : p50 %.2f  p99 %.2f",
                (double) percentile(service, 50) / percentile(es, 50),
                (double) percentile(service, 99) / percentile(es, 99));
    }

    private static void suggest(StringWriter report, String base, List<ListingGenerator.Generated> loaded, int count)
            throws Exception {
        Random random = new Random(7);
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] words = loaded.get(random.nextInt(loaded.size()))
                    .title()
                    .toLowerCase(Locale.ROOT)
                    .split(" ");
            String first = words[0];
            prefixes.add(
                    random.nextBoolean() || words.length < 2
                            ? first.substring(0, Math.min(first.length(), 2 + random.nextInt(4)))
                            : first + " " + words[1].substring(0, Math.min(words[1].length(), 1 + random.nextInt(3))));
        }
        for (int i = 0; i < 100; i++) {
            send(suggestRequest(base, prefixes.get(i % prefixes.size())), 200);
        }
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = timed(suggestRequest(base, prefixes.get(i)));
        }
        line(
                report,
                "suggest (%d prefixes of 2-5 letters, or a word and 1-3 letters): p50 %.1f ms  p99 %.1f ms",
                count,
                ms(percentile(times, 50)),
                ms(percentile(times, 99)));
    }

    private static HttpRequest suggestRequest(String base, String prefix) {
        return HttpRequest.newBuilder(URI.create(
                        base + "/api/v1/search/suggest?q=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)))
                .GET()
                .build();
    }

    /** A catalog write (an event on catalog.listings) until the listing is searchable, 4 writers at a time. */
    private static void freshness(
            StringWriter report, String base, String kafka, ListingGenerator generator, int writes) throws Exception {
        List<ListingGenerator.Generated> probes = new ArrayList<>();
        for (int i = 0; i < writes + 1; i++) {
            probes.add(generator.nextSearchable("fresh-" + i));
        }
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (KafkaProducer<String, String> producer = GenerateListings.producer(kafka)) {
            // the live consumer joins at the end of the topic: wait until it sees a first probe
            producer.send(GenerateListings.record(probes.get(writes))).get();
            awaitStatus(base + "/api/v1/search?size=1&tags=fresh-" + writes, -1, Duration.ofSeconds(60));
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                ListingGenerator.Generated probe = probes.get(i);
                String tag = "fresh-" + i;
                results.add(writers.submit(() -> {
                    HttpRequest find = HttpRequest.newBuilder(URI.create(base + "/api/v1/search?size=1&tags=" + tag))
                            .GET()
                            .build();
                    long start = System.nanoTime();
                    producer.send(GenerateListings.record(probe)).get();
                    while (JSON.readTree(send(find, 200)).path("total").asLong() == 0) {
                        if (System.nanoTime() - start > 30_000_000_000L) {
                            throw new IllegalStateException("Listing " + probe.id() + " not searchable after 30 s");
                        }
                        Thread.sleep(5);
                    }
                    return System.nanoTime() - start;
                }));
            }
            long[] times = new long[writes];
            for (int i = 0; i < writes; i++) {
                times[i] = results.get(i).get();
            }
            line(
                    report,
                    "write to searchable (%d events on catalog.listings, 4 writers, polled every 5 ms; index refresh 1 s):",
                    writes);
            line(
                    report,
                    "  p50 %.0f ms  p99 %.0f ms  max %.0f ms",
                    ms(percentile(times, 50)),
                    ms(percentile(times, 99)),
                    ms(Arrays.stream(times).max().orElse(0)));
        } finally {
            writers.shutdownNow();
        }
    }

    private static Process startService(Path app, Path work, int port, String kafka, String elasticsearch)
            throws IOException {
        if (!Files.exists(app)) {
            throw new IllegalStateException(
                    "No packaged service at " + app + ": run ./mvnw -pl search-service package first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(
                java,
                "-Xmx512m",
                // a profile of its own: none of the %dev/%prod engine addresses, and no Keycloak (tokens signed here)
                "-Dquarkus.profile=bench",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + kafka,
                "-Dquarkus.elasticsearch.hosts=" + elasticsearch,
                "-Dquarkus.oidc.public-key=" + TestTokens.publicKey(),
                // No gateway in a benchmark: no gateway keys, so its token tenants are off.
                "-Dmodelmarket.gateway-tokens.enabled=false",
                "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER,
                // the bulk load goes through the rebuild; the live projection starts at the end of the topic
                "-Dmp.messaging.incoming.catalog-listings.auto.offset.reset=latest",
                "-Dmodelmarket.search.rebuild.delete-grace=1s",
                "-Dquarkus.log.category.\"org.modelmarket\".level=INFO",
                "-jar",
                app.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("search-service.log").toFile())
                .start();
    }

    private static void awaitStatus(String url, int expectedStatus, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
                boolean ok = expectedStatus > 0
                        ? response.statusCode() == expectedStatus
                        : response.statusCode() == 200
                                && JSON.readTree(response.body()).path("total").asLong() > 0;
                if (ok) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No expected answer from " + url + " within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static String send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(
                    request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static long timed(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        send(request, 200);
        return System.nanoTime() - start;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void line(StringWriter report, String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println("[bench] " + text);
        report.append(text).append('\n');
    }
}
