package org.modelmarket.deploy.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads each service's image tarball (built by -Dmodelmarket.image) the way a runtime would: a non-root user that
 * exists in the image, an exec-form Java entrypoint that sizes its heap from the container limit, port 8080,
 * version and source labels, and the files a read-only root needs (no setuid binaries, a sticky /tmp to mount over).
 */
class ServiceImageTest {

    private static final boolean REQUIRED = Boolean.getBoolean("modelmarket.image.required");

    private static OciImage image(String service) throws IOException {
        Path tarball = Path.of(System.getProperty("modelmarket.home", "../.."))
                .resolve(service)
                .resolve("target/image/" + service + "-image.tar");
        if (!REQUIRED) {
            Assumptions.assumeTrue(Files.exists(tarball), "no image built: run with -Dmodelmarket.image");
        }
        assertThat(tarball)
                .as("image tarball of " + service + " (built by -Dmodelmarket.image)")
                .exists();
        return OciImage.read(tarball);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "catalog-service", "search-service", "artifact-service", "billing-service"})
    void imageRunsTheServiceAsANonRootUserWithAHeapSizedFromTheContainerLimit(String service) throws IOException {
        OciImage image = image(service);
        JsonNode config = image.config.get("config");

        assertThat(config.get("User").asText()).isEqualTo("1001:1001");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        assertThat(entrypoint.getFirst()).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint)
                .contains("-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError")
                .endsWith("-jar", "/app/quarkus-run.jar");
        assertThat(config.get("Cmd")).as("no shell wrapper around the JVM").isNull();
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/app");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();

        JsonNode labels = config.get("Labels");
        assertThat(labels.get("org.opencontainers.image.title").asText()).isEqualTo(service);
        assertThat(labels.get("org.opencontainers.image.version").asText())
                .isEqualTo(System.getProperty("project.version"));
        assertThat(labels.get("org.opencontainers.image.source").asText()).startsWith("https://");
        assertThat(labels.has("org.opencontainers.image.revision")).isTrue();
        assertThat(labels.get("org.modelmarket.base.jdk").asText()).matches("2[1-9].*|[3-9][0-9].*");

        // The user exists, so the JVM can resolve user.home; the runtime and the app are in the file system.
        assertThat(image.file("etc/passwd")).isNotNull();
        OciImage.Entry java = image.file("opt/java/bin/java");
        assertThat(java).isNotNull();
        assertThat(java.mode() & 0111).as("java is executable").isNotZero();
        assertThat(image.file("app/quarkus-run.jar")).isNotNull();
        assertThat(image.file("app/lib/main")).isNotNull();
        assertThat(image.file("lib64/ld-linux-x86-64.so.2")).isNotNull();

        // Read-only root: nothing is writable or setuid; /tmp is where a volume goes.
        assertThat(image.all()).as("the checks below look at every file").hasSizeGreaterThan(300);
        OciImage.Entry tmp = image.file("tmp");
        assertThat(tmp).isNotNull();
        assertThat(tmp.mode() & 01777).isEqualTo(01777);
        assertThat(image.all())
                .filteredOn(e -> (e.mode() & 06000) != 0)
                .as("setuid/setgid files")
                .isEmpty();
        assertThat(image.all())
                .filteredOn(e -> !e.path().equals("tmp") && !e.symlink() && (e.mode() & 0002) != 0)
                .as("world-writable files")
                .isEmpty();
        assertThat(image.all())
                .filteredOn(e -> e.uid() != 0)
                .as("files owned by the runtime user")
                .isEmpty();
        assertThat(image.file("bin/sh")).as("no shell in the image").isNull();

        // Layers from the least to the most often changed: base, libraries, Quarkus, the application.
        assertThat(image.layers).hasSizeGreaterThanOrEqualTo(4);
        assertThat(image.layers.getLast().keySet()).allMatch(p -> p.startsWith("app/app") || p.equals("app"));
    }
}
