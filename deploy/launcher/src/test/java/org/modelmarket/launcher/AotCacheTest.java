package org.modelmarket.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelmarket.stack.Jdk;

/**
 * The AOT cache's key, the flags chosen per JDK, keeping a trained cache, and (on a JDK 25+) a real JVM training,
 * using and outgrowing a cache.
 */
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

    @Test
    void aRealJvmTrainsTheCacheUsesItAndARebuiltJarTrainsAnew() throws Exception {
        Path javaHome = Jdk.home();
        assumeTrue(AotCache.jdkFeature(javaHome) >= AotCache.MINIMUM_JDK, "needs a JDK 25+");
        Path tiny = Files.createDirectories(dir.resolve("tiny/target/quarkus-app"));
        jar(tiny.resolve("app.jar"), "first build");
        Path notYet = dir.resolve("fresh-data/aot"); // a fresh data folder has none yet: of() makes it
        AotCache cache = AotCache.of(notYet, "tiny", tiny, List.of(), javaHome).orElseThrow();

        assertThat(run(javaHome, tiny, cache.flags())).contains("first build");
        assertThat(cache.keepTraining()).isTrue();

        List<String> withCache = new java.util.ArrayList<>(cache.flags());
        withCache.add("-Xlog:class+load=info");
        assertThat(run(javaHome, tiny, withCache))
                .contains("first build")
                .contains("Hello source: shared objects file");

        jar(tiny.resolve("app.jar"), "second build");
        AotCache rebuilt =
                AotCache.of(notYet, "tiny", tiny, List.of(), javaHome).orElseThrow();
        assertThat(rebuilt.present()).isFalse();
        assertThat(run(javaHome, tiny, rebuilt.flags())).contains("second build");
        assertThat(rebuilt.keepTraining()).isTrue();
        assertThat(cache.file()).doesNotExist();
    }

    /** Runs the tiny app's main class with {@code flags}; its output (stdout and stderr). */
    private static String run(Path javaHome, Path app, List<String> flags) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", app.resolve("app.jar").toString(), "Hello"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    /** A jar with one class, {@code Hello}, that prints {@code text}. */
    private void jar(Path jar, String text) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src")).resolve("Hello.java");
        Files.writeString(
                source,
                "public class Hello { public static void main(String[] args) {" + " System.out.println(\"" + text
                        + "\"); } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler()
                .run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(compiled).isZero();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("Hello.class"));
            out.write(Files.readAllBytes(classes.resolve("Hello.class")));
            out.closeEntry();
        }
    }

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(
                home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
