package org.modelmarket.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One service's JDK AOT cache (JEP 483, 514, 515: classes loaded and linked ahead of time, and method profiles), kept
 * in the run's data folder and trained by the launcher's own first run. Its file name carries a digest of the
 * service's packaged files (their contents), its JVM flags and the JDK, so a rebuilt service or another JDK starts a
 * new training instead of meeting a stale cache: JDK 25 does not notice a rebuilt jar by itself (tried: it served a
 * class from the cache after the jar on the class path had changed).
 */
final class AotCache {

    /** The first JDK with one-step training ({@code -XX:AOTCacheOutput}) and method profiles in the cache. */
    static final int MINIMUM_JDK = 25;

    private final Path file;
    private final Path training;

    private AotCache(Path file) {
        this.file = file;
        this.training = file.resolveSibling(file.getFileName() + ".training");
    }

    /**
     * The cache of {@code module} (packaged in {@code appDir}, started with {@code jvmFlags} by the JDK at
     * {@code javaHome}) in {@code cacheDir}; empty on a JDK older than {@link #MINIMUM_JDK}.
     */
    static Optional<AotCache> of(Path cacheDir, String module, Path appDir, List<String> jvmFlags, Path javaHome) {
        if (jdkFeature(javaHome) < MINIMUM_JDK) {
            return Optional.empty();
        }
        try {
            // the JVM does not create it: without it the training JVM runs, then fails to write ("Unable to create
            // AOT configuration file ... No such file or directory")
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + cacheDir, e);
        }
        return Optional.of(new AotCache(cacheDir.resolve(module + "-" + key(appDir, jvmFlags, javaHome) + ".aot")));
    }

    /**
     * A digest of what the cache depends on: the JDK's {@code release} file, the JVM flags in order, and every file
     * of the packaged service (relative path and content), in path order.
     */
    static String key(Path appDir, List<String> jvmFlags, Path javaHome) {
        MessageDigest digest = sha256();
        try {
            digest.update(Files.readAllBytes(javaHome.resolve("release")));
            for (String flag : jvmFlags) {
                digest.update((flag + "\n").getBytes(StandardCharsets.UTF_8));
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(appDir)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            byte[] buffer = new byte[1 << 16];
            for (Path path : files) {
                digest.update((appDir.relativize(path) + "\n").getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(path)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + appDir + " for its AOT cache key", e);
        }
        // 64 bits tell builds apart; the name stays short
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /** Whether a trained cache is there to use. */
    boolean present() {
        return Files.isRegularFile(file);
    }

    /**
     * The JVM flags for the next start: the cache when it is there, else training into a file of its own, which
     * {@link #keepTraining} moves into place once the JVM has exited (a JVM killed while writing leaves no half
     * cache under the name that is used). With the cache, {@code -Xlog:aot=off}: a cache the JVM cannot map (a
     * damaged file; a stale one cannot occur, the key sees to that) would otherwise print five warning and error
     * lines at every start; the JVM then runs without it, as it would with no cache.
     */
    List<String> flags() {
        return present() ? List.of("-XX:AOTCache=" + file, "-Xlog:aot=off") : List.of("-XX:AOTCacheOutput=" + training);
    }

    /**
     * After a training JVM exited: moves the cache it wrote into place and deletes the service's caches of other
     * builds; true if there was one to keep.
     */
    boolean keepTraining() {
        try {
            if (!Files.isRegularFile(training) || Files.size(training) == 0) {
                Files.deleteIfExists(training);
                return false;
            }
            Files.move(training, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            String module = moduleOf(file);
            try (Stream<Path> others = Files.list(file.getParent())) {
                for (Path other : others.toList()) {
                    String name = other.getFileName().toString();
                    if (!other.equals(file) && name.endsWith(".aot") && module.equals(moduleOf(other))) {
                        Files.deleteIfExists(other);
                    }
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the AOT cache " + training, e);
        }
    }

    Path file() {
        return file;
    }

    /** {@code catalog-service-0123456789abcdef.aot} is catalog-service's. */
    private static String moduleOf(Path cache) {
        String name = cache.getFileName().toString();
        int dash = name.lastIndexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }

    /** The feature version in the JDK's {@code release} file ({@code JAVA_VERSION="25.0.3"}), 0 when unreadable. */
    static int jdkFeature(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not a JDK we can vouch for: no cache
        }
        return 0;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
