package org.modelmarket.stack.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.modelmarket.stack.ChildProcess;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Http;
import org.modelmarket.stack.Jdk;
import org.modelmarket.stack.ModelMarketHome;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackException;

/**
 * An S3-compatible server: S3Proxy on the jclouds filesystem provider, run as a child JVM from the class path that
 * deploy/engines/s3proxy assembles. It checks AWS signatures (v2 and v4, presigned URLs included) against one fixed
 * access key, and serves ModelMarket's bucket, created up front as a folder of the data directory.
 */
public final class S3Engine implements Engine {

    /** The bucket artifact-service stores blobs in (the chart's default {@code objectStorage.bucket}). */
    public static final String BUCKET = "modelmarket-artifacts";
    /** Loopback-only credentials: the server accepts requests signed with them and nothing else. */
    public static final String ACCESS_KEY_ID = "modelmarket-local";

    public static final String SECRET_ACCESS_KEY = "modelmarket-local-secret";
    /** S3Proxy ignores the region; clients sign for this one. */
    public static final String REGION = "us-east-1";

    private final int requestedPort;
    private final Path workDir;
    private int port;
    private ChildProcess server;

    /**
     * @param port    0 for a free port
     * @param workDir holds data/ (one folder per bucket, one file per object), the configuration and the log
     */
    public S3Engine(int port, Path workDir) {
        this.requestedPort = port;
        this.workDir = workDir.toAbsolutePath();
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void start() {
        if (port == 0) {
            port = Ports.claim(requestedPort, "the S3-compatible server");
        }
        Path lib = ModelMarketHome.engine("s3proxy").resolve("lib");
        Path config = writeConfig();
        List<String> command = List.of(
                Jdk.java().toString(),
                "-Xms64m",
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + workDir.resolve("tmp"),
                // S3Proxy ships no logging configuration: logback's default would log every request at DEBUG.
                "-Dlogback.configurationFile=" + workDir.resolve("logback.xml"),
                "-cp",
                lib + "/*",
                "org.gaul.s3proxy.Main",
                "--properties",
                config.toString());
        server = ChildProcess.start("s3", command, workDir, Map.of(), workDir.resolve("logs/s3proxy.out"));
        server.awaitReady(Duration.ofSeconds(60), () -> Http.status(endpoint() + "/healthz") == 200);
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(workDir.resolve("tmp"));
            Files.createDirectories(workDir.resolve("logs"));
            // The filesystem provider's buckets are folders: creating it here needs no signed request.
            Files.createDirectories(workDir.resolve("data").resolve(BUCKET));
            Files.writeString(workDir.resolve("logback.xml"), """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            Path config = workDir.resolve("s3proxy.properties");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + endpoint(),
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY_ID,
                            "s3proxy.credential=" + SECRET_ACCESS_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + workDir.resolve("data"),
                            ""));
            return config;
        } catch (IOException e) {
            throw new StackException(
                    "Cannot write the S3 server's configuration in " + workDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:P}: use path-style access (the bucket is the first path segment). */
    public String endpoint() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    @Override
    public List<ProcessHandle> processes() {
        return server != null && server.isAlive() ? server.processTree() : List.of();
    }

    @Override
    public List<Integer> ports() {
        return server != null ? List.of(port) : List.of();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
