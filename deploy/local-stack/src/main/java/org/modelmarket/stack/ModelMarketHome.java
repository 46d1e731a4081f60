package org.modelmarket.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the ModelMarket checkout, where the build assembled the engines (deploy/engines/NAME/target/engine). */
public final class ModelMarketHome {

    private ModelMarketHome() {}

    /** The checkout root: system property {@code modelmarket.home}, else the nearest parent of the working directory holding deploy/engines. */
    public static Path root() {
        String configured = System.getProperty("modelmarket.home", System.getenv("MODELMARKET_HOME"));
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(root.resolve("deploy/engines"))) {
                return root;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/engines"))) {
                return dir;
            }
        }
        throw new StackException("Cannot find the ModelMarket checkout (no deploy/engines above "
                + Path.of("").toAbsolutePath() + "); set -Dmodelmarket.home=<checkout>");
    }

    /** The assembled engine folder of one engine module, e.g. {@code engine("kafka")}; says how to build it when missing. */
    public static Path engine(String module) {
        Path dir = root().resolve("deploy/engines").resolve(module).resolve("target/engine");
        if (!Files.isDirectory(dir)) {
            throw new StackException("The " + module + " engine is not assembled (" + dir
                    + " is missing): run ./mvnw -pl deploy/engines/" + module + " -am install -DskipTests");
        }
        return dir;
    }
}
