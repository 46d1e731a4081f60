package org.modelmarket.gateway.hub.write;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.hub.HubConfig;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubServices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Moves LFS bytes from a Hub client into artifact-service's multipart upload, on a worker thread, through small
 * buffers: a single PUT streams straight through (its SHA-256 is the object's oid, which artifact-service checks
 * while storing); a part is first spooled to local disk while hashed, because artifact-service wants each part's
 * SHA-256 before its bytes and the Hub clients do not send it. Nothing is held in memory; the completion, where
 * artifact-service assembles the file and checks size and SHA-256, decides whether the object exists.
 */
@ApplicationScoped
public class LfsTransfers {

    private static final int BUFFER = 64 * 1024;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final HubServices services;
    private final HubConfig config;
    private final ObjectMapper json;

    public LfsTransfers(HubServices services, HubConfig config, ObjectMapper json) {
        this.services = services;
        this.config = config;
        this.json = json;
    }

    /** The whole object as part 1, then the completion. */
    public void single(UploadGrant grant, InputStream body) {
        send(grant, 1, grant.oid(), HttpRequest.BodyPublishers.ofInputStream(() -> body));
        complete(grant);
    }

    /** Part {@code number}: spooled and hashed, then sent with its SHA-256; returns that SHA-256. */
    public String part(UploadGrant grant, int number, InputStream body) {
        Path spool = null;
        try {
            Optional<Path> dir = config.lfs().spoolDir();
            if (dir.isPresent()) {
                Files.createDirectories(dir.get());
            }
            spool = dir.isPresent()
                    ? Files.createTempFile(dir.get(), "lfs-part-", ".tmp")
                    : Files.createTempFile("lfs-part-", ".tmp");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long limit = grant.partSize(number);
            long received = 0;
            try (OutputStream out = Files.newOutputStream(spool)) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while ((read = body.read(buffer)) >= 0) {
                    received += read;
                    if (received > limit) {
                        throw new HubError(400, null, "Part " + number + " is larger than " + limit + " bytes.");
                    }
                    digest.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            if (received != limit) {
                throw new HubError(
                        400, null, "Part " + number + " has " + received + " bytes; " + limit + " were expected.");
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            send(grant, number, sha256, HttpRequest.BodyPublishers.ofFile(spool));
            return sha256;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    // A leftover temporary file is harmless; the next boot's temp cleaning removes it.
                }
            }
        }
    }

    /** Asks artifact-service to assemble the upload and check it; the object is then committable by its oid. */
    public void complete(UploadGrant grant) {
        HttpRequest request = request(grant, "/complete")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"commit\":false}"))
                .build();
        HttpResponse<byte[]> response = call(request);
        if (response.statusCode() / 100 != 2) {
            throw failure(grant, response);
        }
    }

    private void send(UploadGrant grant, int number, String sha256, HttpRequest.BodyPublisher body) {
        HttpRequest request = request(grant, "/parts/" + number)
                .header("Content-Type", "application/octet-stream")
                .header("X-Checksum-Sha256", sha256)
                .PUT(body)
                .build();
        HttpResponse<byte[]> response = call(request);
        if (response.statusCode() / 100 != 2) {
            throw failure(grant, response);
        }
    }

    private HttpRequest.Builder request(UploadGrant grant, String suffix) {
        return HttpRequest.newBuilder(URI.create(services.base("artifact") + "/api/v1/listings/"
                        + HubServices.segment(grant.ns()) + "/" + HubServices.segment(grant.name()) + "/uploads/"
                        + HubServices.segment(grant.upload()) + suffix))
                .header("Authorization", grant.authorization())
                .header("Accept", "application/json");
    }

    private HttpResponse<byte[]> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new HubError(503, null, "artifact-service is unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubError(503, null, "Interrupted");
        }
    }

    private HubError failure(UploadGrant grant, HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? null : json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        HubServices.Reply reply = new HubServices.Reply(response.statusCode(), null, body);
        String repo = grant.ns() + "/" + grant.name();
        return switch (reply.problemSlug()) {
            case "upload-not-found" ->
                new HubError(404, null, "This upload is gone (expired or aborted): ask the LFS batch API again.");
            case "upload-incomplete" -> new HubError(400, null, reply.detail());
            default -> HubWrites.error(reply, repo, new HubCaller(null, Optional.of(grant.authorization())));
        };
    }
}
