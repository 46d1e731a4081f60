package org.modelmarket.gateway.file.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
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

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
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
     * Opens the file {@code path}; the returned download holds the connection until its content is consumed.
     * {@code ifNoneMatch} (may be null) is passed on, so an unchanged file costs no transfer.
     */
    Uni<FileDownload> download(String namespace, String name, String path, String ifNoneMatch) {
        return callerToken
                .authorization()
                .flatMap(authorization -> {
                    RequestOptions options = request(HttpMethod.GET, namespace, name, path, authorization);
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
        return new FileDownload(
                response.statusCode(),
                path,
                size,
                response.getHeader(CHECKSUM_HEADER),
                response.getHeader(HttpHeaders.ETAG),
                response.getHeader(HttpHeaders.CONTENT_TYPE),
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
