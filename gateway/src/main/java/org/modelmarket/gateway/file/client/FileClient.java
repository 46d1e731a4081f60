package org.modelmarket.gateway.file.client;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.client.Versioned;
import org.modelmarket.gateway.file.FileDownload;
import org.modelmarket.gateway.file.FileEntry;
import org.modelmarket.gateway.file.FileList;
import org.modelmarket.gateway.problem.DownstreamProblemException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.streams.ReadStream;

/**
 * The gateway's access to artifact-service files, with the timeouts, retries and circuit breaker of those calls.
 * Bodies are streamed, never held whole in memory.
 */
@ApplicationScoped
public class FileClient {

    private final ArtifactApi artifact;
    private final ArtifactStreams streams;

    FileClient(@RestClient ArtifactApi artifact, ArtifactStreams streams) {
        this.artifact = artifact;
        this.streams = streams;
    }

    /** The files of the listing {@code namespace/name}. */
    public Uni<FileList> list(String namespace, String name) {
        return guardedList(namespace, name).onFailure().transform(f -> Downstream.translate(ArtifactApi.SERVICE, f));
    }

    /**
     * Stores {@code content} as the file {@code path}. Neither retried (the stream cannot be replayed) nor timed out
     * (large files take their time), but it counts against the circuit breaker.
     */
    public Uni<Versioned<FileEntry>> upload(
            String namespace,
            String name,
            String path,
            String contentType,
            String contentLength,
            ReadStream<Buffer> content) {
        return guardedUpload(namespace, name, path, contentType, contentLength, content)
                .onFailure()
                .transform(f -> Downstream.translate(ArtifactApi.SERVICE, f));
    }

    /**
     * Opens the file {@code path} for streaming. Timeout and retries cover getting the response headers; once the
     * content flows, the caller's connection paces it. {@code ifNoneMatch} (may be null) is passed on.
     */
    public Uni<FileDownload> download(String namespace, String name, String path, String ifNoneMatch) {
        return guardedDownload(namespace, name, path, ifNoneMatch)
                .onFailure()
                .transform(f -> Downstream.translate(ArtifactApi.SERVICE, f));
    }

    /**
     * Opens the file {@code path} at {@code revision} (null: main) from byte {@code offset}: a download that resumes.
     * Timeout and retries as {@link #download(String, String, String, String)}.
     */
    public Uni<FileDownload> download(String namespace, String name, String path, String revision, long offset) {
        return guardedDownloadFrom(namespace, name, path, revision, offset)
                .onFailure()
                .transform(f -> Downstream.translate(ArtifactApi.SERVICE, f));
    }

    /**
     * Streams a file to artifact-service as it arrives: the first part says where, the rest are its bytes; returns
     * artifact-service's answer (JSON). Neither retried nor timed out, like the other upload.
     */
    public Uni<String> upload(Multi<UploadPart> parts) {
        return guardedStreamUpload(parts).onFailure().transform(f -> Downstream.translate(ArtifactApi.SERVICE, f));
    }

    // Package-private so the interceptors apply (ArC intercepts self-invocation) and the public methods can
    // translate their failures too.

    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<FileList> guardedList(String namespace, String name) {
        return artifact.list(namespace, name);
    }

    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<Versioned<FileEntry>> guardedUpload(
            String namespace,
            String name,
            String path,
            String contentType,
            String contentLength,
            ReadStream<Buffer> content) {
        return streams.upload(namespace, name, path, contentType, contentLength, content);
    }

    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<FileDownload> guardedDownload(String namespace, String name, String path, String ifNoneMatch) {
        return streams.download(namespace, name, path, ifNoneMatch);
    }

    @Timeout
    @Retry(abortOn = DownstreamProblemException.class)
    @CircuitBreaker(skipOn = DownstreamProblemException.class)
    Uni<FileDownload> guardedDownloadFrom(String namespace, String name, String path, String revision, long offset) {
        return streams.download(namespace, name, path, revision, offset, null);
    }

    @CircuitBreaker(
            skipOn = {
                DownstreamProblemException.class,
                IllegalArgumentException.class,
                io.grpc.StatusRuntimeException.class
            })
    Uni<String> guardedStreamUpload(Multi<UploadPart> parts) {
        return streams.upload(parts);
    }
}
