package org.modelmarket.gateway.grpc;

import java.util.Map;

import jakarta.annotation.security.PermitAll;

import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.v1.Catalog;
import org.modelmarket.gateway.grpc.v1.CreateVersionRequest;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.ListListingsRequest;
import org.modelmarket.gateway.grpc.v1.ListListingsResponse;
import org.modelmarket.gateway.grpc.v1.ListVersionsRequest;
import org.modelmarket.gateway.grpc.v1.ListVersionsResponse;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.ListingSpec;
import org.modelmarket.gateway.grpc.v1.UpdateListingRequest;
import org.modelmarket.gateway.grpc.v1.Version;
import org.modelmarket.gateway.grpc.v1.VersionRef;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * {@code marketplace.v1.Catalog} over catalog-service's REST API, with the caller's token: catalog decides who may
 * read or write what, exactly as over REST. Writes need a token at the edge (UNAUTHENTICATED without one); an API
 * token needs the scope and listing restriction that the same REST call would need ({@link GrpcScopes}).
 */
@GrpcService
public class CatalogGrpcService implements Catalog {

    private final JsonCalls calls;
    private final GrpcScopes scopes;

    CatalogGrpcService(JsonCalls calls, GrpcScopes scopes) {
        this.calls = calls;
        this.scopes = scopes;
    }

    @Override
    @PermitAll
    public Uni<Listing> getListing(GetListingRequest request) {
        return guarded(() -> {
            String path = GrpcRequests.listing(request.getNamespace(), request.getName());
            return scopes.require(Scope.READ, "reads", request.getNamespace(), request.getName())
                    .flatMap(allowed -> calls.read("catalog", path, Listing.getDefaultInstance()));
        });
    }

    @Override
    @PermitAll
    public Uni<ListListingsResponse> listListings(ListListingsRequest request) {
        return guarded(() -> {
            GrpcRequests.paging(request.getPage(), request.getSize());
            String path = request.getNamespace().isEmpty()
                    ? "/api/v1/listings"
                    : "/api/v1/vendors/" + GrpcRequests.segment(request.getNamespace()) + "/listings";
            String query = new GrpcRequests.Query()
                    .add("page", Integer.toString(request.getPage()))
                    .add("size", request.getSize(), true)
                    .toString();
            String namespace = request.getNamespace().isEmpty() ? null : request.getNamespace();
            return scopes.require(Scope.READ, "reads", namespace, null)
                    .flatMap(allowed -> calls.read("catalog", path + query, ListListingsResponse.getDefaultInstance()));
        });
    }

    @Override
    @Authenticated
    public Uni<Listing> createListing(ListingSpec request) {
        return guarded(() -> scopes.require(Scope.PUBLISH, "writes", request.getNamespace(), request.getName())
                .flatMap(allowed -> calls.send("catalog", HttpMethod.POST, "/api/v1/listings", request, Map.of()))
                .map(answer ->
                        JsonCalls.parse(answer.body(), Listing.newBuilder()).build()));
    }

    @Override
    @Authenticated
    public Uni<Listing> updateListing(UpdateListingRequest request) {
        return guarded(() -> {
            String path = GrpcRequests.listing(request.getNamespace(), request.getName());
            GrpcRequests.require(request.hasListing(), "listing is required");
            GrpcRequests.require(request.getExpectedVersion() > 0, "expected_version: the listing's version as read");
            // The spec's own namespace and name cannot move the listing: the path names it.
            ListingSpec spec = request.getListing().toBuilder()
                    .setNamespace(request.getNamespace())
                    .setName(request.getName())
                    .build();
            return scopes.require(Scope.PUBLISH, "writes", request.getNamespace(), request.getName())
                    .flatMap(allowed -> calls.send(
                            "catalog",
                            HttpMethod.PUT,
                            path,
                            spec,
                            Map.of("If-Match", "\"" + request.getExpectedVersion() + "\"")))
                    .map(answer ->
                            JsonCalls.parse(answer.body(), Listing.newBuilder()).build());
        });
    }

    @Override
    @PermitAll
    public Uni<ListVersionsResponse> listVersions(ListVersionsRequest request) {
        return guarded(() -> {
            String path = GrpcRequests.listing(request.getNamespace(), request.getName()) + "/versions";
            GrpcRequests.paging(request.getPage(), request.getSize());
            String query = new GrpcRequests.Query()
                    .add("page", Integer.toString(request.getPage()))
                    .add("size", request.getSize(), true)
                    .toString();
            return scopes.require(Scope.READ, "reads", request.getNamespace(), request.getName())
                    .flatMap(allowed -> calls.read("catalog", path + query, ListVersionsResponse.getDefaultInstance()));
        });
    }

    @Override
    @Authenticated
    public Uni<Version> createVersion(CreateVersionRequest request) {
        return guarded(() -> {
            String path = GrpcRequests.listing(request.getNamespace(), request.getName()) + "/versions";
            GrpcRequests.require(!request.getVersion().isEmpty(), "version is required");
            // The body is catalog's version request: version, releaseNotes, commit (the path names the listing).
            CreateVersionRequest body = CreateVersionRequest.newBuilder()
                    .setVersion(request.getVersion())
                    .setReleaseNotes(request.getReleaseNotes())
                    .setCommit(request.getCommit())
                    .build();
            return scopes.require(Scope.PUBLISH, "writes", request.getNamespace(), request.getName())
                    .flatMap(allowed -> calls.send("catalog", HttpMethod.POST, path, body, Map.of()))
                    .map(answer ->
                            JsonCalls.parse(answer.body(), Version.newBuilder()).build());
        });
    }

    @Override
    @Authenticated
    public Uni<Version> publishVersion(VersionRef request) {
        return guarded(() -> {
            String path = GrpcRequests.listing(request.getNamespace(), request.getName()) + "/versions/";
            GrpcRequests.require(!request.getVersion().isEmpty(), "version is required");
            return scopes.require(Scope.PUBLISH, "writes", request.getNamespace(), request.getName())
                    .flatMap(allowed -> calls.send(
                            "catalog",
                            HttpMethod.POST,
                            path + GrpcRequests.segment(request.getVersion()) + "/publish",
                            null,
                            Map.of()))
                    .map(answer ->
                            JsonCalls.parse(answer.body(), Version.newBuilder()).build());
        });
    }

    /** Runs a call, turning bad input found while building it and every failure into a gRPC status. */
    static <T> Uni<T> guarded(java.util.function.Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().deferred(call).onFailure().transform(GrpcErrors::toStatus);
    }
}
