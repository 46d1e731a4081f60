package org.modelmarket.gateway.file.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.modelmarket.gateway.client.CallerToken;
import org.modelmarket.gateway.client.Versioned;
import org.modelmarket.gateway.file.FileDownload;
import org.modelmarket.gateway.file.FileEntry;
import org.modelmarket.gateway.problem.DownstreamProblemException;
import org.modelmarket.gateway.problem.DownstreamUnavailableException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import io.vertx.mutiny.core.streams.ReadStream;

/**
 * File contents to and from artifact-service over a plain Vert.x HTTP client, streamed both ways with back-pressure:
 * the REST client would buffer bodies or hide the response headers (checksum, length) that callers need.
 * Targets the same {@code quarkus.rest-client.artifact.url} as {@link ArtifactApi}.
 */
@ApplicationScoped
class ArtifactStreams {

    static final String CHECKSUM_HEADER = "X-Checksum-Sha256";
    static final String COMMIT_MESSAGE_HEADER = "X-Commit-Message";

    private final HttpClient http;
    private final String baseUrl;
    private final CallerToken callerToken;
    private final ObjectMapper json;

    ArtifactStreams(
            Vertx vertx,
            CallerToken callerToken,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.rest-client.artifact.url") String baseUrl) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.callerToken = callerToken;
        this.json = json;
    }

    @PreDestroy
    void close() {
        http.closeAndAwait();
    }

    /** Sends {@code content} as the file {@code path}; the content is read as artifact-service accepts it. */
    Uni<Versioned<FileEntry>> upload(
            String namespace,
            String name,
            String path,
            String contentType,
            String contentLength,
            ReadStream<Buffer> content) {
        return callerToken
                .authorization()
                .flatMap(authorization -> {
                    RequestOptions options = request(HttpMethod.PUT, namespace, name, path, authorization);
                    options.putHeader(
                            HttpHeaders.CONTENT_TYPE,
                            contentType == null ? MediaType.APPLICATION_OCTET_STREAM : contentType);
                    if (contentLength != null) {
                        options.putHeader(HttpHeaders.CONTENT_LENGTH, contentLength);
                    }
                    return http.request(options).flatMap(request -> request.send(content));
                })
                .flatMap(response -> response.body().map(body -> {
                    failOnError(response, body);
                    return new Versioned<>(read(body, FileEntry.class), response.getHeader(HttpHeaders.ETAG));
                }));
    }

    /**
     * Uploads a file described by the first part ({@link UploadPart.Target}) with the bytes of the parts after it,
     * sent as they arrive (chunked; each part is written before the next is asked for, so memory stays flat), and
     * returns artifact-service's JSON answer. A stream that breaks resets the request, so nothing is committed.
     */
    Uni<String> upload(Multi<UploadPart> parts) {
        AtomicReference<HttpClientRequest> open = new AtomicReference<>();
        return callerToken
                .authorization()
                .flatMap(authorization -> parts.onItem()
                        .call(part -> switch (part) {
                            case UploadPart.Target target -> {
                                if (open.get() != null) {
                                    throw new IllegalArgumentException("only the first message may be the header");
                                }
                                RequestOptions options = request(
                                        HttpMethod.PUT,
                                        target.namespace(),
                                        target.name(),
                                        target.path(),
                                        authorization);
                                options.putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_OCTET_STREAM);
                                if (target.message() != null
                                        && !target.message().isEmpty()) {
                                    options.putHeader(COMMIT_MESSAGE_HEADER, target.message());
                                }
                                yield http.request(options).invoke(request -> {
                                    request.setChunked(true);
                                    open.set(request);
                                });
                            }
                            case UploadPart.Data data -> {
                                HttpClientRequest request = open.get();
                                if (request == null) {
                                    throw new IllegalArgumentException("the first message must be the header");
                                }
                                yield request.write(data.bytes());
                            }
                        })
                        .collect()
                        .last()
                        .flatMap(last -> {
                            HttpClientRequest request = open.get();
                            if (request == null) {
                                throw new IllegalArgumentException("the stream had no header");
                            }
                            return request.end().flatMap(ended -> request.response());
                        })
                        .flatMap(response -> response.body().map(body -> {
                            failOnError(response, body);
                            return body.toString(StandardCharsets.UTF_8);
                        }))
                        .onFailure()
                        .invoke(() -> {
                            HttpClientRequest request = open.get();
                            if (request != null) {
                                request.reset();
                            }
                        }));
    }

    /**
     * Opens the file {@code path}; the returned download holds the connection until its content is consumed.
     * {@code ifNoneMatch} (may be null) is passed on, so an unchanged file costs no transfer.
     */
    Uni<FileDownload> download(String namespace, String name, String path, String ifNoneMatch) {
        return download(namespace, name, path, null, 0, ifNoneMatch);
    }

    /**
     * Opens the file {@code path} at {@code revision} (null: main) from byte {@code offset} on (a {@code Range} request
     * when it is not 0, so a download resumes where it stopped).
     */
    Uni<FileDownload> download(
            String namespace, String name, String path, String revision, long offset, String ifNoneMatch) {
        return callerToken
                .authorization()
                .flatMap(authorization -> {
                    RequestOptions options = request(HttpMethod.GET, namespace, name, path, authorization);
                    if (revision != null && !revision.isEmpty()) {
                        options.setURI(options.getURI() + "?revision=" + segment(revision));
                    }
                    if (offset > 0) {
                        options.putHeader("Range", "bytes=" + offset + "-");
                    }
                    if (ifNoneMatch != null) {
                        options.putHeader(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
                    }
                    return http.request(options);
                })
                .flatMap(request -> request.send())
                .flatMap(response -> {
                    if (response.statusCode() >= 400) {
                        return response.body().map(body -> {
                            failOnError(response, body);
                            throw new IllegalStateException("unreachable");
                        });
                    }
                    // Hold the body until the caller subscribes; the Multi then fetches it as the caller demands.
                    response.pause();
                    return Uni.createFrom().item(downloadOf(path, response));
                });
    }

    private static FileDownload downloadOf(String path, HttpClientResponse response) {
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        long size = length == null ? -1 : Long.parseLong(length);
        long offset = 0;
        // A partial answer: "bytes <first>-<last>/<size>" gives where it starts and the whole file's size.
        String range = response.getHeader("Content-Range");
        if (response.statusCode() == 206 && range != null && range.startsWith("bytes ")) {
            int dash = range.indexOf('-');
            int slash = range.indexOf('/');
            offset = Long.parseLong(range.substring(6, dash).trim());
            String total = range.substring(slash + 1).trim();
            size = "*".equals(total) ? -1 : Long.parseLong(total);
        }
        return new FileDownload(
                response.statusCode(),
                path,
                size,
                response.getHeader(CHECKSUM_HEADER),
                response.getHeader(HttpHeaders.ETAG),
                response.getHeader(HttpHeaders.CONTENT_TYPE),
                response.getHeader("X-Repo-Commit"),
                offset,
                response.toMulti()
                        .map(Buffer::getDelegate)
                        // A caller that goes away must not leave the downstream connection half read.
                        .onCancellation()
                        .invoke(() -> response.request().reset()));
    }

    private RequestOptions request(
            HttpMethod method, String namespace, String name, String path, Optional<String> authorization) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(baseUrl + "/api/v1/listings/" + segment(namespace) + "/" + segment(name) + "/files/"
                        + Arrays.stream(path.split("/", -1))
                                .map(ArtifactStreams::segment)
                                .collect(Collectors.joining("/")));
        authorization.ifPresent(value -> options.putHeader(HttpHeaders.AUTHORIZATION, value));
        return options;
    }

    private static void failOnError(HttpClientResponse response, Buffer body) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new DownstreamUnavailableException(ArtifactApi.SERVICE, status);
        }
        if (status >= 400) {
            throw new DownstreamProblemException(
                    ArtifactApi.SERVICE,
                    status,
                    response.getHeader(HttpHeaders.CONTENT_TYPE),
                    body.toString(StandardCharsets.UTF_8));
        }
    }

    private <T> T read(Buffer body, Class<T> type) {
        try {
            return json.readValue(body.getBytes(), type);
        } catch (java.io.IOException e) {
            throw new DownstreamUnavailableException(ArtifactApi.SERVICE, e);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
