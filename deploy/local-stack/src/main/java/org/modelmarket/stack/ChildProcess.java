package org.modelmarket.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

/**
 * A process started by the local stack (an engine JVM, Keycloak, a service), with its output in a log file.
 * Each child runs in a process group of its own ({@code setsid}) with a {@link Watchdog} that stops the group when this
 * JVM is gone, however it died; a normal stop goes through the same watchdog. Every live child is also stopped by a JVM
 * shutdown hook, so Ctrl-C or a failed start leaves no orphan behind.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChildProcess.class);
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(() -> List.copyOf(LIVE).forEach(ChildProcess::close), "local-stack-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Watchdog watchdog;

    private ChildProcess(String name, Process process, Path log, Watchdog watchdog) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.watchdog = watchdog;
    }

    /** Starts {@code command} in {@code workDir} with extra environment variables, writing stdout and stderr to {@code log}. */
    public static ChildProcess start(
            String name, List<String> command, Path workDir, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            List<String> inOwnGroup = new ArrayList<>(command.size() + 1);
            // A process group (and session) of its own: the watchdog stops the child together with what it forks
            // (kc.sh forks Keycloak's JVM), and a terminal's Ctrl-C reaches only the launcher, which stops children in
            // order.
            inOwnGroup.add("setsid");
            inOwnGroup.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(inOwnGroup)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Watchdog watchdog;
            try {
                watchdog = Watchdog.ofGroup(process.toHandle(), log);
            } catch (StackException e) {
                process.destroyForcibly();
                throw e;
            }
            ChildProcess child = new ChildProcess(name, process, log, watchdog);
            LIVE.add(child);
            LOG.debugf("started %s (pid %d, watchdog pid %d), log %s", name, child.pid(), watchdog.pid(), log);
            return child;
        } catch (IOException e) {
            throw new StackException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Polls {@code ready} until it holds; fails fast, with the end of the log, when the process exits or time runs out. */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (safely(ready)) {
                return;
            }
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue()
                        + " before it was ready; log " + log + ":\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new StackException(
                        name + " was not ready within " + timeout.toSeconds() + " s; log " + log + ":\n" + tail(40));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** Waits for a short-lived process (a set-up tool) to finish and returns its exit code; kills it after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new StackException(
                        name + " did not finish within " + timeout.toSeconds() + " s; log " + log + ":\n" + tail(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting for " + name, e);
        }
        LIVE.remove(this);
        watchdog.stopAndAwait();
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** The process and what it has forked so far (e.g. kc.sh and Keycloak's JVM), for the run record. */
    public List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        return tree;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the process group: the watchdog sends SIGTERM and, after {@link Watchdog#GRACE}, SIGKILL. Should the
     * watchdog itself be gone, the process and its descendants are stopped from here, SIGTERM first, SIGKILL after 20 s.
     */
    @Override
    public void close() {
        if (!LIVE.remove(this) && !process.isAlive()) {
            watchdog.close();
            return;
        }
        if (watchdog.stopAndAwait() && exited(Duration.ofSeconds(2))) {
            LOG.debugf("stopped %s", name);
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                LOG.warnf("%s (pid %d) did not stop on SIGTERM; killing it", name, handle.pid());
                handle.destroyForcibly();
            }
        }
        LOG.debugf("stopped %s", name);
    }

    private boolean exited(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting", e);
        }
    }
}
