package org.modelmarket.artifact.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.test.TestTokens;

/**
 * Transfer benchmark of artifact-service, run by {@code artifact-service/bench/run.sh} (never by the test suite), on
 * loopback with random ports: PostgreSQL and Kafka from the local stack, the packaged service, and nginx. Measures in
 * one run: (1) a multipart upload of a 1 GiB file (64 MiB parts, sent in order, whole-file SHA-256 verified by the
 * service at completion) against {@code sha256sum} of the same file; (2) downloads of that file through artifact-service
 * ({@code GET .../files/big.bin}, zero-copy sendFile) against nginx serving the very blob file with {@code sendfile on},
 * with wrk at 16 and 64 connections; (3) the service's RSS before and its peak during each phase. Stops everything.
 */
public final class ArtifactBenchmark {

    /** The JDK client's default: HTTP/2, over cleartext by the {@code Upgrade: h2c} of the first request. */
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** HTTP/1.1, what curl and the Hub clients send. */
    private static final HttpClient HTTP1 = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    /** The protocol of the last answer {@link #send} received (the h2c upgrade may be refused). */
    private static volatile HttpClient.Version lastVersion;

    /** One service under measurement (B only in an A/B run). */
    private static final class Target {
        private final String label;
        private final long pid;
        private final String listing;
        private double rest;

        Target(String label, long pid, String listing) {
            this.label = label;
            this.pid = pid;
            this.listing = listing;
        }

        String label() {
            return label;
        }

        long pid() {
            return pid;
        }

        String listing() {
            return listing;
        }
    }

    private static HttpClient client(String protocol) {
        return switch (protocol) {
            case "http1.1" -> HTTP1;
            case "http2" -> HTTP;
            default -> throw new IllegalArgumentException("--protocols takes http1.1 and http2, not " + protocol);
        };
    }

    /** The launcher's JVM flags for the services (deploy/launcher Marketplace.jvmFlags, its default 384 MiB heap). */
    private static final List<String> SERVICE_JVM_FLAGS = List.of("-Xms128m", "-Xmx384m", "-XX:+UseParallelGC");

    private static final String OWNER = "bench-owner";
    private static final long MIB = 1024 * 1024;

    private ArtifactBenchmark() {}

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(option(args, "--size-mib", "1024")) * MIB;
        long partSize = Long.parseLong(option(args, "--part-mib", "64")) * MIB;
        String duration = option(args, "--duration", "15s");
        Path work = Path.of(option(args, "--work", "target/bench")).toAbsolutePath();
        Path app = Path.of(option(args, "--app", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath();
        String nginx = option(args, "--nginx", "/usr/sbin/nginx");
        // --phases upload or download runs one half only (the uploads always store big.bin, the downloads' file).
        String phases = option(args, "--phases", "upload,download");
        boolean uploads = phases.contains("upload");
        boolean downloads = phases.contains("download");
        Files.createDirectories(work);
        List<String> report = new ArrayList<>();
        Process service = null;
        Process serviceB = null;
        Process web = null;
        long begin = System.nanoTime();
        StackConfig config = StackConfig.forTests(
                EnumSet.of(EngineKind.POSTGRES, EngineKind.KAFKA),
                work.resolve("stack-" + System.currentTimeMillis()),
                List.of("artifact"));
        try (LocalStack stack = LocalStack.start(config)) {
            line(report, "engines ready in %.1f s", seconds(begin));
            Path data = work.resolve("data-" + System.currentTimeMillis());
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            service = start(app, work, data, port, stack, System.getenv().getOrDefault("ARTIFACT_SERVICE_OPTS", ""));
            awaitReady(base);
            long pid = service.pid();
            String ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            publishListing(stack.kafka().bootstrapServers(), ns);
            String listing = base + "/api/v1/listings/" + ns + "/model";
            awaitListing(listing);
            line(
                    report,
                    "artifact-service ready on %s (pid %d), listing %s/model, RSS %s",
                    base,
                    pid,
                    ns,
                    rssSplit(pid));

            Path file = work.resolve("big.bin");
            if (!Files.exists(file) || Files.size(file) != size) {
                generate(file, size);
            }
            // The client's part digests are computed before the timed window (a client hashes while it reads).
            List<String> partDigests = partDigests(file, partSize);
            List<String> partCrcs = partCrc32cs(file, partSize);
            String sha256 = sha256sum(file, report); // warms the page cache; each protocol measures its own

            String bearer = TestTokens.bearer(OWNER, "vendor");
            if (!uploads) {
                // The downloads need the file stored: upload it untimed.
                multipart(HTTP, listing, bearer, file, "big.bin", size, partSize, partDigests, sha256);
            } else {
                // Service B (ARTIFACT_SERVICE_OPTS_B): a second service with other JVM options on the same engines and
                // database (its own blob store), measured interleaved with A, so that both see the same load: an A/B.
                List<Target> targets = new ArrayList<>();
                targets.add(new Target("A", pid, listing));
                String optsB = System.getenv()
                        .getOrDefault("ARTIFACT_SERVICE_OPTS_B", "")
                        .trim();
                if (!optsB.isEmpty()) {
                    Path dataB = work.resolve("data-b-" + System.currentTimeMillis());
                    int portB = freePort();
                    serviceB = start(app, work.resolve("b"), dataB, portB, stack, optsB);
                    String baseB = "http://127.0.0.1:" + portB;
                    awaitReady(baseB);
                    awaitListing(baseB + "/api/v1/listings/" + ns + "/model");
                    targets.add(new Target("B", serviceB.pid(), baseB + "/api/v1/listings/" + ns + "/model"));
                    line(
                            report,
                            "A/B: service A with ARTIFACT_SERVICE_OPTS='%s'",
                            System.getenv().getOrDefault("ARTIFACT_SERVICE_OPTS", ""));
                    line(report, "     service B (pid %d) with ARTIFACT_SERVICE_OPTS_B='%s'", serviceB.pid(), optsB);
                }
                List<String> protocols =
                        List.of(option(args, "--protocols", "http1.1,http2").split(","));
                List<String> kinds = List.of(option(args, "--uploads", "multipart,multipart-crc32c,multipart,single")
                        .split(","));
                // Warm-up (JIT of the receiving, hashing and writing paths of each protocol): the first two parts as
                // another file, then the same bytes as one request.
                int warmParts = Math.min(2, partDigests.size());
                long warmSize = Math.min(size, warmParts * partSize);
                String warmSha = sha256Of(file, warmSize);
                for (String protocol : protocols) {
                    for (Target target : targets) {
                        HttpClient client = client(protocol);
                        multipart(
                                client,
                                target.listing(),
                                bearer,
                                file,
                                "warmup-" + protocol + ".bin",
                                warmSize,
                                partSize,
                                partDigests.subList(0, warmParts),
                                warmSha);
                        send(
                                client,
                                HttpRequest.newBuilder(URI.create(
                                                target.listing() + "/files/warmup-single-" + protocol + ".bin"))
                                        .header("Authorization", bearer)
                                        .header("Content-Type", "application/octet-stream")
                                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                                HttpRequest.BodyPublishers.ofInputStream(
                                                        () -> slice(file, 0, warmSize)),
                                                warmSize))
                                        .build(),
                                201);
                    }
                }
                // The services' own CPU at rest (Kafka consumers, outbox relay, timers), subtracted in "net".
                Map<String, Long> restCpu = new TreeMap<>();
                targets.forEach(t -> restCpu.put(t.label(), cpuNanos(t.pid())));
                long restBegin = System.nanoTime();
                Thread.sleep(10_000); // a measuring window at rest, not a wait for a condition
                for (Target target : targets) {
                    target.rest = (double) (cpuNanos(target.pid()) - restCpu.get(target.label()))
                            / (System.nanoTime() - restBegin);
                    line(
                            report,
                            "service %s CPU at rest: %.0f ms per s (subtracted in the net figures)",
                            target.label(),
                            target.rest * 1000);
                }
                long rssBefore = rss(pid);
                for (Target target : targets) {
                    line(
                            report,
                            "service %s RSS after the warm-up and the rest: %s",
                            target.label(),
                            rssSplit(target.pid()));
                }
                line(
                        report,
                        "uploads of %d MiB (multipart: %d parts of %d MiB in order, sha256 verified; single: one"
                                + " streaming PUT), each protocol after its own sha256sum of the file:",
                        size / MIB,
                        partDigests.size(),
                        partSize / MIB);
                boolean stored = false;
                for (String protocol : protocols) {
                    HttpClient client = client(protocol);
                    sha256sum(file, report);
                    line(
                            report,
                            "  %-8s sha256sum           %6.2f s  %5.0f MB/s  CPU %5.2f s/GiB  (load %s)",
                            protocol,
                            lastNanos / 1e9,
                            mbps(size, lastNanos),
                            perGiB(sha256sumCpu, size),
                            sha256sumLoad);
                    long baseNanos = lastNanos;
                    long baseCpu = sha256sumCpu;
                    // multipart: parts with their SHA-256 (stores big.bin); multipart-crc32c: the same parts with a
                    // CRC32C instead (the whole file's SHA-256 still verified); then the SHA-256 variant again, for
                    // a comparison where both find the blob stored already (its staging file is dropped, not linked).
                    for (String kind : kinds) {
                        for (Target target : targets) {
                            // The first multipart stores big.bin, the file the downloads need.
                            String path = !stored
                                            && kind.equals("multipart")
                                            && target.label().equals("A")
                                    ? "big.bin"
                                    : target.label() + "-" + protocol + "-" + kind + "-" + UUID.randomUUID() + ".bin";
                            stored |= path.equals("big.bin");
                            long rssStart = rss(target.pid());
                            RssSampler sampler = new RssSampler(target.pid());
                            Map<String, long[]> threads = threadTicks(target.pid());
                            long cpu = cpuNanos(target.pid());
                            long started = System.nanoTime();
                            if (kind.startsWith("multipart")) {
                                boolean crc = kind.equals("multipart-crc32c");
                                multipart(
                                        client,
                                        target.listing(),
                                        bearer,
                                        file,
                                        path,
                                        size,
                                        partSize,
                                        crc ? "X-Checksum-Crc32c" : "X-Checksum-Sha256",
                                        crc ? partCrcs : partDigests,
                                        sha256);
                            } else {
                                // The blob exists already, so this measures receiving and hashing; the write goes
                                // to tmp/ and is dropped instead of renamed.
                                send(
                                        client,
                                        HttpRequest.newBuilder(URI.create(target.listing() + "/files/" + path))
                                                .header("Authorization", bearer)
                                                .header("Content-Type", "application/octet-stream")
                                                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                                                .build(),
                                        201);
                            }
                            long nanos = System.nanoTime() - started;
                            cpu = cpuNanos(target.pid()) - cpu;
                            long net = cpu - (long) (target.rest * nanos);
                            String threadCpu = threadBreakdown(threads, threadTicks(target.pid()), size);
                            long peak = sampler.stop();
                            line(
                                    report,
                                    "  %-8s %-9s upload %s %6.2f s  %5.0f MB/s  CPU %5.2f s/GiB, net %5.2f  (load %s)"
                                            + "  ratio time %.2f, CPU %.2f, net CPU %.2f  [answered %s, RSS %d MiB,"
                                            + " peak %d MiB (%s), after %s]",
                                    protocol,
                                    kind,
                                    targets.size() > 1 ? target.label() : "",
                                    nanos / 1e9,
                                    mbps(size, nanos),
                                    perGiB(cpu, size),
                                    perGiB(net, size),
                                    loadAverage(),
                                    (double) baseNanos / nanos,
                                    (double) baseCpu / cpu,
                                    (double) baseCpu / net,
                                    lastVersion,
                                    rssStart / MIB,
                                    peak / MIB,
                                    sampler.peakSplit(),
                                    rssSplit(target.pid()));
                            line(report, "      threads, CPU s/GiB user+system: %s", threadCpu);
                        }
                    }
                }
                line(report, "  (ratios: sha256sum's time or CPU over the service's; CPU of the service process only)");
                line(report, "  service A RSS before the uploads %d MiB, now %d MiB", rssBefore / MIB, rss(pid) / MIB);
                if (!stored) {
                    multipart(HTTP, listing, bearer, file, "big.bin", size, partSize, partDigests, sha256);
                }
            }
            if (downloads) {
                // The service's own CPU at rest (Kafka consumers, outbox relay, timers), subtracted in "net".
                long restCpu = cpuNanos(pid);
                long restBegin = System.nanoTime();
                Thread.sleep(10_000); // a measuring window at rest, not a wait for a condition
                double rest = (double) (cpuNanos(pid) - restCpu) / (System.nanoTime() - restBegin);
                line(report, "service CPU at rest: %.0f ms per s (subtracted in the net figures)", rest * 1000);

                // The blob file the service stores: nginx serves exactly these bytes from the same page cache.
                Path blob = data.resolve("blobs/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2));
                int nginxPort = freePort();
                web = startNginx(nginx, work, blob, nginxPort);
                awaitHttp("http://127.0.0.1:" + nginxPort + "/big.bin");
                long nginxPid = web.pid();
                String artifactUrl = listing + "/files/big.bin";
                String nginxUrl = "http://127.0.0.1:" + nginxPort + "/big.bin";
                wrk(artifactUrl, 2, 4, "5s"); // warm-up (JIT, pools)
                wrk(nginxUrl, 2, 4, "5s");
                long rssBeforeDownload = rss(pid);
                line(report, "single download of the whole file (curl, one connection):");
                long downloadPeak = 0;
                RssSampler curlRss = new RssSampler(pid);
                Transfer artifactOne = curl(artifactUrl, pid, rest);
                downloadPeak = Math.max(downloadPeak, curlRss.stop());
                Transfer nginxOne = curl(nginxUrl, nginxPid, 0);
                line(
                        report,
                        "  artifact-service %5.0f MB/s CPU %5.2f s/GiB, net %5.2f (load %s) | nginx sendfile %5.0f MB/s"
                                + " CPU %5.2f s/GiB (load %s) | ratio MB/s %.2f, CPU %.2f",
                        artifactOne.mbps(),
                        artifactOne.cpuPerGiB(),
                        artifactOne.netPerGiB(),
                        artifactOne.load(),
                        nginxOne.mbps(),
                        nginxOne.cpuPerGiB(),
                        nginxOne.load(),
                        artifactOne.mbps() / nginxOne.mbps(),
                        nginxOne.cpuPerGiB() / artifactOne.cpuPerGiB());
                line(
                        report,
                        "downloads, wrk -t2 -d%s, loopback (MB/s of response bytes; CPU of the server per GiB sent):",
                        duration);
                for (int connections : new int[] {16, 64}) {
                    RssSampler sampler = new RssSampler(pid);
                    Transfer artifact = wrk(artifactUrl, 2, connections, duration, pid, rest);
                    downloadPeak = Math.max(downloadPeak, sampler.stop());
                    Transfer plain = wrk(nginxUrl, 2, connections, duration, nginxPid, 0);
                    line(
                            report,
                            "  c=%-3d artifact-service %5.0f MB/s CPU %5.2f s/GiB, net %5.2f (load %s) | nginx sendfile"
                                    + " %5.0f MB/s CPU %5.2f s/GiB (load %s) | ratio MB/s %.2f, CPU %.2f | errors %s / %s",
                            connections,
                            artifact.mbps(),
                            artifact.cpuPerGiB(),
                            artifact.netPerGiB(),
                            artifact.load(),
                            plain.mbps(),
                            plain.cpuPerGiB(),
                            plain.load(),
                            artifact.mbps() / plain.mbps(),
                            plain.cpuPerGiB() / artifact.cpuPerGiB(),
                            artifact.errors(),
                            plain.errors());
                }
                line(
                        report,
                        "  service RSS before downloads %d MiB, peak during downloads %d MiB (growth %d MiB)",
                        rssBeforeDownload / MIB,
                        downloadPeak / MIB,
                        (downloadPeak - rssBeforeDownload) / MIB);
            }
        } finally {
            stop(web);
            stop(serviceB);
            stop(service);
        }
        line(report, "total %.0f s; logs in %s", seconds(begin), work);
        Files.writeString(work.resolve("results.txt"), String.join("\n", report) + "\n");
        System.out.println("\n==== artifact-service benchmark ====\n" + String.join("\n", report));
    }

    private static Process start(Path app, Path work, Path data, int port, LocalStack stack, String options)
            throws IOException {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The launcher's JVM flags for artifact-service (deploy/launcher Marketplace.jvmFlags), so that the RSS and CPU
        // figures are those of the service as it runs; ARTIFACT_SERVICE_OPTS(_B) come after them and so override them.
        command.addAll(SERVICE_JVM_FLAGS);
        // Extra JVM options of the service, e.g. a flight recording: ARTIFACT_SERVICE_OPTS=-XX:StartFlightRecording=...
        String extra = options.trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-Dquarkus.profile=bench",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=" + stack.postgres().reactiveUrl("artifact"),
                "-Dquarkus.datasource.jdbc.url=" + stack.postgres().jdbcUrl("artifact"),
                "-Dquarkus.datasource.username=artifact",
                "-Dquarkus.datasource.password=artifact",
                "-Dkafka.bootstrap.servers=" + stack.kafka().bootstrapServers(),
                "-Dquarkus.oidc.public-key=" + TestTokens.publicKey(),
                // No gateway in a benchmark: no gateway keys, so its token tenants are off.
                "-Dmodelmarket.gateway-tokens.enabled=false",
                "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER,
                "-Dmodelmarket.artifact.blob.filesystem.root=" + data.resolve("blobs"),
                "-Dmodelmarket.artifact.upload.staging-dir=" + data.resolve("uploads"),
                "-Dmodelmarket.artifact.signing.key=bench-signing-key-of-at-least-32-characters",
                "-Dmodelmarket.artifact.gc.enabled=false",
                "-jar",
                app.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("artifact-service.log").toFile())
                .start();
    }

    private static Process startNginx(String nginx, Path work, Path blob, int port) throws Exception {
        Path root = work.resolve("nginx");
        Path html = root.resolve("html");
        Files.createDirectories(html);
        Files.deleteIfExists(html.resolve("big.bin"));
        Files.createSymbolicLink(html.resolve("big.bin"), blob);
        Files.writeString(root.resolve("nginx.conf"), """
                daemon off;
                # Blobs are written 0600 by the service's user: the workers must run as that user to read them.
                user %4$s;
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  sendfile on;
                  tcp_nopush on;
                  client_body_temp_path %1$s/tmp;
                  proxy_temp_path %1$s/tmp;
                  fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp;
                  scgi_temp_path %1$s/tmp;
                  server { listen 127.0.0.1:%2$d; root %3$s; }
                }
                """.formatted(root, port, html, System.getProperty("user.name")));
        Files.createDirectories(root.resolve("tmp"));
        return new ProcessBuilder(nginx, "-c", root.resolve("nginx.conf").toString(), "-p", root.toString())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("nginx.out").toFile())
                .start();
    }

    private static void publishListing(String bootstrap, String namespace) throws Exception {
        UUID id = UUID.randomUUID();
        String event = """
                {"specversion":"1.0","id":"%s","source":"/catalog-service","type":"org.modelmarket.catalog.ListingChanged",
                 "subject":"%s","time":"2026-11-29T10:00:00Z","datacontenttype":"application/json","aggregateversion":1,
                 "data":{"listingId":"%s","namespace":"%s","name":"model","owners":["%s"],"visibility":"public",
                         "priceType":"free","gated":false}}""".formatted(UUID.randomUUID(), id, id, namespace, OWNER);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("catalog.listings", id.toString(), event))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Random bytes (not compressible), written once and reused by later runs of the same size. */
    private static void generate(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buffer = ByteBuffer.allocate(8 * (int) MIB);
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            while (written < size) {
                buffer.clear();
                while (buffer.remaining() >= 8) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                buffer.limit((int) Math.min(buffer.limit(), size - written));
                written += out.write(buffer);
            }
        }
    }

    /** A multipart upload of the first {@code length} bytes of {@code file} as {@code path}, parts sent in order. */
    private static void multipart(
            HttpClient client,
            String listing,
            String bearer,
            Path file,
            String path,
            long length,
            long partSize,
            List<String> partDigests,
            String sha256)
            throws Exception {
        multipart(client, listing, bearer, file, path, length, partSize, "X-Checksum-Sha256", partDigests, sha256);
    }

    /**
     * The same, each part sent with {@code checksumHeader: checksums[n-1]} ({@code X-Checksum-Sha256} or
     * {@code X-Checksum-Crc32c}).
     */
    private static void multipart(
            HttpClient client,
            String listing,
            String bearer,
            Path file,
            String path,
            long length,
            long partSize,
            String checksumHeader,
            List<String> checksums,
            String sha256)
            throws Exception {
        String id = field(
                send(
                        client,
                        HttpRequest.newBuilder(URI.create(listing + "/uploads"))
                                .header("Authorization", bearer)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"path\":\"%s\",\"size\":%d,\"sha256\":\"%s\"}"
                                                .formatted(path, length, sha256)))
                                .build(),
                        201),
                "id");
        for (int n = 1; n <= checksums.size(); n++) {
            long offset = (n - 1) * partSize;
            long partLength = Math.min(partSize, length - offset);
            send(
                    client,
                    HttpRequest.newBuilder(URI.create(listing + "/uploads/" + id + "/parts/" + n))
                            .header("Authorization", bearer)
                            .header("Content-Type", "application/octet-stream")
                            .header(checksumHeader, checksums.get(n - 1))
                            .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, partLength)),
                                    partLength))
                            .build(),
                    200);
        }
        send(
                client,
                HttpRequest.newBuilder(URI.create(listing + "/uploads/" + id + "/complete"))
                        .header("Authorization", bearer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                201);
    }

    private static String sha256Of(Path file, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = slice(file, 0, length)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<String> partDigests(Path file, long partSize) throws Exception {
        List<String> digests = new ArrayList<>();
        long size = Files.size(file);
        for (long offset = 0; offset < size; offset += partSize) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = slice(file, offset, Math.min(partSize, size - offset))) {
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            digests.add(HexFormat.of().formatHex(digest.digest()));
        }
        return digests;
    }

    /** Each part's CRC32C as the service takes it: base64 of the 4 big-endian bytes. */
    private static List<String> partCrc32cs(Path file, long partSize) throws Exception {
        List<String> crcs = new ArrayList<>();
        long size = Files.size(file);
        for (long offset = 0; offset < size; offset += partSize) {
            CRC32C crc = new CRC32C();
            try (InputStream in = slice(file, offset, Math.min(partSize, size - offset))) {
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    crc.update(buffer, 0, n);
                }
            }
            crcs.add(Base64.getEncoder()
                    .encodeToString(
                            ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()));
        }
        return crcs;
    }

    private static long lastNanos;
    private static long sha256sumCpu;
    private static String sha256sumLoad;

    private static String sha256sum(Path file, List<String> report) throws Exception {
        new ProcessBuilder("sha256sum", file.toString()).start().waitFor(); // page cache warm for both sides
        // bash reads its children's CPU time (cutime, cstime of /proc/self/stat) once sha256sum has been waited for.
        String script = "sha256sum \"$1\"; read -r -a s < <(sed 's/.*) //' /proc/$$/stat); echo cpu ${s[13]} ${s[14]}";
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script, "bash", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        lastNanos = System.nanoTime() - start;
        sha256sumLoad = loadAverage();
        Matcher cpu = Pattern.compile("cpu (\\d+) (\\d+)").matcher(out);
        if (!cpu.find()) {
            throw new IllegalStateException("No CPU time from sha256sum's shell: " + out);
        }
        sha256sumCpu = (Long.parseLong(cpu.group(1)) + Long.parseLong(cpu.group(2))) * NANOS_PER_TICK;
        return out.substring(0, 64);
    }

    /** User plus system CPU time of a process and, for nginx's master, of its workers (from /proc). */
    static long cpuNanos(long pid) {
        long ticks = ticks(pid);
        for (ProcessHandle child :
                ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(List.of())) {
            ticks += ticks(child.pid());
        }
        return ticks * NANOS_PER_TICK;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException e) {
            return 0;
        }
    }

    /** User and system ticks of each thread of a process, summed by thread name with digits dropped (pools). */
    static Map<String, long[]> threadTicks(long pid) {
        Map<String, long[]> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long[] sum = ticks.computeIfAbsent(name, key -> new long[2]);
                    sum[0] += Long.parseLong(fields[11]);
                    sum[1] += Long.parseLong(fields[12]);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** The threads (by name) that used the most CPU between two samples, per GiB: "name user+system". */
    static String threadBreakdown(Map<String, long[]> before, Map<String, long[]> after, long bytes) {
        record Use(String name, long user, long system) {}
        List<Use> uses = new ArrayList<>();
        after.forEach((name, now) -> {
            long[] then = before.getOrDefault(name, new long[2]);
            uses.add(new Use(name, now[0] - then[0], now[1] - then[1]));
        });
        uses.sort((a, b) -> Long.compare(b.user + b.system, a.user + a.system));
        StringBuilder text = new StringBuilder();
        for (Use use : uses.subList(0, Math.min(5, uses.size()))) {
            text.append(String.format(
                    "%s %.2f+%.2f; ",
                    use.name, perGiB(use.user * NANOS_PER_TICK, bytes), perGiB(use.system * NANOS_PER_TICK, bytes)));
        }
        return text.toString().trim();
    }

    /** USER_HZ, 100 on every Linux architecture Java runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double perGiB(long cpuNanos, long bytes) {
        return cpuNanos / 1e9 / (bytes / (double) (1024 * MIB));
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
                long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Samples the process's resident set every 50 ms until stopped; {@link #stop} gives the peak. */
    static final class RssSampler {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private volatile String peakSplit = "";
        private final Thread thread;

        RssSampler(long pid) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    long now = rss(pid);
                    if (now > peak.get()) {
                        peak.set(now);
                        peakSplit = rssSplit(pid);
                    }
                    try {
                        Thread.sleep(50); // a sampling period, not a wait for a condition
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get();
        }

        /** The RSS split at the peak (see {@link #rssSplit}). */
        String peakSplit() {
            return peakSplit;
        }
    }

    /**
     * The RSS with its anonymous part (heap, native memory) and its file-backed part (mapped jars, libraries), in MiB,
     * from /proc/<pid>/status: which of the two grew says where to look.
     */
    static String rssSplit(long pid) {
        Map<String, Long> kib = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                for (String key : List.of("VmRSS", "RssAnon", "RssFile")) {
                    if (line.startsWith(key + ":")) {
                        kib.put(key, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return String.format(
                "%d MiB, anon %d, file %d",
                kib.getOrDefault("VmRSS", 0L) / 1024,
                kib.getOrDefault("RssAnon", 0L) / 1024,
                kib.getOrDefault("RssFile", 0L) / 1024);
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** One measured transfer: rate, the server's CPU per GiB sent, errors, and the load average after it. */
    record Transfer(double mbps, double cpuPerGiB, double netPerGiB, String errors, String load) {}

    private static final Pattern READ = Pattern.compile("requests in [0-9.]+\\w+, ([0-9.]+)([KMGT]?B) read");
    private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMGT]?B)");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: ([^\\n]+)");

    /** {@code rest}: the server's CPU at rest (CPU time per wall time), subtracted for the net figure. */
    private static Transfer wrk(String url, int threads, int connections, String duration, long serverPid, double rest)
            throws Exception {
        long cpu = cpuNanos(serverPid);
        long begin = System.nanoTime();
        Result result = wrk(url, threads, connections, duration);
        long elapsed = System.nanoTime() - begin;
        cpu = cpuNanos(serverPid) - cpu;
        return new Transfer(
                result.mbps(),
                perGiB(cpu, result.bytes()),
                perGiB(cpu - (long) (rest * elapsed), result.bytes()),
                result.errors(),
                loadAverage());
    }

    /** One GET of the whole file with curl into /dev/null. */
    private static Transfer curl(String url, long serverPid, double rest) throws Exception {
        long cpu = cpuNanos(serverPid);
        long begin = System.nanoTime();
        Process p = new ProcessBuilder(
                        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}", url)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        long elapsed = System.nanoTime() - begin;
        cpu = cpuNanos(serverPid) - cpu;
        String[] fields = out.split(" ");
        if (fields.length != 3 || !fields[0].equals("200")) {
            throw new IllegalStateException("curl " + url + ": " + out);
        }
        long bytes = Long.parseLong(fields[1]);
        double seconds = Double.parseDouble(fields[2]);
        return new Transfer(
                bytes / 1e6 / seconds,
                perGiB(cpu, bytes),
                perGiB(cpu - (long) (rest * elapsed), bytes),
                "none",
                loadAverage());
    }

    record Result(double mbps, long bytes, String errors) {}

    private static Result wrk(String url, int threads, int connections, String duration) throws Exception {
        Process p = new ProcessBuilder(
                        "wrk", "-t" + threads, "-c" + connections, "-d" + duration, "--timeout", "60s", url)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = TRANSFER.matcher(out);
        Matcher read = READ.matcher(out);
        if (!m.find() || !read.find()) {
            throw new IllegalStateException("wrk printed no transfer rate:\n" + out);
        }
        double mb = bytes(m.group(1), m.group(2)) / 1e6;
        long total = (long) bytes(read.group(1), read.group(2));
        Matcher e = ERRORS.matcher(out);
        StringBuilder errors = new StringBuilder();
        while (e.find()) {
            errors.append(e.group()).append(' ');
        }
        return new Result(
                mb, total, errors.isEmpty() ? "none" : errors.toString().trim());
    }

    /** wrk's units are binary (1KB = 1024 bytes). */
    private static double bytes(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "KB" -> v * 1024;
            case "MB" -> v * MIB;
            case "GB" -> v * 1024 * MIB;
            case "TB" -> v * 1024 * 1024 * MIB;
            default -> v;
        };
    }

    private static void awaitReady(String base) throws Exception {
        awaitHttp(base + "/q/health/ready");
    }

    private static void awaitListing(String listing) throws Exception {
        awaitHttp(listing + "/commits");
    }

    private static void awaitHttp(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200); // polling a process that is starting: there is no event to wait on
        }
        throw new IllegalStateException(url + " did not answer 200 within 180 s");
    }

    private static String send(HttpClient client, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        lastVersion = response.version();
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("No " + name + " in " + json);
        }
        return m.group(1);
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void line(List<String> report, String format, Object... args) {
        String text = String.format(format, args);
        report.add(text);
        System.out.println(text);
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
