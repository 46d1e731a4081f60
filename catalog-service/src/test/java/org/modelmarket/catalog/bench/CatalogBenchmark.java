package org.modelmarket.catalog.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.test.TestTokens;

/**
 * Read benchmark of catalog-service, run by {@code catalog-service/bench/run.sh} (never by the test suite): starts
 * PostgreSQL and Kafka from the local stack (loopback, random ports) and the packaged service, loads N listings
 * through the API (verified vendors, so they are published), then drives {@code GET /api/v1/listings/{ns}/{name}}
 * (random listings) and the trivial {@code GET /q/health/live} with wrk, one after the other in the same run, and
 * reports req/s, p50 and p99 for both. Stops everything it started.
 */
public final class CatalogBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int VENDORS = 50;

    private CatalogBenchmark() {}

    public static void main(String[] args) throws Exception {
        int listings = Integer.parseInt(option(args, "--listings", "10000"));
        int connections = Integer.parseInt(option(args, "--connections", "64"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        String duration = option(args, "--duration", "20s");
        Path work = Path.of(option(args, "--work", "target/bench")).toAbsolutePath();
        Path app = Path.of(option(args, "--app", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        Files.createDirectories(work);
        List<String> report = new ArrayList<>();

        StackConfig config = StackConfig.forTests(
                EnumSet.of(EngineKind.POSTGRES, EngineKind.KAFKA),
                work.resolve("stack-" + System.currentTimeMillis()),
                List.of("catalog"));
        Process service = null;
        long begin = System.nanoTime();
        try (LocalStack stack = LocalStack.start(config)) {
            line(report, "engines ready in %.1f s", seconds(begin));
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            service = start(app, work, port, stack);
            awaitReady(base);
            line(report, "catalog-service ready on %s", base);

            long loadBegin = System.nanoTime();
            load(base, listings);
            line(
                    report,
                    "loaded %d listings of %d verified vendors through POST /api/v1/listings in %.1f s",
                    listings,
                    VENDORS,
                    seconds(loadBegin));

            Path script = work.resolve("random-listing.lua");
            Files.writeString(script, """
                    math.randomseed(os.time())
                    request = function()
                      local i = math.random(0, %d)
                      return wrk.format("GET", "/api/v1/listings/vendor-" .. (i %% %d) .. "/model-" .. i)
                    end
                    """.formatted(listings - 1, VENDORS));
            // Warm both paths up (JIT, pools), then measure them one after the other.
            wrk(base + "/", threads, connections, "5s", script);
            wrk(base + "/q/health/live", threads, connections, "5s", null);
            Result listing = wrk(base + "/", threads, connections, duration, script);
            Result trivial = wrk(base + "/q/health/live", threads, connections, duration, null);
            line(report, "wrk -t%d -c%d -d%s, loopback, %d listings:", threads, connections, duration, listings);
            line(
                    report,
                    "  GET /api/v1/listings/{ns}/{name}  %9.0f req/s  p50 %8s  p99 %8s  errors %s",
                    listing.rps(),
                    listing.p50(),
                    listing.p99(),
                    listing.errors());
            line(
                    report,
                    "  GET /q/health/live (trivial)      %9.0f req/s  p50 %8s  p99 %8s  errors %s",
                    trivial.rps(),
                    trivial.p50(),
                    trivial.p99(),
                    trivial.errors());
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
        line(report, "total %.0f s; service log %s", seconds(begin), work.resolve("catalog-service.log"));
        Files.writeString(work.resolve("results.txt"), String.join("\n", report) + "\n");
        System.out.println("\n==== catalog-service benchmark ====\n" + String.join("\n", report));
    }

    private static Process start(Path app, Path work, int port, LocalStack stack) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // Own profile: none of the %prod defaults (Keycloak URL, fixed ports) apply; everything is given here.
                "-Dquarkus.profile=bench",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=" + stack.postgres().reactiveUrl("catalog"),
                "-Dquarkus.datasource.jdbc.url=" + stack.postgres().jdbcUrl("catalog"),
                "-Dquarkus.datasource.username=catalog",
                "-Dquarkus.datasource.password=catalog",
                "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                // Tokens signed by this process (TestTokens): no Keycloak needed.
                "-Dquarkus.oidc.public-key=" + TestTokens.publicKey(),
                // No gateway in a benchmark: no gateway keys, so its token tenants are off.
                "-Dmodelmarket.gateway-tokens.enabled=false",
                "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER,
                "-jar",
                app.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("catalog-service.log").toFile())
                .start();
    }

    /** Vendors vendor-0..49 (created by their owners, verified by an admin), then listings vendor-(i%50)/model-i. */
    private static void load(String base, int listings) throws Exception {
        String admin = TestTokens.bearer("bench-admin", "admin");
        for (int v = 0; v < VENDORS; v++) {
            String owner = TestTokens.bearer("bench-owner-" + v, "vendor");
            send(
                    post(
                            base + "/api/v1/vendors",
                            owner,
                            "{\"namespace\":\"vendor-" + v + "\",\"displayName\":\"Vendor " + v + "\"}"),
                    201);
            send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/vendors/vendor-" + v + "/verification"))
                            .header("Authorization", admin)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"verified\":true}"))
                            .build(),
                    200);
        }
        String[] tasks = {
            "image-classification", "text-generation", "automatic-speech-recognition", "object-detection", "translation"
        };
        String[] modalities = {"image", "text", "audio", "image", "text"};
        Semaphore inFlight = new Semaphore(16);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < listings; i++) {
                int n = i;
                inFlight.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        int v = n % VENDORS;
                        String body = """
                                {"namespace":"vendor-%d","name":"model-%d","title":"Model %d","summary":"Synthetic listing %d for the benchmark",
                                 "modelCard":"# Model %d\\n\\nA synthetic model card with some text to make the body realistic.",
                                 "modality":"%s","task":"%s","license":"apache-2.0","tags":["bench","synthetic"],
                                 "languages":["en"],"frameworks":["pytorch"],"formats":["safetensors"],"priceType":"free"}""".formatted(v, n, n, n, n, modalities[n % 5], tasks[n % 5]);
                        send(
                                post(base + "/api/v1/listings", TestTokens.bearer("bench-owner-" + v, "vendor"), body),
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

    /** One wrk run's figures. */
    record Result(double rps, String p50, String p99, String errors) {}

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\n\\s+50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+(\\S+)");
    private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses: \\d+|Socket errors: [^\\n]+)");

    private static Result wrk(String url, int threads, int connections, String duration, Path script)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration, "--latency", "--timeout", "10s"));
        if (script != null) {
            command.add("-s");
            command.add(script.toString());
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
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
        return new Result(
                Double.parseDouble(rps.group(1)),
                p50.group(1),
                p99.group(1),
                errors.isEmpty() ? "none" : errors.toString());
    }

    private static HttpRequest post(String url, String bearer, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static void send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
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
        throw new IllegalStateException("catalog-service not ready after 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void line(List<String> report, String format, Object... values) {
        String text = String.format(format, values);
        report.add(text);
        System.out.println("[bench] " + text);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
