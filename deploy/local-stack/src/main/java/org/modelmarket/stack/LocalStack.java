package org.modelmarket.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jboss.logging.Logger;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.elasticsearch.ElasticsearchEngine;
import org.modelmarket.stack.kafka.KafkaEngine;
import org.modelmarket.stack.keycloak.KeycloakEngine;
import org.modelmarket.stack.postgres.PostgresEngine;
import org.modelmarket.stack.s3.S3Engine;

/**
 * The real engines ModelMarket needs, started on loopback without Docker: PostgreSQL, Kafka, Elasticsearch,
 * Keycloak and (for tests of the S3 blob store) an S3-compatible server, in parallel, each checked ready. If any
 * fails, the others are stopped again before the error surfaces.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalStack.class);
    /** Below this much free disk an engine would fail later with a far less clear error. */
    private static final long MINIMUM_FREE_BYTES = 2L * 1024 * 1024 * 1024;

    private final StackConfig config;
    private final List<Engine> started = new ArrayList<>();
    private PostgresEngine postgres;
    private KafkaEngine kafka;
    private ElasticsearchEngine elasticsearch;
    private KeycloakEngine keycloak;
    private S3Engine s3;

    private LocalStack(StackConfig config) {
        this.config = config;
    }

    /** Starts the engines {@code config} names and returns when all are ready. */
    public static LocalStack start(StackConfig config) {
        LocalStack stack = new LocalStack(config);
        Thread stopOnExit = new Thread(stack::close, "local-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            stack.startEngines();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            throw e;
        }
    }

    private void startEngines() {
        requireDisk(config.dataDir());
        Path data = config.dataDir();
        if (config.has(EngineKind.POSTGRES)) {
            postgres = new PostgresEngine(
                    config.postgresPort(),
                    data.resolve("postgres"),
                    config.cacheDir().resolve("postgres"),
                    config.keepData(),
                    config.databases());
        }
        if (config.has(EngineKind.KAFKA)) {
            kafka = new KafkaEngine(config.kafkaPort(), data.resolve("kafka"), config.heapMb());
        }
        if (config.has(EngineKind.ELASTICSEARCH)) {
            elasticsearch = new ElasticsearchEngine(
                    config.elasticPort(),
                    data.resolve("elasticsearch"),
                    config.heapMb(),
                    !config.keepData()); // kept data = the long-lived local run: C2 as well
        }
        if (config.has(EngineKind.KEYCLOAK)) {
            keycloak = new KeycloakEngine(config.keycloakPort(), data.resolve("keycloak"));
        }
        if (config.has(EngineKind.S3)) {
            s3 = new S3Engine(0, data.resolve("s3"));
        }
        List<Engine> engines = new ArrayList<>();
        for (Engine engine : new Engine[] {postgres, kafka, elasticsearch, keycloak, s3}) {
            if (engine != null) {
                engines.add(engine);
            }
        }
        synchronized (started) {
            started.addAll(engines);
        }
        List<CompletableFuture<Void>> starting = engines.stream()
                .map(engine -> CompletableFuture.runAsync(() -> timed(engine)))
                .toList();
        // Wait for every engine, not just the first failure, so that close() never races an engine still starting.
        RuntimeException failure = null;
        for (CompletableFuture<Void> engine : starting) {
            try {
                engine.join();
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

    private static void timed(Engine engine) {
        long begin = System.nanoTime();
        engine.start();
        LOG.infof("%s ready in %.1f s", engine.name(), (System.nanoTime() - begin) / 1e9);
    }

    private static void requireDisk(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < MINIMUM_FREE_BYTES) {
                throw new StackException("Only " + free / (1024 * 1024) + " MiB free on the disk of " + dataDir
                        + "; the engines need at least 2 GiB: free some space or choose another data folder");
            }
        } catch (IOException e) {
            throw new StackException("Cannot use the data folder " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public StackConfig config() {
        return config;
    }

    /** The engines started and not yet stopped, in start order. */
    public List<Engine> engines() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    public PostgresEngine postgres() {
        return require(postgres, "postgres");
    }

    public KafkaEngine kafka() {
        return require(kafka, "kafka");
    }

    public ElasticsearchEngine elasticsearch() {
        return require(elasticsearch, "elasticsearch");
    }

    public KeycloakEngine keycloak() {
        return require(keycloak, "keycloak");
    }

    public S3Engine s3() {
        return require(s3, "s3");
    }

    private static <T> T require(T engine, String name) {
        if (engine == null) {
            throw new IllegalStateException("The " + name + " engine was not part of this stack");
        }
        return engine;
    }

    /** Stops every engine that was started, in reverse order; idempotent. */
    @Override
    public void close() {
        List<Engine> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            try {
                toStop.get(i).close();
            } catch (RuntimeException e) {
                LOG.warnf("Stopping %s failed: %s", toStop.get(i).name(), e.getMessage());
            }
        }
    }
}
