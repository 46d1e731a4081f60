package org.modelmarket.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds a JDK 21+ for the engines that need one (Elasticsearch 9 and Keycloak 26 do not run on 17). */
public final class Jdk {

    public static final int MINIMUM = 21;

    private Jdk() {}

    /** The home of a JDK 21+: this JVM's own when it qualifies, else MODELMARKET_JAVA_HOME, JAVA_HOME or one under /usr/lib/jvm. */
    public static Path home() {
        List<Path> candidates = new ArrayList<>();
        if (Runtime.version().feature() >= MINIMUM) {
            candidates.add(Path.of(System.getProperty("java.home")));
        }
        for (String variable : List.of("MODELMARKET_JAVA_HOME", "JAVA_HOME")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                candidates.add(Path.of(value));
            }
        }
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.sorted().forEach(candidates::add);
        } catch (IOException | RuntimeException notThere) {
            // No system JDK folder: only the candidates above remain.
        }
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= MINIMUM)
                .findFirst()
                .orElseThrow(() -> new StackException(
                        "No JDK " + MINIMUM + "+ found for Elasticsearch and Keycloak: install one and set JAVA_HOME"
                                + " (or MODELMARKET_JAVA_HOME) to it"));
    }

    /** The {@code java} launcher of {@link #home()}. */
    public static Path java() {
        return home().resolve("bin/java");
    }

    private static int featureVersion(Path home) {
        Path release = home.resolve("release");
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String feature = version.split("[.+-]")[0];
                    return Integer.parseInt(feature.equals("1") ? version.split("\\.")[1] : feature);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // A folder without a readable release file is not a JDK we can vouch for.
        }
        return 0;
    }
}
