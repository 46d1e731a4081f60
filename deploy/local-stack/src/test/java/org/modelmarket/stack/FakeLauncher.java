package org.modelmarket.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A stand-in launcher for {@link RunRecordTest}, run as a separate JVM so that the test can kill it with SIGKILL: it takes
 * the data folder's run record and starts one child that forks (a shell whose background {@code sleep} stays in its group).
 */
public final class FakeLauncher {

    public static final String URL = "http://127.0.0.1:1/fake";

    private FakeLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        RunRecord record = RunRecord.open(dataDir);
        record.begin(URL);
        ChildProcess child = ChildProcess.start(
                "sleeper",
                List.of("sh", "-c", "sleep 600 & exec sleep 601"),
                dataDir,
                Map.of(),
                dataDir.resolve("sleeper.log"));
        while (child.processTree().size() < 2) {
            Thread.sleep(20);
        }
        record.add("sleeper", child.processTree(), List.of());
        record.ready();
        Thread.sleep(Long.MAX_VALUE);
    }
}
