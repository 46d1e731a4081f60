package org.modelmarket.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    /**
     * How long a service may take to be ready: catalog-service took 124 s to start (Quarkus' own "started in") on the
     * shared 2-core machine at load 25-30, past the 120 s this was before.
     */
    private static final Duration READY_LIMIT = Duration.ofSeconds(300);
    /** The services whose cold start the AOT cache is for: the read paths users meet first. */
    private static final List<ServiceApp> AOT_SERVICES = List.of(ServiceApp.CATALOG, ServiceApp.SEARCH);
    /** The training instances' load: the launcher's warm-up reads for this long. */
    private static final Duration AOT_TRAINING = Duration.ofSeconds(20);
    /** How long a training JVM may take to exit and write its cache. */
    private static final Duration AOT_WRITE_LIMIT = Duration.ofMinutes(5);

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
            DemoData.Loaded loaded = new DemoData(gatewayUrl(), stack.keycloak()).load();
            LOG.infof(
                    "demo data: %d listings created, %d priced in %.1f s",
                    loaded.listings(), loaded.pricings(), seconds(demoBegin));
        }
        if (config.aotCache()) {
            trainAotCaches();
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
        // a cache that is not trained yet is trained by an instance of its own (trainAotCaches), never by this one
        List<String> aot =
                aotCache(app).filter(AotCache::present).map(AotCache::flags).orElse(List.of());
        ChildProcess process = startJvm(app, app.module, ports.get(app), aot);
        synchronized (services) {
            services.add(process);
        }
        long begin = System.nanoTime();
        process.awaitReady(READY_LIMIT, () -> Http.status(url(app) + "/q/health/ready") == 200);
        LOG.infof(
                "%s ready on %s in %.1f s%s",
                app.module, url(app), seconds(begin), aot.isEmpty() ? "" : " (AOT cache)");
    }

    /** Starts {@code app}'s packaged service as {@code name} on {@code port} with the launcher's JVM flags plus {@code extraFlags}. */
    private ChildProcess startJvm(ServiceApp app, String name, int port, List<String> extraFlags) {
        List<String> command = new ArrayList<>();
        command.add(Jdk.java().toString());
        command.addAll(jvmFlags());
        command.addAll(extraFlags);
        command.add("-Djava.io.tmpdir=" + dataDir().resolve("tmp"));
        Map<String, String> properties = serviceProperties(app);
        properties.put("quarkus.http.port", String.valueOf(port));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(quarkusRunJar(app).toString());
        ChildProcess process = ChildProcess.start(
                name, command, dataDir(), Map.of(), dataDir().resolve("logs").resolve(name + ".log"));
        record.add(name, process.processTree(), List.of(port));
        return process;
    }

    /**
     * The services' JVM flags (measured by deploy/bench/gc-flags.sh against -Xms32m and SerialGC: far fewer young
     * collections, lower p99 and CPU per request on the hot reads, deploy/README.md); part of the AOT cache's key.
     */
    private List<String> jvmFlags() {
        return List.of("-Xms128m", "-Xmx" + config.serviceHeapMb() + "m", "-XX:+UseParallelGC");
    }

    /**
     * The AOT cache of a read-path service (catalog-service, search-service) when the run keeps them and the JDK has
     * them; the others start as before.
     */
    private Optional<AotCache> aotCache(ServiceApp app) {
        if (!config.aotCache() || !AOT_SERVICES.contains(app)) {
            return Optional.empty();
        }
        return AotCache.of(
                dataDir().resolve("aot"), app.module, quarkusRunJar(app).getParent(), jvmFlags(), Jdk.home());
    }

    /**
     * Trains the AOT caches the read-path services do not have yet (the first run after a build): one extra instance
     * of each, on a free port against the same engines, gets the launcher's warm-up reads, then a graceful stop that
     * waits while the JVM writes its cache (JDK 25 assembles it in a child JVM as it exits: 139 s for catalog-service's
     * 142 MB cache at load 23 on the shared 2-core machine, far longer than the watchdog's 10 s grace for an ordinary
     * stop). The next run starts the services with the caches.
     */
    private void trainAotCaches() {
        Map<ServiceApp, AotCache> missing = new EnumMap<>(ServiceApp.class);
        for (ServiceApp app : AOT_SERVICES) {
            aotCache(app).filter(cache -> !cache.present()).ifPresent(cache -> missing.put(app, cache));
        }
        if (missing.isEmpty()) {
            return;
        }
        long begin = System.nanoTime();
        Map<ServiceApp, ChildProcess> trainees = new EnumMap<>(ServiceApp.class);
        Map<ServiceApp, String> urls = new EnumMap<>(ServiceApp.class);
        try {
            for (Map.Entry<ServiceApp, AotCache> entry : missing.entrySet()) {
                ServiceApp app = entry.getKey();
                int port = Ports.free();
                trainees.put(
                        app,
                        startJvm(
                                app,
                                app.module + "-aot-training",
                                port,
                                entry.getValue().flags()));
                urls.put(app, "http://" + Ports.LOOPBACK + ":" + port);
            }
            trainees.forEach((app, process) ->
                    process.awaitReady(READY_LIMIT, () -> Http.status(urls.get(app) + "/q/health/ready") == 200));
            Warmup.run(
                    urls.getOrDefault(ServiceApp.CATALOG, url(ServiceApp.CATALOG)),
                    urls.getOrDefault(ServiceApp.SEARCH, url(ServiceApp.SEARCH)),
                    AOT_TRAINING,
                    config.loadDemoData());
            trainees.values().forEach(process -> ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy));
            for (Map.Entry<ServiceApp, ChildProcess> entry : trainees.entrySet()) {
                // a JVM still writing when the limit is up is killed below: its file is half a cache, never kept
                boolean exited = awaitExit(entry.getValue(), AOT_WRITE_LIMIT);
                AotCache cache = missing.get(entry.getKey());
                LOG.infof(
                        exited && cache.keepTraining()
                                ? "%s: AOT cache trained (%s), used from the next run on"
                                : "%s: the training JVM wrote no AOT cache (%s); the next run trains again",
                        entry.getKey().module,
                        cache.file());
            }
        } catch (RuntimeException e) {
            // a cache is an optimisation: the run goes on without it
            LOG.warnf("AOT cache training failed, the services run without a cache: %s", e.getMessage());
        } finally {
            trainees.values().forEach(ChildProcess::close);
        }
        LOG.infof("AOT training took %.1f s", seconds(begin));
    }

    /** Whether the process exited within {@code limit}. */
    private static boolean awaitExit(ChildProcess process, Duration limit) {
        try {
            ProcessHandle.of(process.pid())
                    .ifPresent(handle -> handle.onExit()
                            .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
                            .join());
            return true;
        } catch (CompletionException e) {
            LOG.warnf("%s did not exit within %s after SIGTERM", process.log().getFileName(), limit);
            return false;
        }
    }

    /** The configuration each service gets on its command line, pointing it at this stack's engines and its peers. */
    private Map<String, String> serviceProperties(ServiceApp app) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("quarkus.http.host", Ports.LOOPBACK);
        properties.put("quarkus.http.port", String.valueOf(ports.get(app)));
        properties.put("quarkus.oidc.auth-server-url", stack.keycloak().realmUrl());
        properties.put("quarkus.log.console.enable", "true");
        properties.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        // The services' set of the gateway's keys: this run's one pair (a rotation is for long-lived installs).
        properties.put(
                "modelmarket.gateway-tokens.public-keys",
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
     * default 0: none), {@code --aot-cache} / {@code --no-aot-cache} (AotCache for the read-path services on a JDK 25+;
     * default {@link MarketplaceConfig#LOCAL_AOT_CACHE}), {@code --check} (exit 1 if a run holds the data folder, else 0;
     * starts nothing). Exits 1, with one line saying why, when it cannot start.
     */
    public static void main(String[] args) throws InterruptedException {
        Path dataDir = ModelMarketHome.root().resolve(".modelmarket");
        boolean demo = true;
        boolean freePorts = false;
        boolean checkOnly = false;
        Duration warmUp = MarketplaceConfig.LOCAL_WARM_UP;
        boolean aotCache = MarketplaceConfig.LOCAL_AOT_CACHE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--no-demo-data" -> demo = false;
                case "--free-ports" -> freePorts = true;
                case "--check" -> checkOnly = true;
                case "--warm-up" -> warmUp = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--aot-cache" -> aotCache = true;
                case "--no-aot-cache" -> aotCache = false;
                default -> {
                    System.err.println("Unknown option " + args[i]
                            + "; options: --data-dir DIR, --no-demo-data, --free-ports, --warm-up SECONDS, --[no-]aot-cache,"
                            + " --check");
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
                base.stack(),
                base.servicePorts(),
                demo,
                base.serviceHeapMb(),
                base.serviceProperties(),
                warmUp,
                aotCache);
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
                  Subscribe (bob's token; then it downloads)    POST %s/api/v1/subscriptions
                      {"listing":"nimbus/callcenter-asr-pro","plan":"monthly","termsVersion":"1"}
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
                marketplace.gatewayUrl(),
                marketplace.stack().keycloak().url(),
                marketplace.stack().keycloak().realmUrl(),
                config.stack().dataDir());
        stopped.await();
    }
}
