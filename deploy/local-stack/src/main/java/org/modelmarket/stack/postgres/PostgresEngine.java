package org.modelmarket.stack.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackException;

/**
 * A real PostgreSQL 18 server from the zonky binaries, with one database and one login per service
 * (name = user = password: a local-only convention, the server listens on loopback alone).
 */
public final class PostgresEngine implements Engine {

    private static final Logger LOG = Logger.getLogger(PostgresEngine.class);

    private final int requestedPort;
    private final Path dataDir;
    private final Path binariesCache;
    private final boolean keepData;
    private final List<String> databases;
    private EmbeddedPostgres server;

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
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setOverrideWorkingDirectory(binariesCache.toFile())
                    .setServerConfig("listen_addresses", Ports.LOOPBACK)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new StackException("PostgreSQL did not start on port " + port + ": " + rootMessage(e), e);
        }
        ensureDatabases();
        LOG.debugf("PostgreSQL ready on %d with databases %s", port(), databases);
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
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
