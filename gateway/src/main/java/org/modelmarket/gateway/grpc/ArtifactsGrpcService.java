package org.modelmarket.gateway.grpc;

import jakarta.annotation.security.PermitAll;

import org.modelmarket.gateway.file.client.FileClient;
import org.modelmarket.gateway.file.client.UploadPart;
import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.v1.Artifacts;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.FileChunk;
import org.modelmarket.gateway.grpc.v1.UploadChunk;
import org.modelmarket.gateway.grpc.v1.UploadedFile;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * {@code marketplace.v1.Artifacts}: a listing's files, streamed both ways with flow control (a chunk is passed on
 * before the next is asked for), never held whole in the gateway. artifact-service decides access.
 */
@GrpcService
public class ArtifactsGrpcService implements Artifacts {

    private final FileClient files;
    private final GrpcScopes scopes;

    ArtifactsGrpcService(FileClient files, GrpcScopes scopes) {
        this.files = files;
        this.scopes = scopes;
    }

    @Override
    @PermitAll
    public Multi<FileChunk> download(DownloadFileRequest request) {
        if (request.getNamespace().isEmpty()
                || request.getName().isEmpty()
                || request.getPath().isEmpty()) {
            return Multi.createFrom().failure(GrpcErrors.invalidArgument("namespace, name and path are required"));
        }
        if (request.getOffset() < 0) {
            return Multi.createFrom().failure(GrpcErrors.invalidArgument("offset: must be 0 or more"));
        }
        return GrpcRequests.checkedStream(
                () -> {
                    GrpcRequests.listing(request.getNamespace(), request.getName());
                    GrpcRequests.filePath(request.getPath());
                },
                () -> scopes.require(Scope.DOWNLOAD, "file downloads", request.getNamespace(), request.getName())
                        .flatMap(allowed -> files.download(
                                request.getNamespace(),
                                request.getName(),
                                request.getPath(),
                                request.getRevision(),
                                request.getOffset()))
                        .onItem()
                        .transformToMulti(ProtoMapping::chunks)
                        .onFailure()
                        .transform(GrpcErrors::toStatus));
    }

    @Override
    @Authenticated
    public Uni<UploadedFile> upload(Multi<UploadChunk> request) {
        // The caller's check is resolved now: the header arrives later, outside the call's context.
        return scopes.check()
                .flatMap(check -> files.upload(request.map(chunk -> switch (chunk.getPartCase()) {
                    case HEADER -> {
                        var header = chunk.getHeader();
                        if (header.getNamespace().isEmpty()
                                || header.getName().isEmpty()
                                || header.getPath().isEmpty()) {
                            throw new IllegalArgumentException("header: namespace, name and path are required");
                        }
                        // Dot segments would name another listing than the one the scope is checked for.
                        GrpcRequests.listing(header.getNamespace(), header.getName());
                        GrpcRequests.filePath(header.getPath());
                        // The listing is known once the header arrives: an API token's scope is checked then.
                        check.require(Scope.PUBLISH, "writes", header.getNamespace(), header.getName());
                        yield new UploadPart.Target(
                                header.getNamespace(), header.getName(), header.getPath(), header.getMessage());
                    }
                    case DATA ->
                        new UploadPart.Data(Buffer.buffer(chunk.getData().toByteArray()));
                    case PART_NOT_SET -> throw new IllegalArgumentException("a message must carry a header or data");
                })))
                .map(answer ->
                        JsonCalls.parse(answer, UploadedFile.newBuilder()).build())
                .onFailure()
                .transform(GrpcErrors::toStatus);
    }
}
