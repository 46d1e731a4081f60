package org.modelmarket.stack;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link LocalStack} starts and where: the engines, their ports (0 = a free one), the data folder and
 * whether data survives a restart.
 *
 * @param engines        the engines to start
 * @param dataDir        one sub-folder per engine is made below it
 * @param keepData       true for the local run (a restart keeps listings), false for throwaway test data
 * @param cacheDir       unpacked binaries (PostgreSQL, Keycloak) that survive {@code mvn clean}
 * @param databases      PostgreSQL databases, each with a login of the same name
 * @param postgresPort   0 for a free port
 * @param kafkaPort      0 for a free port
 * @param elasticPort    0 for a free port
 * @param keycloakPort   0 for a free port
 * @param heapMb         heap of each engine JVM (Kafka, Elasticsearch)
 */
public record StackConfig(
        Set<EngineKind> engines,
        Path dataDir,
        boolean keepData,
        Path cacheDir,
        List<String> databases,
        int postgresPort,
        int kafkaPort,
        int elasticPort,
        int keycloakPort,
        int heapMb) {

    /** The engines a stack can run. */
    public enum EngineKind {
        POSTGRES,
        KAFKA,
        ELASTICSEARCH,
        KEYCLOAK,
        /** An S3-compatible server (S3Proxy); only tests start it: the local run keeps blobs on the filesystem. */
        S3
    }

    /** The databases of the services that keep state in PostgreSQL. */
    public static final List<String> SERVICE_DATABASES = List.of("catalog", "artifact", "billing", "gateway");

    /** Random ports and throwaway data under {@code dataDir}, for tests. */
    public static StackConfig forTests(Set<EngineKind> engines, Path dataDir, List<String> databases) {
        return new StackConfig(
                engines.isEmpty() ? Set.of() : EnumSet.copyOf(engines),
                dataDir,
                false,
                defaultCache(),
                databases,
                0,
                0,
                0,
                0,
                256);
    }

    /** Every engine the services need on its documented port with persistent data, for the local marketplace. */
    public static StackConfig local(Path dataDir) {
        return new StackConfig(
                EnumSet.of(EngineKind.POSTGRES, EngineKind.KAFKA, EngineKind.ELASTICSEARCH, EngineKind.KEYCLOAK),
                dataDir,
                true,
                defaultCache(),
                SERVICE_DATABASES,
                15432,
                19092,
                19200,
                18080,
                512);
    }

    /** {@code $MODELMARKET_CACHE}, else {@code ~/.cache/modelmarket}. */
    public static Path defaultCache() {
        String configured = System.getenv("MODELMARKET_CACHE");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "modelmarket");
    }

    public boolean has(EngineKind kind) {
        return engines.contains(kind);
    }
}
