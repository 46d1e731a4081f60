package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** helm lint --strict (with the values schema) on the chart, and the schema refusing bad values. */
class HelmLintTest {

    @Test
    void chartLintsStrictlyWithItsDefaultValues() {
        LintResult result = new Helm(Chart.dir()).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void chartLintsStrictlyWithTheProductionValues() throws IOException {
        // helm-java's lint takes no values file: lint a copy whose values.yaml is the defaults merged with production.
        Path copy = copyChart("lint-production");
        Map<String, Object> merged = Values.merge(
                Chart.loadYaml(Chart.dir().resolve("values.yaml")), Chart.loadYaml(Chart.productionValues()));
        Files.writeString(copy.resolve("values.yaml"), Chart.yaml().dump(merged));
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
    }

    @Test
    void lintFailsOnABrokenTemplate() throws IOException {
        Path copy = copyChart("lint-broken");
        Files.writeString(
                copy.resolve("templates/broken.yaml"), "kind: ConfigMap\nname: {{ .Values.nothing | ports }}\n");
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("function \"ports\" not defined");
    }

    @Test
    void valuesSchemaRefusesWrongTypesUnknownKeysAndBadEnums() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("serviceDefaults.replicas", "two")))
                .hasMessageContaining("/serviceDefaults/replicas")
                .hasMessageContaining("want integer");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("services.gateway.replica", "3")))
                .hasMessageContaining("replica");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("postgresql.sslMode", "verify-everything")))
                .hasMessageContaining("/postgresql/sslMode");
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("services.search-service.resources.limits.memory", "")))
                .hasMessageContaining("memory");
    }

    @Test
    void aSecondReplicaOnAReadWriteOnceBlobVolumeIsRefused() {
        assertThatThrownBy(() -> Chart.render(List.of(), Map.of("services.artifact-service.replicas", 3)))
                .hasMessageContaining("ReadWriteOnce blob volume holds one replica only");
    }

    private static Path copyChart(String name) throws IOException {
        Path target =
                Path.of(System.getProperty("java.io.tmpdir")).resolve(name).resolve("modelmarket");
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(Chart.dir())) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(Chart.dir().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy); // follows the realm symlink: the copy holds the file itself
                }
            }
        }
        return target;
    }
}
