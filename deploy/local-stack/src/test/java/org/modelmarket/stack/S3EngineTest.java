package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.stack.s3.S3Engine;

/**
 * The S3-compatible server, started for real: healthy, its bucket present, unsigned writes refused (its signature
 * checks are what the S3 adapter's presigned URLs rely on), and a clean stop. The adapter's own tests sign requests.
 */
class S3EngineTest {

    @Test
    void servesTheBucketRefusesUnsignedWritesAndStopsCleanly() {
        Path dir = Path.of("target", "s3-test-" + UUID.randomUUID()).toAbsolutePath();
        S3Engine engine = new S3Engine(0, dir);
        engine.start();
        int port = engine.port();
        List<ProcessHandle> processes = engine.processes();
        try {
            assertThat(Http.status(engine.endpoint() + "/healthz")).isEqualTo(200);
            assertThat(Files.isDirectory(dir.resolve("data").resolve(S3Engine.BUCKET)))
                    .isTrue();

            HttpResponse<String> unsigned =
                    Http.send(HttpRequest.newBuilder(URI.create(engine.endpoint() + "/" + S3Engine.BUCKET + "/blobs/x"))
                            .PUT(HttpRequest.BodyPublishers.ofString("not signed"))
                            .build());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            assertThat(unsigned.body()).contains("AccessDenied");
            assertThat(dir.resolve("data").resolve(S3Engine.BUCKET).resolve("blobs"))
                    .doesNotExist();
        } finally {
            engine.close();
        }
        assertThat(Ports.inUse(port)).as("port released").isFalse();
        assertThat(processes).isNotEmpty().noneMatch(ProcessHandle::isAlive);
    }
}
