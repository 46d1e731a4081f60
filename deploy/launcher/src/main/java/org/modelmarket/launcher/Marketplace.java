package org.modelmarket.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

import org.jboss.logging.Logger;
import org.modelmarket.stack.ChildProcess;
import org.modelmarket.stack.Http;
import org.modelmarket.stack.Jdk;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.ModelMarketHome;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.RunRecord;
import org.modelmarket.stack.StackException;

/**
 * The whole marketplace on one machine: the local stack's engines, then the five packaged services as child JVMs
 * wired to them, then demo data. {@link #main} is what {@code deploy/run.sh} runs; tests use {@link #start}.
 * <p>
 * A run owns its data folder through a {@link RunRecord}: a second run on the folder is refused before it touches
 * anything, what a run that died left running is stopped first, and every process started is recorded. Every child
 * stops by itself when this JVM is gone, however it died (see {@code Watchdog} in the local stack).
 */
public final class Marketplace implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Marketplace.class);

    private final MarketplaceConfig config;
    private final Map<ServiceApp, Integer> ports = new EnumMap<>(ServiceApp.class);
    private final List<ChildProcess> services = new ArrayList<>();
    /**
     * The key the gateway signs the JWTs it forwards for API tokens with, made for this run (those JWTs live a
     * minute, and every service restarts with the launcher); the services get the public half.
     */
    private final java.security.KeyPair gatewayKeys = gatewayKeys();

    private RunRecord record;
    private LocalStack stack;

    private Marketplace(MarketplaceConfig config) {
        this.config = config;
    }

    /** Starts engines and services and returns when the gateway is ready (and demo data loaded, if asked). */
    public static Marketplace start(MarketplaceConfig config) {
        Marketplace marketplace = new Marketplace(config);
        try {
            marketplace.boot();
            return marketplace;
        } catch (RuntimeException e) {
            marketplace.close();
            throw e;
        }
    }

    private void boot() {
        // First the folder's lock, so that a second run stops here having touched nothing; then what a run that died
        // left running goes, so that its ports and data are free again.
        record = RunRecord.open(dataDir());
        record.stopLeftovers().ifPresent(LOG::info);
        for (ServiceApp app : ServiceApp.values()) {
            ports.put(app, Ports.claim(config.servicePorts().get(app), app.module));
        }
        record.begin(gatewayUrl());
        for (ServiceApp app : ServiceApp.values()) {
            Path jar = quarkusRunJar(app);
            if (!Files.isRegularFile(jar)) {
                throw new StackException(
                        app.module + " is not packaged (" + jar + " is missing): run ./mvnw package -DskipTests first");
            }
        }
        long begin = System.nanoTime();
        stack = LocalStack.start(config.stack());
        stack.engines().forEach(engine -> record.add(engine.name(), engine.processes(), engine.ports()));
        LOG.infof("engines ready in %.1f s", seconds(begin));

        long servicesBegin = System.nanoTime();
        List<ServiceApp> backends = ServiceApp.START_ORDER.subList(0, ServiceApp.START_ORDER.size() - 1);
        List<CompletableFuture<Void>> starting = backends.stream()
                .map(app -> CompletableFuture.runAsync(() -> startService(app)))
                .toList();
        joinAll(starting);
        startService(ServiceApp.GATEWAY);
        LOG.infof("services ready in %.1f s", seconds(servicesBegin));

        if (config.loadDemoData()) {
            long demoBegin = System.nanoTime();
            int created = new DemoData(gatewayUrl(), stack.keycloak()).load();
            LOG.infof("demo data: %d listings created in %.1f s", created, seconds(demoBegin));
        }
        if (config.warmUp().isPositive()) {
            // before the run reports ready: the first users should meet JIT-compiled read paths (Warmup)
            Warmup.run(url(ServiceApp.CATALOG), url(ServiceApp.SEARCH), config.warmUp(), config.loadDemoData());
        }
        record.ready();
    }

    private static void joinAll(List<CompletableFuture<Void>> futures) {
        RuntimeException failure = null;
        for (CompletableFuture<Void> future : futures) {
            try {
                future.join();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime
                            ? runtime
                            : new StackException(e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void startService(ServiceApp app) {
        List<String> command = new ArrayList<>(List.of(
                Jdk.java().toString(),
                // measured by deploy/bench/gc-flags.sh against -Xms32m and SerialGC: far fewer young collections,
                // lower p99 and CPU per request on the hot reads (deploy/README.md)
                "-Xms128m",
                "-Xmx" + config.serviceHeapMb() + "m",
                "-XX:+UseParallelGC",
                "-Djava.io.tmpdir=" + dataDir().resolve("tmp")));
        serviceProperties(app).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(quarkusRunJar(app).toString());
        ChildProcess process = ChildProcess.start(
                app.module,
                command,
                dataDir(),
                Map.of(),
                dataDir().resolve("logs").resolve(app.module + ".log"));
        synchronized (services) {
            services.add(process);
        }
        record.add(app.module, process.processTree(), List.of(ports.get(app)));
        long begin = System.nanoTime();
        process.awaitReady(Duration.ofSeconds(120), () -> Http.status(url(app) + "/q/health/ready") == 200);
        LOG.infof("%s ready on %s in %.1f s", app.module, url(app), seconds(begin));
    }

    /** The configuration each service gets on its command line, pointing it at this stack's engines and its peers. */
    private Map<String, String> serviceProperties(ServiceApp app) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("quarkus.http.host", Ports.LOOPBACK);
        properties.put("quarkus.http.port", String.valueOf(ports.get(app)));
        properties.put("quarkus.oidc.auth-server-url", stack.keycloak().realmUrl());
        properties.put("quarkus.log.console.enable", "true");
        properties.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        properties.put(
                "modelmarket.gateway-tokens.public-key",
                base64(gatewayKeys.getPublic().getEncoded()));
        if (app.database != null) {
            properties.put("quarkus.datasource.reactive.url", stack.postgres().reactiveUrl(app.database));
            properties.put("quarkus.datasource.jdbc.url", stack.postgres().jdbcUrl(app.database));
            properties.put("quarkus.datasource.username", app.database);
            properties.put("quarkus.datasource.password", app.database);
        }
        switch (app) {
            case SEARCH ->
                properties.put(
                        "quarkus.elasticsearch.hosts", stack.elasticsearch().hostAndPort());
            case ARTIFACT -> {
                properties.put(
                        "modelmarket.artifact.blob.filesystem.root",
                        dataDir().resolve("blobs").toString());
                // Links in refusals name the gateway, wherever its port is (--free-ports).
                properties.put("modelmarket.artifact.access.public-url", url(ServiceApp.GATEWAY));
                // Downloads through the gateway are redirected here (the gateway's redirect mode, below): the bytes
                // leave artifact-service by sendfile, as the chart's ingress rule for /api/v1/signed/ does.
                properties.put("modelmarket.artifact.signing.base-url", url(ServiceApp.ARTIFACT));
            }
            case GATEWAY -> {
                properties.put("quarkus.rest-client.catalog.url", url(ServiceApp.CATALOG));
                properties.put("quarkus.rest-client.search.url", url(ServiceApp.SEARCH));
                properties.put("quarkus.rest-client.artifact.url", url(ServiceApp.ARTIFACT));
                properties.put("quarkus.rest-client.billing.url", url(ServiceApp.BILLING));
                properties.put("modelmarket.gateway.files.download", "redirect");
                properties.put(
                        "modelmarket.gateway.tokens.signing-key",
                        base64(gatewayKeys.getPrivate().getEncoded()));
            }
            default -> {}
        }
        properties.putAll(config.serviceProperties().getOrDefault(app, Map.of()));
        return properties;
    }

    private static java.security.KeyPair gatewayKeys() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is always available", e);
        }
    }

    private static String base64(byte[] bytes) {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    private Path quarkusRunJar(ServiceApp app) {
        return ModelMarketHome.root().resolve(app.module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Path dataDir() {
        return config.stack().dataDir();
    }

    public String url(ServiceApp app) {
        return "http://" + Ports.LOOPBACK + ":" + ports.get(app);
    }

    public String gatewayUrl() {
        return url(ServiceApp.GATEWAY);
    }

    public int port(ServiceApp app) {
        return ports.get(app);
    }

    public LocalStack stack() {
        return stack;
    }

    /** Stops the services (gateway first), then the engines; idempotent. */
    @Override
    public void close() {
        List<ChildProcess> running;
        synchronized (services) {
            running = new ArrayList<>(services);
            services.clear();
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (stack != null) {
            stack.close();
            stack = null;
        }
        if (record != null) {
            record.close();
            record = null;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /**
     * Runs the local marketplace until Ctrl-C. Options: {@code --data-dir DIR}, {@code --no-demo-data}, {@code --free-ports}
     * (every port picked free, e.g. beside another run), {@code --warm-up SECONDS} (warm-up reads before ready,
     * default 0: none), {@code --check} (exit 1 if a run holds the data folder, else 0;
     * starts nothing). Exits 1, with one line saying why, when it cannot start.
     */
    public static void main(String[] args) throws InterruptedException {
        Path dataDir = ModelMarketHome.root().resolve(".modelmarket");
        boolean demo = true;
        boolean freePorts = false;
        boolean checkOnly = false;
        Duration warmUp = MarketplaceConfig.LOCAL_WARM_UP;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--no-demo-data" -> demo = false;
                case "--free-ports" -> freePorts = true;
                case "--check" -> checkOnly = true;
                case "--warm-up" -> warmUp = Duration.ofSeconds(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("Unknown option " + args[i]
                            + "; options: --data-dir DIR, --no-demo-data, --free-ports, --warm-up SECONDS, --check");
                    System.exit(2);
                }
            }
        }
        MarketplaceConfig base =
                MarketplaceConfig.local(dataDir.toAbsolutePath().normalize());
        if (freePorts) {
            base = base.withFreePorts();
        }
        MarketplaceConfig config = new MarketplaceConfig(
                base.stack(), base.servicePorts(), demo, base.serviceHeapMb(), base.serviceProperties(), warmUp);
        long begin = System.nanoTime();
        Marketplace marketplace;
        try {
            if (checkOnly) {
                RunRecord.requireNotRunning(config.stack().dataDir());
                System.exit(0);
            }
            marketplace = start(config);
        } catch (RunRecord.AlreadyRunningException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (StackException e) {
            System.err.println("ModelMarket did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping ModelMarket...");
                            marketplace.close();
                            stopped.countDown();
                        },
                        "marketplace-stop"));
        System.out.printf(
                """

                ModelMarket is running (ready in %.0f s). Ctrl-C stops everything.

                  Gateway (REST /api/v1, gRPC marketplace.v1)  %s
                  Swagger UI                                   %s/q/swagger-ui
                  Search                                       %s/api/v1/search?q=bert
                  Free weights                                 %s/api/v1/listings/acme/whisper-small/files/model.safetensors
                  Paid weights (401, then 402 with bob's token) %s/api/v1/listings/nimbus/callcenter-asr-pro/files/model.safetensors
                  Keycloak (realm modelmarket)                 %s   (admin console: admin / admin)

                  Demo logins (user / password):  alice / alice (vendor), bob / bob (buyer), admin / admin (admin)
                  A token:  curl -s -d grant_type=password -d client_id=modelmarket-web -d username=alice -d password=alice \\
                              %s/protocol/openid-connect/token
                  Data and logs: %s

                """,
                seconds(begin),
                marketplace.gatewayUrl(),
                marketplace.gatewayUrl(),
                marketplace.gatewayUrl(),
                marketplace.gatewayUrl(),
                marketplace.gatewayUrl(),
                marketplace.stack().keycloak().url(),
                marketplace.stack().keycloak().realmUrl(),
                config.stack().dataDir());
        stopped.await();
    }
}
