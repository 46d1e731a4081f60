package org.modelmarket.stack.test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.StackConfig;
import org.modelmarket.stack.StackConfig.EngineKind;
import org.modelmarket.stack.s3.S3Engine;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the engines a service's {@code @QuarkusTest}s need (init arg {@code engines}: any of postgres, kafka,
 * elasticsearch, keycloak, s3; {@code database}: the service's PostgreSQL database) and points Quarkus at them.
 * Declared once per module without restriction, Quarkus starts it once per test run; the engines live until
 * the test JVM exits, so a restart of Quarkus for another test profile reuses them.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, LocalStack> STACKS = new HashMap<>();

    private Set<EngineKind> engines = EnumSet.noneOf(EngineKind.class);
    private String database;
    private LocalStack stack;

    @Override
    public void init(Map<String, String> initArgs) {
        engines = EnumSet.noneOf(EngineKind.class);
        Arrays.stream(initArgs.getOrDefault("engines", "").split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .map(name -> EngineKind.valueOf(name.toUpperCase(Locale.ROOT)))
                .forEach(engines::add);
        database = initArgs.get("database");
    }

    @Override
    public Map<String, String> start() {
        stack = shared(engines, database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.devservices.enabled", "false");
        config.put("quarkus.oidc.public-key", TestTokens.publicKey());
        config.put("quarkus.oidc.token.issuer", TestTokens.ISSUER);
        // API tokens: the gateway signs the JWTs it forwards with this run's key; the services accept a set of two
        // keys (its public half and a second key, as during a rotation), picked by the JWT's kid.
        config.put("modelmarket.gateway.tokens.issuer", TestTokens.GATEWAY_ISSUER);
        config.put("modelmarket.gateway.tokens.signing-key", TestTokens.gatewaySigningKey());
        config.put("modelmarket.gateway-tokens.issuer", TestTokens.GATEWAY_ISSUER);
        config.put("modelmarket.gateway-tokens.public-keys", TestTokens.gatewayPublicKeys());
        if (engines.contains(EngineKind.POSTGRES)) {
            config.put("quarkus.datasource.reactive.url", stack.postgres().reactiveUrl(database));
            config.put("quarkus.datasource.jdbc.url", stack.postgres().jdbcUrl(database));
            config.put("quarkus.datasource.username", database);
            config.put("quarkus.datasource.password", database);
        }
        if (engines.contains(EngineKind.KAFKA)) {
            config.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
        }
        if (engines.contains(EngineKind.ELASTICSEARCH)) {
            config.put("quarkus.elasticsearch.hosts", stack.elasticsearch().hostAndPort());
        }
        if (engines.contains(EngineKind.S3)) {
            // artifact-service's S3 adapter (its blob store stays the filesystem unless a test selects s3); path-style,
            // since the bucket is no DNS name here.
            String s3 = "modelmarket.artifact.blob.s3.";
            config.put(s3 + "endpoint", stack.s3().endpoint());
            config.put(s3 + "path-style-access", "true");
            config.put(s3 + "region", S3Engine.REGION);
            config.put(s3 + "bucket", S3Engine.BUCKET);
            config.put(s3 + "access-key-id", S3Engine.ACCESS_KEY_ID);
            config.put(s3 + "secret-access-key", S3Engine.SECRET_ACCESS_KEY);
        }
        return config;
    }

    private static synchronized LocalStack shared(Set<EngineKind> engines, String database) {
        String key = engines + "/" + database;
        return STACKS.computeIfAbsent(key, ignored -> {
            Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "local-stack-" + UUID.randomUUID());
            List<String> databases = database == null ? List.of() : List.of(database);
            return LocalStack.start(StackConfig.forTests(engines, dataDir, databases));
        });
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                stack, new TestInjector.AnnotatedAndMatchesType(InjectLocalStack.class, LocalStack.class));
    }

    @Override
    public void stop() {
        // The engines outlive this Quarkus instance on purpose (see class comment); LocalStack's shutdown hook stops
        // them.
    }
}
