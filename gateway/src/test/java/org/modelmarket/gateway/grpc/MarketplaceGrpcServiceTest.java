package org.modelmarket.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.assertStatus;

import java.io.ByteArrayOutputStream;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.CreateListingRequest;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.FileChunk;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.grpc.v1.SearchResponse;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.GrpcCalls;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.stack.test.TestTokens;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Calls marketplace.v1 through a real grpc-java (Netty) client on the gateway's HTTP port. */
@QuarkusTest
class MarketplaceGrpcServiceTest {

    @GrpcClient("marketplace")
    Marketplace marketplace;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void anonymousSearch() {
        stub.json("search", 200, """
                {"total":7,"page":1,"size":5,"items":[{"id":"acme/resnet-50","listingId":"u1","title":"ResNet-50",
                 "priceType":"free","tags":["vision"]}]}""");

        SearchResponse response = marketplace
                .search(SearchRequest.newBuilder()
                        .setQuery("resnet")
                        .setPage(1)
                        .setSize(5)
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(response.getTotal()).isEqualTo(7);
        assertThat(response.getItems(0).getId()).isEqualTo("acme/resnet-50");
        assertThat(response.getItems(0).getSummary()).isEmpty();
        assertThat(response.getItems(0).getTagsList()).containsExactly("vision");
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search?q=resnet&page=1&size=5");
    }

    @Test
    void searchRejectsBadPageSize() {
        assertStatus(
                () -> marketplace
                        .search(SearchRequest.newBuilder().setSize(500).build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void searchServiceDownIsUnavailable() {
        stub.down("search");

        assertStatus(
                () -> marketplace
                        .search(SearchRequest.getDefaultInstance())
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAVAILABLE);
    }

    @Test
    void anonymousGetListing() {
        stub.json("catalog", 200, Listings.RESNET);

        Listing listing = marketplace
                .getListing(GetListingRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(listing.getId()).isEqualTo("acme/resnet-50");
        assertThat(listing.getOwnersList()).containsExactly("alice");
        assertThat(listing.getVersion()).isEqualTo(1);
        assertThat(listing.getCreatedAt().getSeconds()).isEqualTo(1_795_341_600L);
        assertThat(stub.onlyCall("catalog").uri()).isEqualTo("/api/v1/listings/acme/resnet-50");
    }

    @Test
    void unknownListingIsNotFound() {
        stub.json("catalog", 404, Listings.problem(404, "Not found", "no listing acme/nope"));

        StatusRuntimeException e = assertStatus(
                () -> marketplace
                        .getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("nope")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).isEqualTo("no listing acme/nope");
    }

    @Test
    void vendorCreatesListingWithOwnToken() {
        stub.json("catalog", 201, Listings.RESNET);
        String token = TestTokens.bearer("alice", "vendor");

        Listing listing = withToken(token).createListing(newResnet()).await().atMost(WAIT);

        assertThat(listing.getListingId()).isEqualTo("6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40");
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.header("Authorization")).isEqualTo(token);
        JsonObject sent = call.body().toJsonObject();
        assertThat(sent.getString("name")).isEqualTo("resnet-50");
        assertThat(sent.getJsonArray("tags").getList()).isEqualTo(List.of("vision"));
    }

    @Test
    void createWithoutTokenIsUnauthenticated() {
        assertStatus(() -> marketplace.createListing(newResnet()).await().atMost(WAIT), Status.Code.UNAUTHENTICATED);
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void createWithInvalidTokenIsUnauthenticated() {
        assertStatus(
                () -> withToken(TestTokens.expiredBearer("alice", "vendor"))
                        .createListing(newResnet())
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAUTHENTICATED);
        assertThat(stub.calls("catalog")).isEmpty();
    }

    @Test
    void whoMayCreateIsCatalogsDecisionAsOverRest() {
        // A buyer's create is forwarded with the buyer's token, as POST /api/v1/listings is; catalog's 403 comes
        // back as PERMISSION_DENIED with its message.
        String buyer = TestTokens.bearer("bob", "buyer");
        stub.json("catalog", 403, Listings.problem(403, "Forbidden", "bob is not a member of vendor acme"));

        StatusRuntimeException refused = assertStatus(
                () -> withToken(buyer).createListing(newResnet()).await().atMost(WAIT), Status.Code.PERMISSION_DENIED);

        assertThat(refused.getStatus().getDescription()).isEqualTo("bob is not a member of vendor acme");
        assertThat(stub.onlyCall("catalog").header("Authorization")).isEqualTo(buyer);

        // An admin (not a vendor) is not refused at the gateway either: catalog decides, here it creates.
        stub.reset();
        stub.json("catalog", 201, Listings.RESNET);
        String admin = TestTokens.bearer("root", "admin");

        Listing listing = withToken(admin).createListing(newResnet()).await().atMost(WAIT);

        assertThat(listing.getListingId()).isEqualTo("6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40");
        assertThat(stub.onlyCall("catalog").header("Authorization")).isEqualTo(admin);
    }

    @Test
    void catalogValidationIsInvalidArgument() {
        stub.json("catalog", 400, """
                {"title":"Invalid request","status":400,"detail":"The listing has invalid fields.",\
                "errors":[{"field":"name","message":"must match the id pattern"}]}""");

        StatusRuntimeException e = assertStatus(
                () -> withToken(TestTokens.bearer("alice", "vendor"))
                        .createListing(newResnet())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
                .isEqualTo("The listing has invalid fields.; name: must match the id pattern");
    }

    @Test
    void duplicateIsAlreadyExists() {
        stub.json(
                "catalog",
                409,
                Listings.problem("listing-exists", 409, "Listing already exists", "acme/resnet-50 already exists"));

        assertStatus(
                () -> withToken(TestTokens.bearer("alice", "vendor"))
                        .createListing(newResnet())
                        .await()
                        .atMost(WAIT),
                Status.Code.ALREADY_EXISTS);
    }

    @Test
    void downloadStreamsChunksAfterMetadata() {
        byte[] content = Bytes.random(1024 * 1024 + 3, 3);
        String sha256 = Bytes.sha256(content);
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(200)
                        .putHeader("Content-Type", "application/octet-stream")
                        .putHeader("X-Checksum-Sha256", sha256)
                        .end(Buffer.buffer(content)));

        List<FileChunk> chunks = marketplace
                .downloadFile(DownloadFileRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("resnet-50")
                        .setPath("weights/model.bin")
                        .build())
                .collect()
                .asList()
                .await()
                .atMost(WAIT);

        assertThat(chunks.get(0).getInfo().getPath()).isEqualTo("weights/model.bin");
        assertThat(chunks.get(0).getInfo().getSize()).isEqualTo(content.length);
        assertThat(chunks.get(0).getInfo().getSha256()).isEqualTo(sha256);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        chunks.forEach(chunk -> received.writeBytes(chunk.getData().toByteArray()));
        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(chunks.size()).as("streamed in several messages").isGreaterThan(2);
        assertThat(stub.onlyCall("artifact").uri())
                .isEqualTo("/api/v1/listings/acme/resnet-50/files/weights/model.bin");
    }

    @Test
    void dotSegmentsAreInvalidArgumentBeforeAnyServiceIsAsked() {
        StatusRuntimeException listing = assertStatus(
                () -> marketplace
                        .getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("..")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(listing.getStatus().getDescription()).isEqualTo("'..' is not a valid name");
        StatusRuntimeException file = assertStatus(
                () -> marketplace
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("resnet-50")
                                .setPath("../../other/files/model.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(file.getStatus().getDescription()).isEqualTo("path: must not contain '.' or '..' segments");
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void downloadOfUnknownFileIsNotFound() {
        stub.json("artifact", 404, Listings.problem(404, "Not found", "no file"));

        assertStatus(
                () -> marketplace
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("resnet-50")
                                .setPath("nope.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.NOT_FOUND);
    }

    @Test
    void downloadRequiresAPath() {
        assertStatus(
                () -> marketplace
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("resnet-50")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
    }

    private Marketplace withToken(String bearer) {
        return GrpcCalls.withToken(marketplace, bearer);
    }

    private static CreateListingRequest newResnet() {
        return CreateListingRequest.newBuilder()
                .setNamespace("acme")
                .setName("resnet-50")
                .setTitle("ResNet-50")
                .setModality("image")
                .setTask("image-classification")
                .setLicense("apache-2.0")
                .addTags("vision")
                .setPriceType("free")
                .build();
    }
}
