package org.modelmarket.gateway.grpc;

import jakarta.annotation.security.PermitAll;

import org.modelmarket.gateway.client.Versioned;
import org.modelmarket.gateway.file.client.FileClient;
import org.modelmarket.gateway.grpc.v1.CreateListingRequest;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.FileChunk;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SearchResponse;
import org.modelmarket.gateway.listing.client.ListingClient;
import org.modelmarket.gateway.search.SearchLimits;
import org.modelmarket.gateway.search.client.SearchClient;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The {@code marketplace.v1.Marketplace} gRPC service: the same operations as REST, over the same client beans.
 * Bearer tokens in the {@code authorization} metadata are validated by quarkus-oidc, as gRPC shares the HTTP server.
 */
@GrpcService
public class MarketplaceGrpcService implements Marketplace {

    private static final int MAX_PAGE_SIZE = 100;

    private final SearchClient search;
    private final ListingClient listings;
    private final FileClient files;
    private final GrpcScopes scopes;

    MarketplaceGrpcService(SearchClient search, ListingClient listings, FileClient files, GrpcScopes scopes) {
        this.search = search;
        this.listings = listings;
        this.files = files;
        this.scopes = scopes;
    }

    @Override
    @PermitAll
    public Uni<SearchResponse> search(SearchRequest request) {
        if (request.getPage() < 0) {
            return Uni.createFrom().failure(GrpcErrors.invalidArgument("page: must be greater than or equal to 0"));
        }
        if (request.getSize() < 0 || request.getSize() > MAX_PAGE_SIZE) {
            return Uni.createFrom().failure(GrpcErrors.invalidArgument("size: must be between 1 and 100"));
        }
        if (request.getQuery().length() > SearchLimits.MAX_QUERY_LENGTH) {
            return Uni.createFrom()
                    .failure(GrpcErrors.invalidArgument(
                            "query: " + SearchLimits.tooLong(SearchLimits.MAX_QUERY_LENGTH)));
        }
        // Protobuf cannot tell 0 from unset: 0 means "the service's default".
        Integer size = request.getSize() == 0 ? null : request.getSize();
        String query = request.getQuery().isEmpty() ? null : request.getQuery();
        return search.search(query, request.getPage(), size)
                .map(ProtoMapping::toProto)
                .onFailure()
                .transform(GrpcErrors::toStatus);
    }

    @Override
    @PermitAll
    public Uni<Listing> getListing(GetListingRequest request) {
        if (request.getNamespace().isEmpty() || request.getName().isEmpty()) {
            return Uni.createFrom().failure(GrpcErrors.invalidArgument("namespace and name are required"));
        }
        return GrpcRequests.checked(
                () -> GrpcRequests.listing(request.getNamespace(), request.getName()),
                () -> scopes.require(Scope.READ, "reads", request.getNamespace(), request.getName())
                        .chain(() -> listings.get(request.getNamespace(), request.getName()))
                        .map(found -> ProtoMapping.toProto(found.value()))
                        .onFailure()
                        .transform(GrpcErrors::toStatus));
    }

    @Override
    // Authenticated only, as POST /api/v1/listings: who may create in a namespace (a member of its vendor, an
    // admin) is catalog's decision, whose refusal comes back as PERMISSION_DENIED.
    @Authenticated
    public Uni<Listing> createListing(CreateListingRequest request) {
        return scopes.require(Scope.PUBLISH, "writes", request.getNamespace(), request.getName())
                .chain(() -> listings.create(ProtoMapping.toNewListing(request)))
                .map(Versioned::value)
                .map(ProtoMapping::toProto)
                .onFailure()
                .transform(GrpcErrors::toStatus);
    }

    @Override
    @PermitAll
    public Multi<FileChunk> downloadFile(DownloadFileRequest request) {
        if (request.getNamespace().isEmpty()
                || request.getName().isEmpty()
                || request.getPath().isEmpty()) {
            return Multi.createFrom().failure(GrpcErrors.invalidArgument("namespace, name and path are required"));
        }
        return GrpcRequests.checkedStream(
                () -> {
                    GrpcRequests.listing(request.getNamespace(), request.getName());
                    GrpcRequests.filePath(request.getPath());
                },
                () -> scopes.require(Scope.DOWNLOAD, "file downloads", request.getNamespace(), request.getName())
                        .chain(() -> files.download(request.getNamespace(), request.getName(), request.getPath(), null))
                        .onItem()
                        .transformToMulti(ProtoMapping::chunks)
                        .onFailure()
                        .transform(GrpcErrors::toStatus));
    }
}
