package org.modelmarket.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny {@code sh} beside one child that stops the child when this JVM is gone, however it went: the child then
 * stops within {@link #GRACE} plus a moment, and nothing of a dead launcher keeps running or keeps a port bound.
 * <p>
 * Why this shape. The watchdog reads a pipe whose only writer is this JVM and which this JVM never writes to: the
 * kernel closes the writer's end when the JVM exits for any reason (Ctrl-C, an exception, {@code kill -9}, the OOM
 * killer), so end-of-file arrives at once, with no polling and no PID that could be reused meanwhile. On EOF the
 * watchdog sends the stop signal to the child's whole process group (the child was started by {@code setsid}, so
 * {@code kc.sh} and the Keycloak JVM it forks go together), waits up to {@link #GRACE} for the group to be empty and
 * then sends SIGKILL. The alternatives fall short: {@code PR_SET_PDEATHSIG} is not reachable from Java, fires when
 * the forking <em>thread</em> ends (pool threads do) and covers neither grandchildren nor a daemonized PostgreSQL; a
 * watchdog polling the parent's PID is slower and can be fooled by PID reuse; an agent inside each child JVM would
 * not cover PostgreSQL or shell launchers. The watchdog runs in a session of its own and ignores HUP, INT and TERM,
 * so a signal sent to the launcher's process group (a closed terminal, {@code kill -- -PGID}) cannot kill the watchdog
 * before the launcher's end closes the pipe; it acts on that EOF alone. Closing the pipe is also how the launcher
 * stops a child normally, so the path that runs after a crash is the one every ordinary stop exercises.
 */
public final class Watchdog implements AutoCloseable {

    /** How long a child may take to stop after the stop signal before it is killed. */
    public static final Duration GRACE = Duration.ofSeconds(10);

    // $1: what to signal (-PGID for a process group, PID for one process), $2: the stop signal, $3: grace in seconds.
    // `read` returns non-zero only at EOF, since the launcher never writes. `kill -s 0` tells whether the target still
    // has a live process; while stopping, it is polled every 0.1 s, and only then. The deadline is kept in
    // centiseconds of /proc/uptime, read by the shell itself: counting `sleep` rounds instead would stretch the grace
    // by the cost of each fork on a loaded machine.
    private static final String SCRIPT = """
            target=$1 signal=$2 grace=$3
            trap '' HUP INT TERM
            while read -r _; do :; done
            kill -s "$signal" -- "$target" 2>/dev/null || exit 0
            read -r now _ </proc/uptime
            deadline=$(( ${now%.*}${now#*.} + grace * 100 ))
            while kill -s 0 -- "$target" 2>/dev/null; do
              read -r now _ </proc/uptime
              if [ "${now%.*}${now#*.}" -ge "$deadline" ]; then
                echo "modelmarket-watchdog: $target did not stop within $grace s after SIG$signal; killing it"
                kill -s KILL -- "$target" 2>/dev/null
                exit 0
              fi
              sleep 0.1
            done
            """;

    private final Process watchdog;
    private final OutputStream pipe;

    private Watchdog(Process watchdog) {
        this.watchdog = watchdog;
        this.pipe = watchdog.getOutputStream();
    }

    /** Watches the process group that {@code leader} leads (it was started by {@code setsid}); SIGTERM stops it. */
    static Watchdog ofGroup(ProcessHandle leader, Path log) {
        return start("-" + leader.pid(), "TERM", log);
    }

    /**
     * Watches one process that this JVM did not start as a child, e.g. the postmaster that {@code pg_ctl} daemonized;
     * {@code signal} is the process's own "stop quickly and cleanly" signal (PostgreSQL: INT, its fast shutdown).
     */
    public static Watchdog ofProcess(ProcessHandle process, String signal, Path log) {
        return start(Long.toString(process.pid()), signal, log);
    }

    private static Watchdog start(String target, String signal, Path log) {
        try {
            // setsid: a session of its own (see the class comment); as a child of this JVM it is no group leader, so
            // setsid execs sh in place and the Process is the watchdog itself.
            Process process = new ProcessBuilder(List.of(
                            "setsid",
                            "sh",
                            "-c",
                            SCRIPT,
                            "modelmarket-watchdog",
                            target,
                            signal,
                            Long.toString(GRACE.toSeconds())))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new Watchdog(process);
        } catch (IOException e) {
            throw new StackException(
                    "Cannot start the watchdog of " + target + " (needs sh and setsid): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return watchdog.pid();
    }

    /**
     * Closes the pipe, which makes the watchdog stop its target, and waits until the watchdog is done; true when it
     * finished (the target is gone), false when it did not within {@link #GRACE} plus some slack.
     */
    public boolean stopAndAwait() {
        close();
        try {
            return watchdog.waitFor(GRACE.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the pipe (the watchdog then stops its target) without waiting; idempotent. */
    @Override
    public void close() {
        try {
            pipe.close();
        } catch (IOException alreadyClosed) {
            // The watchdog is gone already; nothing is left to tell it.
        }
    }
}
