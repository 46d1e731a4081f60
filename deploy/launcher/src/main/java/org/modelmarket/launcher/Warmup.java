package org.modelmarket.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Warms the read paths of the local run before it reports ready: for a bounded time, anonymous reads that users make
 * (listing pages, lists, searches with facets and highlights, suggestions, similar listings) go to catalog-service and
 * search-service from a few clients at once. A freshly started JVM runs these paths interpreted until its JIT compilers
 * have compiled them, which took the first 10 s of load down to a fifth of the warm rate for both services (and for
 * Elasticsearch, which every search reaches); after the warm-up the first user meets compiled code.
 */
final class Warmup {

    private static final Logger LOG = Logger.getLogger(Warmup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clients at once: enough to keep both cores busy, few enough not to queue for long. */
    private static final int CLIENTS = 8;
    /** Free text as people type it: words, prefixes, typos, task names, multi-word needs. */
    private static final List<String> QUERIES = List.of(
            "speech",
            "image classification",
            "whisp",
            "bert",
            "sentence similarity",
            "translate english to german",
            "objet detection",
            "llm",
            "ocr",
            "stable diff");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Warmup() {}

    /**
     * Sends the warm-up reads for {@code budget}; with {@code demoLoaded}, once search-service has indexed the demo
     * listings (or after a minute without them: the reads still warm what they reach).
     */
    static void run(String catalogUrl, String searchUrl, Duration budget, boolean demoLoaded) {
        new Warmup().warm(catalogUrl, searchUrl, budget, demoLoaded);
    }

    private void warm(String catalogUrl, String searchUrl, Duration budget, boolean demoLoaded) {
        List<String> ids = demoListingIds();
        if (demoLoaded) {
            awaitIndexed(searchUrl, ids.size(), Duration.ofMinutes(1));
        }
        List<URI> reads = new ArrayList<>();
        // the hot read first and most often, as in real traffic: every listing page calls it
        for (int i = 0; i < 4; i++) {
            ids.forEach(id -> reads.add(URI.create(catalogUrl + "/api/v1/listings/" + id)));
        }
        reads.add(URI.create(catalogUrl + "/api/v1/listings?size=20"));
        reads.add(URI.create(catalogUrl + "/api/v1/listings?page=1&size=20"));
        reads.add(URI.create(catalogUrl + "/api/v1/listings?modality=text&size=20"));
        for (String q : QUERIES) {
            String text = URLEncoder.encode(q, StandardCharsets.UTF_8);
            for (int i = 0; i < 4; i++) {
                reads.add(URI.create(searchUrl + "/api/v1/search?q=" + text));
            }
            reads.add(URI.create(searchUrl + "/api/v1/search?q=" + text + "&modality=audio,text&priceType=free"));
            reads.add(URI.create(searchUrl + "/api/v1/search?q=" + text + "&sort=downloads&page=1&size=10"));
            reads.add(URI.create(searchUrl + "/api/v1/search/suggest?q="
                    + URLEncoder.encode(q.substring(0, Math.min(3, q.length())), StandardCharsets.UTF_8)));
        }
        reads.add(URI.create(searchUrl + "/api/v1/search?size=20"));
        ids.stream().limit(5).forEach(id -> reads.add(URI.create(searchUrl + "/api/v1/search/similar/" + id)));

        long begin = System.nanoTime();
        long deadline = begin + budget.toNanos();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int offset = c * reads.size() / CLIENTS;
            clients.execute(() -> {
                for (int i = offset; System.nanoTime() < deadline; i++) {
                    if (!get(reads.get(i % reads.size()))) {
                        failed.incrementAndGet();
                    }
                    sent.incrementAndGet();
                }
            });
        }
        clients.shutdown();
        try {
            clients.awaitTermination(budget.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clients.shutdownNow();
        }
        LOG.infof(
                "read paths warmed up: %d reads in %.1f s (%d not 2xx)",
                sent.get(), (System.nanoTime() - begin) / 1e9, failed.get());
    }

    /** True for a 2xx answer; any failure only counts (the warm-up never stops the run). */
    private boolean get(URI uri) {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until search-service finds {@code count} listings (the demo data went through Kafka into its index). */
    private void awaitIndexed(String searchUrl, int count, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(searchUrl + "/api/v1/search?size=1&facets=false"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200
                        && JSON.readTree(response.body()).path("total").asLong() >= count) {
                    return;
                }
            } catch (IOException e) {
                LOG.debugf("search not answering yet: %s", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(250); // polling another process's index: there is nothing in-process to await
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("search-service has not indexed the %d demo listings within %s; warming up anyway", count, limit);
    }

    private static List<String> demoListingIds() {
        try (InputStream in = Warmup.class.getResourceAsStream("/demo/listings.json")) {
            List<String> ids = new ArrayList<>();
            for (JsonNode listing : JSON.readTree(in)) {
                ids.add(listing.get("namespace").asText() + "/"
                        + listing.get("name").asText());
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("demo/listings.json is part of the launcher jar", e);
        }
    }
}
