package org.modelmarket.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One run of the launcher on a data folder: the folder's lock ({@code run.lock}, held while the run lives) and the
 * record of what the run started ({@code run.json}: the launcher, each process with its start time, the ports, the
 * URL). A run that stops cleanly deletes its record; a record found by the next run means the previous one died, and
 * any of its processes still alive are stopped. They are recognised by PID <em>and</em> start time as the kernel
 * reports them, never by name, so a PID reused by an unrelated process is left alone.
 * <p>
 * The lock is an OS file lock, which the kernel drops with the launcher however it dies: a lock file left behind
 * never blocks the next run, and a lock that is held means a launcher really is running on the folder.
 */
public final class RunRecord implements AutoCloseable {

    public static final String RECORD_FILE = "run.json";
    public static final String LOCK_FILE = "run.lock";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One recorded process. @param started its start time as the kernel reports it (ISO-8601), which tells it from a later process with the same PID */
    public record Entry(String name, long pid, String started, List<Integer> ports) {

        static Entry of(String name, ProcessHandle process, List<Integer> ports) {
            return new Entry(
                    name, process.pid(), startOf(process).map(Instant::toString).orElse(""), List.copyOf(ports));
        }

        /** The process this entry describes, if it still runs: same PID and same start time. */
        public Optional<ProcessHandle> live() {
            return ProcessHandle.of(pid)
                    .filter(process -> startOf(process)
                            .map(start -> start.toString().equals(started))
                            .orElse(false));
        }
    }

    /** The record's content, as {@code run.json} holds it. */
    public record Content(
            long launcherPid,
            String launcherStarted,
            String dataDir,
            String url,
            boolean ready,
            List<Entry> processes) {

        /** Every recorded port. */
        public List<Integer> ports() {
            return processes.stream()
                    .flatMap(entry -> entry.ports().stream())
                    .distinct()
                    .toList();
        }
    }

    /** Thrown by {@link #open} when a launcher already runs on the folder; the message says which and where. */
    public static final class AlreadyRunningException extends StackException {

        private static final long serialVersionUID = 1L;

        AlreadyRunningException(String message) {
            super(message);
        }
    }

    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Optional<Content> previous;
    private Content content;

    private RunRecord(Path dataDir, FileChannel lockChannel, FileLock lock, Optional<Content> previous) {
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.previous = previous;
    }

    /**
     * Takes the folder's lock and returns the run, with the record a previous run left (if it died). Throws
     * {@link AlreadyRunningException}, having changed nothing, when another launcher holds the lock.
     */
    public static RunRecord open(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw alreadyRunning(dataDir, lockFile);
            }
            return new RunRecord(dataDir, channel, lock, read(dataDir));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StackException(
                    "Cannot lock the data folder " + dataDir + " (" + lockFile + "): " + e.getMessage(), e);
        }
    }

    /**
     * Fails with {@link AlreadyRunningException} when a launcher runs on {@code dataDir}; creates, writes and keeps
     * nothing, so that {@code deploy/run.sh} can ask before it rebuilds the jars a running launcher uses.
     */
    public static void requireNotRunning(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw alreadyRunning(dataDir, lockFile);
            }
            lock.release();
        } catch (NoSuchFileException neverRan) {
            // No launcher ever ran on this folder.
        } catch (IOException e) {
            throw new StackException("Cannot check the lock of the data folder " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The lock, or null when another launcher holds it (another process, or a run in this very JVM). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    private static AlreadyRunningException alreadyRunning(Path dataDir, Path lockFile) {
        Optional<Content> running = read(dataDir);
        long pid = running.map(Content::launcherPid)
                .or(() -> LockFiles.holderPid(lockFile))
                .orElse(-1L);
        String where = running.map(content ->
                        content.url() == null ? "" : (content.ready() ? ", at " : ", starting, at ") + content.url())
                .orElse("");
        return new AlreadyRunningException("ModelMarket is already running on the data folder " + dataDir
                + " (launcher pid "
                + (pid > 0 ? pid : "unknown") + where + "): use that one, or stop it first (Ctrl-C in its terminal"
                + (pid > 0 ? ", or kill " + pid : "") + ")");
    }

    /** The record in {@code dataDir}, if there is one: a run is going on there or died there. */
    public static Optional<Content> read(Path dataDir) {
        try {
            return Optional.of(JSON.readValue(Files.readString(dataDir.resolve(RECORD_FILE)), Content.class));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Stops what a previous run that died left running (verified by PID and start time): SIGTERM to all at once, SIGKILL
     * to those still alive after {@link Watchdog#GRACE}. Returns the one line to tell the user, if there was such a run.
     */
    public Optional<String> stopLeftovers() {
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        Content died = previous.get();
        List<Entry> alive = new ArrayList<>();
        List<ProcessHandle> handles = new ArrayList<>();
        for (Entry entry : died.processes()) {
            entry.live().ifPresent(process -> {
                alive.add(entry);
                handles.add(process);
            });
        }
        if (alive.isEmpty()) {
            return Optional.of(
                    "The previous run on " + dataDir + " (launcher pid " + died.launcherPid()
                            + ") did not stop cleanly; none of its processes is left, and the engines recover their data as they start");
        }
        handles.forEach(ProcessHandle::destroy);
        CompletableFuture<?>[] exits =
                handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(Watchdog.GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notAllYet) {
            handles.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            try {
                CompletableFuture.allOf(exits).get(5, TimeUnit.SECONDS);
            } catch (Exception stillNot) {
                throw new StackException("Processes a previous run left running did not stop even on SIGKILL: "
                        + describe(alive) + "; stop them and start again");
            }
        }
        return Optional.of("Stopped " + alive.size() + (alive.size() == 1 ? " process" : " processes")
                + " left running by a previous run on " + dataDir + " that did not stop cleanly (launcher pid "
                + died.launcherPid() + "): " + describe(alive));
    }

    private static String describe(List<Entry> entries) {
        return entries.stream()
                .map(entry -> entry.name() + " (pid " + entry.pid() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Starts this run's record: the launcher, the data folder and the URL the run will serve. */
    public synchronized void begin(String url) {
        ProcessHandle launcher = ProcessHandle.current();
        content = new Content(
                launcher.pid(),
                startOf(launcher).map(Instant::toString).orElse(""),
                dataDir.toString(),
                url,
                false,
                List.of());
        write();
    }

    /** Records processes that were just started (a process and what it forked so far) with the ports they listen on. */
    public synchronized void add(String name, List<ProcessHandle> processes, List<Integer> ports) {
        List<Entry> entries = new ArrayList<>(content.processes());
        for (int i = 0; i < processes.size(); i++) {
            // The ports belong to the process tree; recording them once, with its first process, keeps the file short.
            entries.add(Entry.of(i == 0 ? name : name + " child", processes.get(i), i == 0 ? ports : List.of()));
        }
        content = new Content(
                content.launcherPid(),
                content.launcherStarted(),
                content.dataDir(),
                content.url(),
                content.ready(),
                entries);
        write();
    }

    /** Marks the run ready (everything started and answering). */
    public synchronized void ready() {
        content = new Content(
                content.launcherPid(),
                content.launcherStarted(),
                content.dataDir(),
                content.url(),
                true,
                content.processes());
        write();
    }

    private void write() {
        Path file = dataDir.resolve(RECORD_FILE);
        Path temp = dataDir.resolve(RECORD_FILE + ".tmp");
        try {
            Files.writeString(temp, JSON.writeValueAsString(content));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The run record cannot be written as JSON", e);
        } catch (IOException e) {
            throw new StackException("Cannot write the run record " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ends the run after a clean stop: this run's record is deleted (nothing is left to recover) and the lock released. A
     * run that ends before {@link #begin} (e.g. its leftovers would not stop) leaves the previous run's record in place.
     */
    @Override
    public synchronized void close() {
        try {
            if (content != null) {
                Files.deleteIfExists(dataDir.resolve(RECORD_FILE));
            }
        } catch (IOException e) {
            throw new StackException("Cannot delete the run record in " + dataDir + ": " + e.getMessage(), e);
        } finally {
            try {
                lock.release();
            } catch (IOException releasedWithTheChannel) {
                // Closing the channel below releases it as well.
            }
            closeQuietly(lockChannel);
        }
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
