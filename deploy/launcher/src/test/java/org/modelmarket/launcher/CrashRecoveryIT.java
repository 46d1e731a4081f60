package org.modelmarket.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.RunRecord;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The launcher as {@code deploy/run.sh} runs it (its jar, in a JVM of its own, on free ports and its own data folder),
 * killed with SIGKILL: within 15 s nothing of the run is left and none of its ports is bound; a new run on the same folder
 * becomes ready with the listings, files and events written before the crash, and search converges; a second run
 * started meanwhile is refused and changes nothing.
 */
class CrashRecoveryIT {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(6);

    private final Path dataDir = Path.of(System.getProperty("java.io.tmpdir"), "crash-recovery-it-" + UUID.randomUUID())
            .toAbsolutePath();
    private final List<Process> launchers = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        launchers.forEach(Process::destroy);
        launchers.forEach(launcher -> {
            try {
                launcher.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aKilledLauncherLeavesNothingBehindAndTheNextRunRecoversItsData() throws Exception {
        long begin = System.nanoTime();
        Process first = launch("first");
        RunRecord.Content firstRun = awaitReady(first, "first");
        System.out.printf("[crash] first run (fresh data folder) ready in %.1f s%n", seconds(begin));
        String gateway = firstRun.url();

        String alice = bearer(firstRun, "alice");
        given(gateway, alice)
                .body(Map.of("namespace", "alice", "displayName", "Alice"))
                .post("/api/v1/vendors")
                .then()
                .statusCode(201);
        given(gateway, bearer(firstRun, "admin"))
                .body(Map.of("verified", true))
                .put("/api/v1/vendors/alice/verification")
                .then()
                .statusCode(200);
        String before = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        createListing(gateway, alice, before, "Numbat spotter " + before);
        byte[] weights = ("weights " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        // The artifact service learns of a new listing from the catalog's event: 404 until it has.
        int uploaded = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given(gateway, alice)
                                .contentType("application/octet-stream")
                                .body(weights)
                                .put("/api/v1/listings/alice/" + before + "/files/model.bin")
                                .statusCode(),
                        status -> status != 404);
        assertThat(uploaded).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> searchFinds(gateway, "numbat " + before, before));
        // Written just before the crash, with nothing awaited: these reach search and the catalog's stats only through
        // the outbox and Kafka, and must still get there after the restart.
        String last = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        createListing(gateway, alice, last, "Quoll finder " + last);
        given(gateway, null)
                .get("/api/v1/listings/alice/" + before + "/files/model.bin")
                .then()
                .statusCode(200);

        Set<ProcessHandle> everything = processesOf(first, firstRun);
        List<Integer> ports = firstRun.ports();
        assertThat(ports).as("engines' and services' ports recorded").hasSizeGreaterThanOrEqualTo(10);
        long killed = System.nanoTime();
        first.destroyForcibly();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> everything.stream().noneMatch(ProcessHandle::isAlive));
        double gone = seconds(killed);
        assertThat(ports).as("no port of the killed run is bound").noneMatch(Ports::inUse);
        System.out.printf(
                "[crash] all %d processes of the run gone %.1f s after SIGKILL of the launcher; %d ports free%n",
                everything.size(), gone, ports.size());

        long restart = System.nanoTime();
        Process second = launch("second");
        RunRecord.Content secondRun = awaitReady(second, "second");
        System.out.printf("[crash] second run on the same folder ready in %.1f s%n", seconds(restart));
        assertThat(Files.readString(logOf("second")))
                .contains("The previous run on " + dataDir + " (launcher pid " + first.pid()
                        + ") did not stop cleanly; none of its processes is left");

        String gateway2 = secondRun.url();
        given(gateway2, null)
                .get("/api/v1/listings/alice/" + before)
                .then()
                .statusCode(200)
                .body("title", equalTo("Numbat spotter " + before));
        given(gateway2, null)
                .get("/api/v1/listings/alice/" + last)
                .then()
                .statusCode(200)
                .body("title", equalTo("Quoll finder " + last));
        Response download = given(gateway2, null).get("/api/v1/listings/alice/" + before + "/files/model.bin");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.asByteArray()).isEqualTo(weights);
        long converging = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    searchFinds(gateway2, "numbat " + before, before);
                    searchFinds(gateway2, "quoll " + last, last);
                    given(gateway2, null)
                            .get("/api/v1/listings/alice/" + before)
                            .then()
                            .statusCode(200)
                            .body("stats.downloads", greaterThanOrEqualTo(1));
                });
        System.out.printf(
                "[crash] search and stats converged %.1f s after the second run was ready%n", seconds(converging));

        // A second launcher on the folder in use: refused in one line naming the running one, and nothing changes.
        String record = Files.readString(dataDir.resolve(RunRecord.RECORD_FILE));
        Set<ProcessHandle> running = processesOf(second, secondRun);
        // The engines and services themselves must outlive the refused run; their own children come and go on their
        // own (PostgreSQL's backends and autovacuum workers), so only the processes the run record names are checked.
        Set<ProcessHandle> recorded = recordedProcessesOf(second, secondRun);
        Process intruder = launch("intruder");
        assertThat(intruder.waitFor(120, TimeUnit.SECONDS))
                .as("the refused run exits")
                .isTrue();
        assertThat(intruder.exitValue()).isEqualTo(1);
        assertThat(Files.readString(logOf("intruder")))
                .contains("ModelMarket is already running on the data folder " + dataDir + " (launcher pid "
                        + second.pid() + ", at " + gateway2 + ")");
        assertThat(Files.readString(dataDir.resolve(RunRecord.RECORD_FILE))).isEqualTo(record);
        assertThat(recorded).allMatch(ProcessHandle::isAlive);
        given(gateway2, null).get("/q/health/ready").then().statusCode(200);

        // A normal stop (SIGTERM, as a terminal's Ctrl-C ends up) leaves nothing either, and no record to recover from.
        long stopping = System.nanoTime();
        second.destroy();
        assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(15)).until(() -> running.stream().noneMatch(ProcessHandle::isAlive));
        System.out.printf("[crash] second run stopped cleanly in %.1f s%n", seconds(stopping));
        assertThat(dataDir.resolve(RunRecord.RECORD_FILE)).doesNotExist();
    }

    private Process launch(String name) throws IOException {
        Path root = Path.of(System.getProperty("modelmarket.home", "../.."))
                .toAbsolutePath()
                .normalize();
        Files.createDirectories(dataDir.getParent());
        Process launcher = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-Xmx256m",
                        "-Dmodelmarket.home=" + root,
                        "-Djava.util.logging.SimpleFormatter.format=%1$tT %4$s %5$s%6$s%n",
                        "-jar",
                        root.resolve("deploy/launcher/target/launcher.jar").toString(),
                        "--data-dir",
                        dataDir.toString(),
                        "--free-ports",
                        "--no-demo-data")
                .redirectErrorStream(true)
                .redirectOutput(logOf(name).toFile())
                .start();
        launchers.add(launcher);
        return launcher;
    }

    private Path logOf(String name) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".out");
    }

    private RunRecord.Content awaitReady(Process launcher, String name) {
        return await().atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> {
                            if (!launcher.isAlive()) {
                                throw new AssertionError("The " + name + " launcher exited with " + launcher.exitValue()
                                        + ":\n" + Files.readString(logOf(name)));
                            }
                            return RunRecord.read(dataDir)
                                    .filter(RunRecord.Content::ready)
                                    .filter(run -> run.launcherPid() == launcher.pid());
                        },
                        Optional::isPresent)
                .orElseThrow();
    }

    /** The launcher, everything it started, and what those forked (the postmaster's backends, Keycloak's JVM). */
    /** The launcher and the engines and services its run record names, without their children. */
    private static Set<ProcessHandle> recordedProcessesOf(Process launcher, RunRecord.Content run) {
        Set<ProcessHandle> recorded = new LinkedHashSet<>();
        recorded.add(launcher.toHandle());
        run.processes().forEach(entry -> entry.live().ifPresent(recorded::add));
        return recorded;
    }

    private static Set<ProcessHandle> processesOf(Process launcher, RunRecord.Content run) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        all.add(launcher.toHandle());
        all.addAll(launcher.descendants().toList());
        for (RunRecord.Entry entry : run.processes()) {
            entry.live().ifPresent(process -> {
                all.add(process);
                all.addAll(process.descendants().toList());
            });
        }
        return all;
    }

    private static String bearer(RunRecord.Content run, String user) {
        int keycloakPort = run.processes().stream()
                .filter(entry -> entry.name().equals("keycloak"))
                .findFirst()
                .orElseThrow()
                .ports()
                .get(0);
        String token = io.restassured.RestAssured.given()
                .formParams(Map.of(
                        "grant_type", "password", "client_id", "modelmarket-web", "username", user, "password", user))
                .post("http://127.0.0.1:" + keycloakPort + "/realms/modelmarket/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        return "Bearer " + token;
    }

    private static RequestSpecification given(String gateway, String bearer) {
        RequestSpecification request =
                io.restassured.RestAssured.given().baseUri(gateway).contentType(ContentType.JSON);
        return bearer == null ? request : request.header("Authorization", bearer);
    }

    private static void createListing(String gateway, String bearer, String name, String title) {
        given(gateway, bearer)
                .body(Map.of(
                        "namespace",
                        "alice",
                        "name",
                        name,
                        "title",
                        title,
                        "summary",
                        "Crash recovery probe",
                        "modality",
                        "image",
                        "task",
                        "object-detection",
                        "license",
                        "mit",
                        "priceType",
                        "free"))
                .post("/api/v1/listings")
                .then()
                .statusCode(201)
                .body("status", equalTo("published"));
    }

    private static void searchFinds(String gateway, String query, String name) {
        given(gateway, null)
                .queryParam("q", query)
                .get("/api/v1/search")
                .then()
                .statusCode(200)
                .body("items.id", hasItem("alice/" + name));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
