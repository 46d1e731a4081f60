package org.modelmarket.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache's key, the flags chosen per JDK, and keeping a trained cache (without starting a JVM). */
class AotCacheTest {

    private static final List<String> FLAGS = List.of("-Xms128m", "-Xmx384m", "-XX:+UseParallelGC");

    @TempDir
    Path dir;

    private Path app;
    private Path jdk25;
    private Path cacheDir;

    @BeforeEach
    void layOut() throws IOException {
        app = Files.createDirectories(dir.resolve("catalog-service/target/quarkus-app"));
        Files.createDirectories(app.resolve("lib/main"));
        Files.writeString(app.resolve("quarkus-run.jar"), "runner");
        Files.writeString(app.resolve("lib/main/a.jar"), "library a");
        jdk25 = jdk("jdk25", "25.0.3");
        cacheDir = Files.createDirectories(dir.resolve("data/aot"));
    }

    @Test
    void keyIsStableForTheSameBuildFlagsAndJdk() {
        assertThat(AotCache.key(app, FLAGS, jdk25)).hasSize(16).isEqualTo(AotCache.key(app, FLAGS, jdk25));
    }

    @Test
    void aRebuiltJarOfTheSameSizeAndTimeGetsAnotherKey() throws IOException {
        String before = AotCache.key(app, FLAGS, jdk25);
        Path jar = app.resolve("lib/main/a.jar");
        FileTime time = Files.getLastModifiedTime(jar);
        Files.writeString(jar, "library b"); // same length: only the content tells the builds apart
        Files.setLastModifiedTime(jar, time);

        assertThat(AotCache.key(app, FLAGS, jdk25)).isNotEqualTo(before);
    }

    @Test
    void anAddedFileOtherFlagsOrAnotherJdkGetAnotherKey() throws IOException {
        String before = AotCache.key(app, FLAGS, jdk25);

        assertThat(AotCache.key(app, List.of("-Xms128m", "-Xmx256m", "-XX:+UseParallelGC"), jdk25))
                .isNotEqualTo(before);
        assertThat(AotCache.key(app, FLAGS, jdk("jdk25-next", "25.0.4"))).isNotEqualTo(before);
        Files.writeString(app.resolve("lib/main/b.jar"), "library b");
        assertThat(AotCache.key(app, FLAGS, jdk25)).isNotEqualTo(before);
    }

    @Test
    void onJdk21ThereIsNoCacheAndNoFlag() throws IOException {
        assertThat(AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk("jdk21", "21.0.9")))
                .isEmpty();
        assertThat(AotCache.of(cacheDir, "catalog-service", app, FLAGS, dir.resolve("no-jdk")))
                .isEmpty();
    }

    @Test
    void onJdk25TheFirstStartTrainsAndTheNextOneUsesTheCache() throws IOException {
        AotCache cache =
                AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk25).orElseThrow();
        assertThat(cache.present()).isFalse();
        String training = cache.file() + ".training";
        assertThat(cache.flags()).containsExactly("-XX:AOTCacheOutput=" + training);

        Files.writeString(Path.of(training), "a cache the JVM wrote as it exited");
        assertThat(cache.keepTraining()).isTrue();

        assertThat(cache.present()).isTrue();
        assertThat(Path.of(training)).doesNotExist();
        assertThat(cache.flags()).containsExactly("-XX:AOTCache=" + cache.file(), "-Xlog:aot=off");
        assertThat(AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk25)
                        .orElseThrow()
                        .flags())
                .containsExactly("-XX:AOTCache=" + cache.file(), "-Xlog:aot=off");
    }

    @Test
    void aTrainingThatWroteNothingKeepsNothing() {
        AotCache cache =
                AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk25).orElseThrow();

        assertThat(cache.keepTraining()).isFalse();
        assertThat(cache.present()).isFalse();
    }

    @Test
    void aNewBuildsCacheReplacesTheOldOneOfTheSameServiceOnly() throws IOException {
        AotCache old =
                AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk25).orElseThrow();
        Files.writeString(Path.of(old.file() + ".training"), "old build");
        old.keepTraining();
        Path search = Files.writeString(cacheDir.resolve("search-service-0123456789abcdef.aot"), "search");

        Files.writeString(app.resolve("lib/main/a.jar"), "library a, rebuilt");
        AotCache rebuilt =
                AotCache.of(cacheDir, "catalog-service", app, FLAGS, jdk25).orElseThrow();
        assertThat(rebuilt.file()).isNotEqualTo(old.file());
        assertThat(rebuilt.present()).isFalse();
        Files.writeString(Path.of(rebuilt.file() + ".training"), "new build");
        rebuilt.keepTraining();

        assertThat(old.file()).doesNotExist();
        assertThat(rebuilt.file()).hasContent("new build");
        assertThat(search).exists();
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(
                home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
