package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The run record and its lock with real processes: a launcher killed with SIGKILL takes its children (and what they
 * forked) along through their watchdogs, a second run on a folder in use is refused without a change, and a dead run's
 * leftovers are stopped by PID and start time, never a process that merely reuses a recorded PID.
 */
class RunRecordTest {

    private static Path newDataDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "run-record-test-" + UUID.randomUUID())
                .toAbsolutePath();
    }

    @Test
    void aKilledLauncherTakesItsChildrenAlongAndASecondRunIsRefusedMeanwhile() throws Exception {
        Path dataDir = newDataDir();
        Process launcher = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FakeLauncher.class.getName(),
                        dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        Files.createDirectories(dataDir).resolve("launcher.out").toFile())
                .start();
        RunRecord.Content running;
        try {
            running = await().atMost(Duration.ofSeconds(60))
                    .until(() -> RunRecord.read(dataDir).filter(RunRecord.Content::ready), Optional::isPresent)
                    .orElseThrow();
        } finally {
            if (!launcher.isAlive()) {
                System.out.println(Files.readString(dataDir.resolve("launcher.out")));
            }
        }
        List<ProcessHandle> children = running.processes().stream()
                .map(entry -> entry.live().orElseThrow())
                .toList();
        assertThat(children)
                .as("the shell's exec'd sleep and the sleep it forked")
                .hasSize(2);
        assertThat(running.launcherPid()).isEqualTo(launcher.pid());

        String recordBefore = Files.readString(dataDir.resolve(RunRecord.RECORD_FILE));
        assertThatThrownBy(() -> RunRecord.open(dataDir))
                .isInstanceOf(RunRecord.AlreadyRunningException.class)
                .hasMessageContaining("already running")
                .hasMessageContaining("launcher pid " + launcher.pid())
                .hasMessageContaining(FakeLauncher.URL);
        assertThatThrownBy(() -> RunRecord.requireNotRunning(dataDir))
                .isInstanceOf(RunRecord.AlreadyRunningException.class)
                .hasMessageContaining("launcher pid " + launcher.pid());
        assertThatThrownBy(() -> LockFiles.requireUnlocked(dataDir.resolve(RunRecord.LOCK_FILE), "Test"))
                .hasMessageContaining("in use by process " + launcher.pid());
        assertThat(Files.readString(dataDir.resolve(RunRecord.RECORD_FILE)))
                .as("the refused run changed nothing")
                .isEqualTo(recordBefore);
        assertThat(children).allMatch(ProcessHandle::isAlive);

        long killed = System.nanoTime();
        launcher.destroyForcibly();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        System.out.printf(
                "[supervision] children gone %d ms after SIGKILL of their launcher%n",
                (System.nanoTime() - killed) / 1_000_000);

        RunRecord.requireNotRunning(dataDir);
        try (RunRecord next = RunRecord.open(dataDir)) {
            assertThat(next.stopLeftovers())
                    .hasValueSatisfying(line -> assertThat(line)
                            .contains("launcher pid " + launcher.pid())
                            .contains("did not stop cleanly")
                            .contains("none of its processes is left"));
            next.begin("http://127.0.0.1:1/next");
            assertThat(RunRecord.read(dataDir))
                    .hasValueSatisfying(record -> assertThat(record.launcherPid())
                            .isEqualTo(ProcessHandle.current().pid()));
        }
        assertThat(dataDir.resolve(RunRecord.RECORD_FILE))
                .as("a clean stop leaves no record")
                .doesNotExist();
    }

    @Test
    void leftoversAreRecognisedByPidAndStartTimeAndNothingElseIsTouched() throws IOException {
        Path dataDir = Files.createDirectories(newDataDir());
        Process leftover = new ProcessBuilder("sleep", "600").start();
        Process reusedPid = new ProcessBuilder("sleep", "600").start();
        try {
            RunRecord.Content died = new RunRecord.Content(
                    999_999_999L,
                    "2026-01-01T00:00:00Z",
                    dataDir.toString(),
                    "http://127.0.0.1:2",
                    true,
                    List.of(
                            RunRecord.Entry.of("kafka", leftover.toHandle(), List.of(2)),
                            // The recorded PID now belongs to another process: its start time differs, so it is not
                            // ours.
                            new RunRecord.Entry("elasticsearch", reusedPid.pid(), "2026-01-01T00:00:00Z", List.of(3)),
                            new RunRecord.Entry("keycloak", Integer.MAX_VALUE, "2026-01-01T00:00:00Z", List.of(4))));
            Files.writeString(dataDir.resolve(RunRecord.RECORD_FILE), new ObjectMapper().writeValueAsString(died));

            try (RunRecord run = RunRecord.open(dataDir)) {
                assertThat(run.stopLeftovers())
                        .hasValueSatisfying(line -> assertThat(line)
                                .startsWith("Stopped 1 process left running by a previous run")
                                .contains("kafka (pid " + leftover.pid() + ")")
                                .doesNotContain("elasticsearch")
                                .doesNotContain("keycloak"));
            }
            assertThat(leftover.isAlive()).isFalse();
            assertThat(reusedPid.isAlive())
                    .as("a process that only reuses a recorded PID is left alone")
                    .isTrue();
        } finally {
            leftover.destroyForcibly();
            reusedPid.destroyForcibly();
        }
    }
}
