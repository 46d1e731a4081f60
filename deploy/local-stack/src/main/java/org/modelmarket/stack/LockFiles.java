package org.modelmarket.stack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The engines' own data-folder locks (Kafka's {@code .lock}, Elasticsearch's {@code node.lock}). Both engines hold an OS
 * file lock on them, which the kernel drops when the engine dies however it died, so a lock file left by a crash is no
 * obstacle and is left alone. Only a lock that a live process still holds would fail the engine's start, deep in its
 * log; it is found before the start and named in one line instead.
 */
public final class LockFiles {

    private LockFiles() {}

    /** Fails with a one-line message when another process holds the lock on {@code lockFile}; an absent or stale file is fine. */
    public static void requireUnlocked(Path lockFile, String engine) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return;
            }
        } catch (NoSuchFileException | OverlappingFileLockException absentOrOurs) {
            return;
        } catch (IOException e) {
            throw new StackException("Cannot check " + engine + "'s lock file " + lockFile + ": " + e.getMessage(), e);
        }
        String holder = holderPid(lockFile)
                .map(pid -> "process " + pid + " (`ps -fp " + pid + "`)")
                .orElse("another process");
        throw new StackException("The " + engine + " data folder " + lockFile.getParent() + " is in use by " + holder
                + ", which no run of this data folder recorded: stop it, or choose another data folder");
    }

    /** The PID holding a POSIX lock on the file, from /proc/locks (matched by inode). */
    static Optional<Long> holderPid(Path lockFile) {
        try {
            long inode = ((Number) Files.getAttribute(lockFile, "unix:ino")).longValue();
            List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
            for (String line : locks) {
                // "1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" (a blocked waiter's line has "->" and one more
                // field)
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 6 && !fields[1].equals("->")) {
                    String[] device = fields[5].split(":");
                    if (device.length == 3 && Long.parseLong(device[2]) == inode) {
                        return Optional.of(Long.parseLong(fields[4]));
                    }
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // No /proc/locks (not Linux) or an unexpected format: the message names no PID.
        }
        return Optional.empty();
    }
}
