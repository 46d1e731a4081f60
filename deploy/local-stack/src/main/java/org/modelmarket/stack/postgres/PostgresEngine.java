package org.modelmarket.stack.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackException;
import org.modelmarket.stack.Watchdog;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 18 server from the zonky binaries, with one database and one login per service
 * (name = user = password: a local-only convention, the server listens on loopback alone). {@code pg_ctl} daemonizes
 * the postmaster, so it is no child of this JVM: a {@link Watchdog} watches it by PID and gives it PostgreSQL's fast
 * shutdown when this JVM is gone. A kept cluster left by a crash needs nothing but PostgreSQL's own crash recovery,
 * except a {@code postmaster.pid} whose PID now belongs to another process (after a reboot), which is removed here.
 */
public final class PostgresEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(PostgresEngine.class);

    private final int requestedPort;
    private final Path dataDir;
    private final Path binariesCache;
    private final boolean keepData;
    private final List<String> databases;
    private EmbeddedPostgres server;
    private ProcessHandle postmaster;
    private Watchdog watchdog;

    /**
     * @param port          0 for a free port
     * @param dataDir       the cluster's data folder
     * @param binariesCache where the PostgreSQL binaries are unpacked once and reused
     * @param keepData      reuse an existing cluster in dataDir (local run) instead of a fresh one (tests)
     * @param databases     the databases to ensure, each with a login of the same name
     */
    public PostgresEngine(int port, Path dataDir, Path binariesCache, boolean keepData, List<String> databases) {
        this.requestedPort = port;
        this.dataDir = dataDir;
        this.binariesCache = binariesCache;
        this.keepData = keepData;
        this.databases = List.copyOf(databases);
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public void start() {
        int port = Ports.claim(requestedPort, "PostgreSQL");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(binariesCache);
            if (keepData) {
                handleLeftoverPidFile();
            }
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setOverrideWorkingDirectory(binariesCache.toFile())
                    .setServerConfig("listen_addresses", Ports.LOOPBACK)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    // zonky's default is synchronous_commit=off: a commit acknowledged just before a kill -9 was lost
                    // (EngineCrashTest, once in CI). Kept data must keep every acknowledged commit.
                    .setServerConfig("synchronous_commit", keepData ? "on" : "off")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new StackException("PostgreSQL did not start on port " + port + ": " + rootMessage(e), e);
        }
        watchPostmaster();
        ensureDatabases();
        LOG.debugf("PostgreSQL ready on %d with databases %s", port(), databases);
    }

    /** The postmaster's PID and start time as PostgreSQL recorded them (lines 1 and 3 of postmaster.pid). */
    private record PidFile(long pid, Instant started) {

        static Optional<PidFile> read(Path file) {
            try {
                List<String> lines = Files.readAllLines(file);
                return Optional.of(new PidFile(
                        Long.parseLong(lines.get(0).trim()),
                        Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))));
            } catch (IOException | RuntimeException absentOrPartial) {
                return Optional.empty();
            }
        }

        /** The live postmaster this file describes: that PID, started when the file says (to the second, as PostgreSQL writes it). */
        Optional<ProcessHandle> live() {
            return ProcessHandle.of(pid)
                    .filter(process -> process.info()
                            .startInstant()
                            .map(start -> Duration.between(started, start).abs().compareTo(Duration.ofSeconds(2)) <= 0)
                            .orElse(false));
        }
    }

    /**
     * A {@code postmaster.pid} left by a run that did not stop cleanly. If its postmaster still runs (verified by PID and
     * start time, e.g. a survivor the run record missed), it is stopped. If its PID is alive but is another process (PIDs
     * are reused, e.g. after a reboot), PostgreSQL would refuse to start, so the stale file is removed. A dead PID is
     * PostgreSQL's own case: it removes the file itself and runs crash recovery.
     */
    private void handleLeftoverPidFile() throws IOException {
        Path file = dataDir.resolve("postmaster.pid");
        Optional<PidFile> pidFile = PidFile.read(file);
        if (pidFile.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> survivor = pidFile.get().live();
        if (survivor.isPresent()) {
            LOG.infof(
                    "Stopping PostgreSQL (pid %d) left running on %s by an earlier run",
                    survivor.get().pid(), dataDir);
            survivor.get().destroy();
            try {
                survivor.get().onExit().get(Watchdog.GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception notYet) {
                survivor.get().destroyForcibly();
            }
        } else if (ProcessHandle.of(pidFile.get().pid()).isPresent()) {
            LOG.infof(
                    "Removing the stale %s (its pid %d is now another process)",
                    file, pidFile.get().pid());
            Files.deleteIfExists(file);
        }
    }

    private void watchPostmaster() {
        postmaster = PidFile.read(dataDir.resolve("postmaster.pid"))
                .flatMap(PidFile::live)
                .orElseThrow(() -> new StackException("PostgreSQL started on port " + port()
                        + " but its postmaster.pid in " + dataDir + " names no live postmaster"));
        watchdog = Watchdog.ofProcess(postmaster, "INT", dataDir.resolveSibling("postgres-watchdog.log"));
    }

    @Override
    public List<ProcessHandle> processes() {
        return postmaster != null && postmaster.isAlive() ? List.of(postmaster) : List.of();
    }

    @Override
    public List<Integer> ports() {
        return server != null ? List.of(port()) : List.of();
    }

    private void ensureDatabases() {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement statement = admin.createStatement()) {
            for (String database : databases) {
                if (!database.matches("[a-z][a-z0-9_]*")) {
                    throw new StackException("Invalid database name '" + database + "'");
                }
                if (!exists(statement, "select 1 from pg_roles where rolname = '" + database + "'")) {
                    statement.execute("create role " + database + " login password '" + database + "'");
                }
                if (!exists(statement, "select 1 from pg_database where datname = '" + database + "'")) {
                    statement.execute("create database " + database + " owner " + database);
                }
            }
        } catch (SQLException e) {
            throw new StackException("Cannot create the service databases in PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            return rows.next();
        }
    }

    public int port() {
        return server.getPort();
    }

    /** {@code jdbc:postgresql://127.0.0.1:P/<database>}, for Flyway. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port() + "/" + database;
    }

    /** {@code postgresql://127.0.0.1:P/<database>}, for the Vert.x reactive client. */
    public String reactiveUrl(String database) {
        return "postgresql://" + Ports.LOOPBACK + ":" + port() + "/" + database;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warnf("PostgreSQL did not stop cleanly: %s", e.getMessage());
            }
            server = null;
        }
        if (watchdog != null) {
            watchdog.stopAndAwait();
            watchdog = null;
        }
        postmaster = null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
