package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.modelmarket.stack.keycloak.KeycloakEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Starts a real Keycloak with the modelmarket realm in a throwaway folder and checks the tokens the services will validate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path workDir;
    private KeycloakEngine keycloak;

    @BeforeAll
    void start() throws Exception {
        // Under target/ so that `clean` removes the throwaway database.
        Files.createDirectories(Path.of("target"));
        workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "keycloak-test-");
        keycloak = startTimed(workDir, "start");
    }

    @AfterAll
    void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void passwordGrantTokenCarriesIssuerRolesAndUsername() throws Exception {
        JsonNode claims = payload(keycloak.passwordToken("modelmarket-web", "alice", "alice"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.realmUrl());
        assertThat(claims.path("preferred_username").asText()).isEqualTo("alice");
        assertThat(texts(claims.path("realm_access").path("roles")))
                .contains("vendor", "buyer")
                .doesNotContain("admin");
        // The services are named as audience, so a service may opt in to quarkus.oidc.token.audience=<its client id>.
        assertThat(texts(claims.path("aud")))
                .contains("gateway", "catalog-service", "search-service", "artifact-service", "billing-service");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1800);
    }

    @Test
    @Order(2)
    void plainUsersHaveOnlyTheDefaultBuyerRoleAndAdminsHaveAll() throws Exception {
        assertThat(roles(keycloak.passwordToken("modelmarket-web", "bob", "bob")))
                .contains("buyer")
                .doesNotContain("vendor", "admin");
        assertThat(roles(keycloak.passwordToken("modelmarket-web", "admin", "admin")))
                .contains("buyer", "vendor", "admin");
        assertThat(roles(keycloak.passwordToken("modelmarket-web", "acme", "acme")))
                .contains("vendor")
                .doesNotContain("admin");
    }

    @Test
    @Order(3)
    void clientCredentialsTokenForAService() throws Exception {
        JsonNode claims = payload(keycloak.clientCredentialsToken("gateway", "gateway-secret"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.realmUrl());
        assertThat(claims.path("azp").asText()).isEqualTo("gateway");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("service-account-gateway");
        assertThat(payload(keycloak.clientCredentialsToken("billing-service", "billing-service-secret"))
                        .path("azp")
                        .asText())
                .isEqualTo("billing-service");
    }

    @Test
    @Order(4)
    void wrongPasswordOrSecretIsAClearFailure() {
        assertThatThrownBy(() -> keycloak.passwordToken("modelmarket-web", "alice", "wrong"))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("invalid_grant");
        assertThatThrownBy(() -> keycloak.clientCredentialsToken("gateway", "wrong"))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("unauthorized_client");
    }

    @Test
    @Order(5)
    void restartKeepsTheDataAndSkipsTheExistingRealm() throws Exception {
        String aliceBefore = payload(keycloak.passwordToken("modelmarket-web", "alice", "alice"))
                .path("sub")
                .asText();
        closeAndCheckNothingRemains();

        keycloak = startTimed(workDir, "restart");

        // Ids are generated on import: the same sub proves the database survived rather than being re-imported.
        assertThat(payload(keycloak.passwordToken("modelmarket-web", "alice", "alice"))
                        .path("sub")
                        .asText())
                .isEqualTo(aliceBefore);
        assertThat(Files.readString(workDir.resolve("keycloak.log"))).contains("already exists");
    }

    @Test
    @Order(6)
    void closeLeavesNoProcessAndNoPort() {
        closeAndCheckNothingRemains();
        keycloak.close(); // a second close is harmless
    }

    private void closeAndCheckNothingRemains() {
        List<ProcessHandle> tree = tree(keycloak);
        // kc.sh waits for its JVM, or becomes it (exec) after the first start's rebuild: either way a java runs in the
        // tree.
        assertThat(tree).as("kc.sh and its JVM").anyMatch(KeycloakEngineTest::isJava);

        keycloak.close();

        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(Ports.inUse(keycloak.port())).as("HTTP port").isFalse();
        assertThat(Ports.inUse(keycloak.managementPort())).as("management port").isFalse();
    }

    private static KeycloakEngine startTimed(Path dir, String what) {
        KeycloakEngine engine = new KeycloakEngine(0, dir);
        long started = System.nanoTime();
        engine.start();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("Keycloak %s: ready in %d ms on %s, RSS %s%n", what, millis, engine.url(), rss(engine));
        return engine;
    }

    /** The resident memory of Keycloak's JVM, for the record in the build output. */
    private static String rss(KeycloakEngine engine) {
        return tree(engine).stream()
                .filter(KeycloakEngineTest::isJava)
                .findFirst()
                .map(java -> {
                    try {
                        return Files.readAllLines(Path.of("/proc", Long.toString(java.pid()), "status")).stream()
                                .filter(line -> line.startsWith("VmRSS:"))
                                .findFirst()
                                .orElse("?")
                                .replaceAll("\\s+", " ");
                    } catch (Exception unreadable) {
                        return "?";
                    }
                })
                .orElse("?");
    }

    private static List<ProcessHandle> tree(KeycloakEngine engine) {
        ProcessHandle root = ProcessHandle.of(engine.pid()).orElseThrow();
        List<ProcessHandle> all = new java.util.ArrayList<>(List.of(root));
        all.addAll(root.descendants().toList());
        return all;
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info()
                .command()
                .map(command -> command.endsWith("/java"))
                .orElse(false);
    }

    private static List<String> roles(String jwt) throws Exception {
        return texts(payload(jwt).path("realm_access").path("roles"));
    }

    private static JsonNode payload(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> texts = new java.util.ArrayList<>();
        node.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
