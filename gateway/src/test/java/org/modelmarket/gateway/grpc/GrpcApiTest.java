package org.modelmarket.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.modelmarket.gateway.testing.GrpcCalls.AUTHORIZATION;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.assertStatus;
import static org.modelmarket.gateway.testing.GrpcCalls.withToken;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.v1.Artifacts;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.Billing;
import org.modelmarket.gateway.grpc.v1.Catalog;
import org.modelmarket.gateway.grpc.v1.CatalogGrpc;
import org.modelmarket.gateway.grpc.v1.CreateVersionRequest;
import org.modelmarket.gateway.grpc.v1.DownloadFileRequest;
import org.modelmarket.gateway.grpc.v1.FacetedSearchRequest;
import org.modelmarket.gateway.grpc.v1.FacetedSearchResponse;
import org.modelmarket.gateway.grpc.v1.FileChunk;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsRequest;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsResponse;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.ListListingsRequest;
import org.modelmarket.gateway.grpc.v1.ListListingsResponse;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.grpc.v1.ListingSpec;
import org.modelmarket.gateway.grpc.v1.MeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.MutinyCatalogGrpc;
import org.modelmarket.gateway.grpc.v1.Search;
import org.modelmarket.gateway.grpc.v1.SubscribeRequest;
import org.modelmarket.gateway.grpc.v1.Subscription;
import org.modelmarket.gateway.grpc.v1.SuggestRequest;
import org.modelmarket.gateway.grpc.v1.UpdateListingRequest;
import org.modelmarket.gateway.grpc.v1.UploadChunk;
import org.modelmarket.gateway.grpc.v1.UploadHeader;
import org.modelmarket.gateway.grpc.v1.UploadedFile;
import org.modelmarket.gateway.grpc.v1.UsageRecord;
import org.modelmarket.gateway.grpc.v1.UsageRecordResult;
import org.modelmarket.gateway.grpc.v1.Version;
import org.modelmarket.gateway.grpc.v1.VersionRef;
import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.gateway.token.ApiTokens;
import org.modelmarket.stack.test.TestTokens;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;

/**
 * The Catalog, Search, Billing and Artifacts services of {@code marketplace.v1} through a real grpc-java client on
 * the gateway's port, against scripted services: what each call asks of which service (path, query, body, the
 * caller's token), how the answer maps, and the status of every kind of failure.
 */
@QuarkusTest
class GrpcApiTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @GrpcClient("marketplace")
    Catalog catalog;

    @GrpcClient("marketplace")
    MutinyCatalogGrpc.MutinyCatalogStub catalogStub;

    @GrpcClient("marketplace")
    Search search;

    @GrpcClient("marketplace")
    Billing billing;

    @GrpcClient("marketplace")
    Artifacts artifacts;

    @GrpcClient("marketplace")
    HealthGrpc.HealthBlockingStub health;

    @Inject
    DownstreamStub stub;

    @Inject
    JsonCalls calls;

    @Inject
    Vertx vertx;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    // ---- Catalog ----

    @Test
    void getsAListingWithItsStatsAnonymously() {
        stub.json("catalog", 200, """
                {"listingId":"7d5f8a52-0000-4000-8000-000000000001","id":"acme/tiny","namespace":"acme","name":"tiny",
                 "title":"Tiny","modality":"text","gated":true,"formats":["safetensors"],"version":3,
                 "stats":{"downloads":12,"downloads30d":5,"likes":3,"rating":4.5,"ratingCount":2},
                 "evaluationResults":[{"metric":"accuracy","value":0.9}],"createdAt":"2026-11-22T10:05:00.123456Z"}""");

        Listing listing = catalog.getListing(GetListingRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(listing.getListingId()).isEqualTo("7d5f8a52-0000-4000-8000-000000000001");
        assertThat(listing.getGated()).isTrue();
        assertThat(listing.getFormatsList()).containsExactly("safetensors");
        assertThat(listing.getVersion()).isEqualTo(3);
        assertThat(listing.getStats().getDownloads30D()).isEqualTo(5);
        assertThat(listing.getStats().getRating()).isEqualTo(4.5);
        assertThat(listing.getStats().getRatingCount()).isEqualTo(2);
        assertThat(listing.getCreatedAt().getNanos()).isEqualTo(123_456_000);
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/tiny");
        assertThat(call.header("Authorization")).isNull();
    }

    @Test
    void listsAVendorsListingsPageByPage() {
        stub.json("catalog", 200, """
                {"items":[{"id":"acme/a"},{"id":"acme/b"}],"page":1,"size":2,"total":5}""");

        ListListingsResponse page = catalog.listListings(ListListingsRequest.newBuilder()
                        .setNamespace("acme")
                        .setPage(1)
                        .setSize(2)
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(page.getItemsList()).extracting(Listing::getId).containsExactly("acme/a", "acme/b");
        assertThat(page.getTotal()).isEqualTo(5);
        assertThat(stub.onlyCall("catalog").uri()).isEqualTo("/api/v1/vendors/acme/listings?page=1&size=2");

        assertStatus(
                () -> catalog.listListings(
                                ListListingsRequest.newBuilder().setSize(101).build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void createsAListingWithTheCallersTokenAndCatalogsFieldNames() {
        String token = TestTokens.bearer("alice", "vendor");
        stub.json("catalog", 201, """
                {"id":"acme/tiny","namespace":"acme","name":"tiny","status":"draft","version":1}""");

        Listing created = withToken(catalog, token)
                .createListing(ListingSpec.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .setTitle("Tiny")
                        .setModelCard("# Tiny")
                        .setModality("text")
                        .setLicense("mit")
                        .setPriceType("free")
                        .setGated(false)
                        .addTags("bert")
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(created.getStatus()).isEqualTo("draft");
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.uri()).isEqualTo("/api/v1/listings");
        assertThat(call.header("Authorization")).isEqualTo(token);
        JsonObject body = call.body().toJsonObject();
        assertThat(body.getString("modelCard")).isEqualTo("# Tiny");
        assertThat(body.getString("priceType")).isEqualTo("free");
        assertThat(body.getBoolean("gated"))
                .as("an explicitly set optional is sent")
                .isFalse();
        assertThat(body.containsKey("eula"))
                .as("unset text is left out, not sent empty")
                .isFalse();
        assertThat(body.getJsonArray("tags")).isEqualTo(new JsonArray(List.of("bert")));
    }

    @Test
    void writesNeedAToken() {
        assertStatus(
                () -> catalog.createListing(
                                ListingSpec.newBuilder().setName("x").build())
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAUTHENTICATED);
        assertStatus(
                () -> billing.subscribe(SubscribeRequest.getDefaultInstance())
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAUTHENTICATED);
        assertStatus(
                () -> artifacts
                        .upload(Multi.createFrom().items(header("a.txt"), data("x")))
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAUTHENTICATED);
        assertThat(stub.calls("catalog")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
        assertThat(stub.calls("artifact")).isEmpty();
    }

    @Test
    void updatesWithTheVersionReadAsIfMatchAndReportsAStaleOne() {
        String token = TestTokens.bearer("alice", "vendor");
        stub.json("catalog", 412, Listings.problem(412, "Precondition failed", "the listing changed since version 3"));

        StatusRuntimeException e = assertStatus(
                () -> withToken(catalog, token)
                        .updateListing(UpdateListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setExpectedVersion(3)
                                .setListing(ListingSpec.newBuilder()
                                        .setNamespace("evil")
                                        .setTitle("Tiny 2"))
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.FAILED_PRECONDITION);

        assertThat(e.getStatus().getDescription()).contains("changed since version 3");
        DownstreamStub.Recorded call = stub.onlyCall("catalog");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/tiny");
        assertThat(call.header("If-Match")).isEqualTo("\"3\"");
        assertThat(call.body().toJsonObject().getString("namespace")).isEqualTo("acme");

        assertStatus(
                () -> withToken(catalog, token)
                        .updateListing(UpdateListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setListing(ListingSpec.getDefaultInstance())
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("catalog")).hasSize(1);
    }

    @Test
    void createsListsAndPublishesVersions() {
        String token = TestTokens.bearer("alice", "vendor");
        stub.answer("catalog", (request, response) -> {
            String version = """
                    {"listing":"acme/tiny","version":"1.2.0","commit":"%s","status":"%s",
                     "createdAt":"2026-11-29T10:00:00Z"}""";
            String body = switch (request.method() + " " + request.uri()) {
                case "POST /api/v1/listings/acme/tiny/versions" -> version.formatted(COMMIT, "draft");
                case "POST /api/v1/listings/acme/tiny/versions/1.2.0/publish" -> version.formatted(COMMIT, "published");
                case "GET /api/v1/listings/acme/tiny/versions?page=0" ->
                    "{\"items\":[" + version.formatted(COMMIT, "published") + "],\"page\":0,\"size\":20,\"total\":1}";
                default -> null;
            };
            response.setStatusCode(body == null ? 500 : 200).end(body == null ? "unexpected" : body);
        });

        Version draft = withToken(catalog, token)
                .createVersion(CreateVersionRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .setVersion("1.2.0")
                        .setReleaseNotes("faster")
                        .setCommit(COMMIT)
                        .build())
                .await()
                .atMost(WAIT);
        Version published = withToken(catalog, token)
                .publishVersion(VersionRef.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .setVersion("1.2.0")
                        .build())
                .await()
                .atMost(WAIT);
        var versions = catalog.listVersions(org.modelmarket.gateway.grpc.v1.ListVersionsRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(draft.getStatus()).isEqualTo("draft");
        assertThat(published.getStatus()).isEqualTo("published");
        assertThat(versions.getItemsList()).extracting(Version::getCommit).containsExactly(COMMIT);
        JsonObject body = stub.calls("catalog").get(0).body().toJsonObject();
        assertThat(body.getMap())
                .containsOnlyKeys("version", "releaseNotes", "commit")
                .containsEntry("commit", COMMIT);
    }

    @Test
    void aDeadlineShorterThanTheServiceIsHonoured() {
        // catalog never answers; the caller gave the call 300 ms.
        stub.answer("catalog", (request, response) -> {});
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, TestTokens.bearer("bob", "buyer"));

        assertStatus(
                () -> catalogStub
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                        .getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void theDeadlineSentEndsTheBackendCallOfACallThatChecksItsCallerFirstWithoutRetry() {
        // catalog never answers. A grpc-java client cancels at its own deadline, so its status says nothing about
        // the gateway; this client sends grpc-timeout and waits for the gateway's own answer. Every RPC resolves
        // its caller (scopes) before the backend call, so this is the case where the deadline was lost before.
        stub.answer("catalog", (request, response) -> {});
        String apiToken = "Bearer "
                + ApiTokens.create(
                        TestTokens.bearerOf("dora-" + java.util.UUID.randomUUID(), List.of("acme"), "buyer"),
                        "{\"name\":\"ci\",\"scopes\":[\"read\"]}");

        for (String bearer : List.of(TestTokens.bearer("bob", "buyer"), apiToken)) {
            stub.reset();
            stub.answer("catalog", (request, response) -> {});

            GrpcClientResponse<GetListingRequest, Listing> answer = callWithTimeoutHeader(
                    CatalogGrpc.getGetListingMethod(),
                    GetListingRequest.newBuilder()
                            .setNamespace("acme")
                            .setName("tiny")
                            .build(),
                    bearer,
                    "1000m");

            assertThat(answer.status()).as(answer.statusMessage()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
            assertThat(answer.statusMessage()).contains("catalog did not answer within the call's deadline");
            // The gateway has answered, so the backend call is over: at most one attempt, no retry after the
            // deadline (without it, the 3 s response timeout would have given UNAVAILABLE).
            assertThat(stub.calls("catalog")).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** A unary call by a client that sends {@code grpc-timeout} but, unlike grpc-java, waits for the server's end. */
    private <Q, A> GrpcClientResponse<Q, A> callWithTimeoutHeader(
            io.grpc.MethodDescriptor<Q, A> method, Q message, String bearer, String timeout) {
        io.vertx.grpc.client.GrpcClient client = io.vertx.grpc.client.GrpcClient.client(vertx);
        try {
            return client.request(SocketAddress.inetSocketAddress(gateway.getPort(), "127.0.0.1"), method)
                    .compose(request -> {
                        request.headers().set("grpc-timeout", timeout).set("authorization", bearer);
                        return request.send(message);
                    })
                    .compose(response -> response.end().transform(ended -> Future.succeededFuture(response)))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            client.close();
        }
    }

    @Test
    @ActivateRequestContext
    void aBackendCallEndsAtTheCallersDeadlineNotAtTheServiceTimeout() throws Exception {
        // The client above gives up at its deadline whatever the server does; this checks the server side: the
        // backend call itself fails with DEADLINE_EXCEEDED (the 3 s response timeout would be UNAVAILABLE).
        stub.answer("catalog", (request, response) -> {});
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            Context.CancellableContext context = Context.current().withDeadlineAfter(200, TimeUnit.MILLISECONDS, timer);
            Uni<JsonCalls.Answer> call = context.call(() -> calls.get("catalog", "/api/v1/listings/acme/tiny"));

            Throwable failure = catchThrowable(() -> call.await().atMost(WAIT));

            assertThat(failure).isInstanceOf(StatusRuntimeException.class);
            assertThat(((StatusRuntimeException) failure).getStatus().getCode())
                    .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            // At most the one attempt (on a loaded machine the deadline may pass before it reaches the service).
            assertThat(stub.calls("catalog")).hasSizeLessThanOrEqualTo(1);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aServiceThatIsDownIsUnavailable() {
        stub.down("catalog");

        assertStatus(
                () -> catalog.getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.UNAVAILABLE);
    }

    // ---- Search ----

    @Test
    void searchesWithFiltersAndReadsFacetsAndHighlights() {
        stub.json("search", 200, """
                {"total":48,"totalRelation":"eq","page":0,"size":2,"sort":"downloads",
                 "items":[{"id":"acme/whisper","listingId":"u1","title":"Whisper","stats":{"downloads":9},
                           "highlights":{"title":["<em>Whisper</em>"]}}],
                 "facets":{"modality":[{"value":"audio","count":31},{"value":"text","count":2}],
                           "task":[{"value":"automatic-speech-recognition","count":30}]},
                 "nextCursor":"abc"}""");

        FacetedSearchResponse response = search.search(FacetedSearchRequest.newBuilder()
                        .setQuery("speech to text")
                        .addModality("audio")
                        .addModality("text")
                        .addLicense("mit")
                        .setGated("false")
                        .setMinRating(3.5)
                        .setSort("downloads")
                        .setSize(2)
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(response.getTotal()).isEqualTo(48);
        assertThat(response.getTotalRelation()).isEqualTo("eq");
        assertThat(response.getItems(0).getStats().getDownloads()).isEqualTo(9);
        assertThat(response.getItems(0).getHighlightsMap().get("title").getValuesList())
                .containsExactly("<em>Whisper</em>");
        assertThat(response.getFacetsMap().get("modality").getValuesList())
                .extracting(f -> f.getValue() + "=" + f.getCount())
                .containsExactly("audio=31", "text=2");
        assertThat(response.getNextCursor()).isEqualTo("abc");
        assertThat(stub.onlyCall("search").uri())
                .isEqualTo("/api/v1/search?q=speech+to+text&modality=audio&modality=text&license=mit&gated=false"
                        + "&minRating=3.5&sort=downloads&size=2&page=0");
    }

    @Test
    void searchBadInputIsInvalidArgumentWithTheServicesWords() {
        assertStatus(
                () -> search.search(FacetedSearchRequest.newBuilder()
                                .setCursor("*")
                                .setPage(2)
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("search")).isEmpty();

        stub.json("search", 400, Listings.problem(400, "Bad request", "sort: unknown order 'best'"));
        StatusRuntimeException e = assertStatus(
                () -> search.search(FacetedSearchRequest.newBuilder()
                                .setSort("best")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("unknown order 'best'");
    }

    @Test
    void suggests() {
        stub.json("search", 200, """
                {"q":"whi","items":[{"id":"acme/whisper","listingId":"u1","title":"Whisper","task":"asr"}]}""");

        var suggestions = search.suggest(
                        SuggestRequest.newBuilder().setQuery("whi").setSize(3).build())
                .await()
                .atMost(WAIT);

        assertThat(suggestions.getItems(0).getTitle()).isEqualTo("Whisper");
        assertThat(stub.onlyCall("search").uri()).isEqualTo("/api/v1/search/suggest?q=whi&size=3");
        assertStatus(
                () -> search.suggest(SuggestRequest.newBuilder().build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
    }

    // ---- Billing ----

    @Test
    void subscribesAndMapsBillingsConflictsByWhatTheyMean() {
        String token = TestTokens.bearer("bob", "buyer");
        stub.json("billing", 201, """
                {"subscriptionId":"5b0c0000-0000-4000-8000-000000000001","listing":"acme/paid","status":"trial",
                 "plan":"monthly","pricingVersion":2,"trialEndsAt":"2026-12-13T00:00:00Z","cancelAtPeriodEnd":false}""");

        Subscription subscription = withToken(billing, token)
                .subscribe(SubscribeRequest.newBuilder()
                        .setListing("acme/paid")
                        .setPlan("monthly")
                        .setTermsVersion("v1")
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(subscription.getStatus()).isEqualTo("trial");
        assertThat(subscription.getTrialEndsAt().getSeconds()).isPositive();
        DownstreamStub.Recorded call = stub.onlyCall("billing");
        assertThat(call.uri()).isEqualTo("/api/v1/subscriptions");
        assertThat(call.header("Authorization")).isEqualTo(token);
        assertThat(call.body().toJsonObject().getMap())
                .containsOnlyKeys("listing", "plan", "termsVersion")
                .containsEntry("termsVersion", "v1");

        // billing's 409s, as it sends them: a real duplicate is ALREADY_EXISTS; a free listing has nothing to subscribe
        // to (the listing's state, not something that exists already) and is FAILED_PRECONDITION.
        stub.json(
                "billing",
                409,
                Listings.problem(
                        "already-subscribed",
                        409,
                        "The buyer already holds a subscription to this listing",
                        "You already hold a subscription to acme/paid."));
        StatusRuntimeException duplicate = assertStatus(
                () -> withToken(billing, token)
                        .subscribe(SubscribeRequest.newBuilder()
                                .setListing("acme/paid")
                                .setPlan("monthly")
                                .setTermsVersion("v1")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.ALREADY_EXISTS);
        assertThat(duplicate.getStatus().getDescription()).isEqualTo("You already hold a subscription to acme/paid.");
        stub.json(
                "billing",
                409,
                Listings.problem(
                        "listing-is-free",
                        409,
                        "The listing is free: it has no pricing and no subscriptions",
                        "Listing acme/tiny is free: no subscription is needed."));
        StatusRuntimeException free = assertStatus(
                () -> withToken(billing, token)
                        .subscribe(SubscribeRequest.newBuilder()
                                .setListing("acme/tiny")
                                .setPlan("monthly")
                                .setTermsVersion("v1")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.FAILED_PRECONDITION);
        assertThat(free.getStatus().getDescription())
                .isEqualTo("Listing acme/tiny is free: no subscription is needed.");
        assertStatus(
                () -> withToken(billing, token)
                        .subscribe(SubscribeRequest.newBuilder()
                                .setListing("acme/paid")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("billing")).hasSize(3);
    }

    @Test
    void getsEntitlementsWithTypedValues() {
        stub.json("billing", 200, """
                {"entitlements":[
                  {"listing":"acme/paid","customerIdentifier":"bob","dimension":"access","value":{"booleanValue":true},
                   "status":"active","expirationDate":null},
                  {"listing":"acme/paid","customerIdentifier":"bob","dimension":"downloads",
                   "value":{"integerValue":1000},"status":"active"}],"nextToken":"t2"}""");

        GetEntitlementsResponse response = withToken(billing, TestTokens.bearer("bob", "buyer"))
                .getEntitlements(GetEntitlementsRequest.newBuilder()
                        .setListing("acme/paid")
                        .setMaxResults(2)
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(response.getEntitlements(0).getValue().getBooleanValue()).isTrue();
        assertThat(response.getEntitlements(0).getValue().hasIntegerValue()).isFalse();
        assertThat(response.getEntitlements(1).getValue().getIntegerValue()).isEqualTo(1000);
        assertThat(response.getNextToken()).isEqualTo("t2");
        assertThat(stub.onlyCall("billing").uri()).isEqualTo("/api/v1/entitlements?listing=acme%2Fpaid&maxResults=2");
    }

    @Test
    void metersOneRecordAsABatchOfOneAndBoundsBatches() {
        String token = TestTokens.bearer("alice", "vendor");
        stub.json("billing", 200, """
                {"results":[{"usageRecord":{"customerIdentifier":"bob","dimension":"gpu_hours","quantity":5,
                  "timestamp":"2026-11-29T10:00:00Z"},"meteringRecordId":"9a0c0000-0000-4000-8000-000000000001",
                  "status":"Success"}],"unprocessedRecords":[]}""");
        UsageRecord record = UsageRecord.newBuilder()
                .setCustomerIdentifier("bob")
                .setDimension("gpu_hours")
                .setQuantity(5)
                .setTimestamp(Timestamp.newBuilder().setSeconds(1_795_946_400L))
                .build();

        UsageRecordResult result = withToken(billing, token)
                .meterUsage(MeterUsageRequest.newBuilder()
                        .setListing("acme/paid")
                        .setUsageRecord(record)
                        .build())
                .await()
                .atMost(WAIT);

        assertThat(result.getStatus()).isEqualTo("Success");
        assertThat(result.getMeteringRecordId()).isEqualTo("9a0c0000-0000-4000-8000-000000000001");
        JsonObject body = stub.onlyCall("billing").body().toJsonObject();
        assertThat(stub.onlyCall("billing").uri()).isEqualTo("/api/v1/metering/batch-meter-usage");
        assertThat(body.getString("listing")).isEqualTo("acme/paid");
        JsonObject sent = body.getJsonArray("usageRecords").getJsonObject(0);
        assertThat(sent.getString("customerIdentifier")).isEqualTo("bob");
        assertThat(Long.parseLong(sent.getValue("quantity").toString())).isEqualTo(5);
        assertThat(sent.getString("timestamp")).isEqualTo("2026-11-29T10:00:00Z");

        BatchMeterUsageRequest.Builder tooMany =
                BatchMeterUsageRequest.newBuilder().setListing("acme/paid");
        for (int i = 0; i < 26; i++) {
            tooMany.addUsageRecords(record);
        }
        assertStatus(
                () -> withToken(billing, token)
                        .batchMeterUsage(tooMany.build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("billing")).hasSize(1);
    }

    // ---- Artifacts ----

    @Test
    void downloadResumesAtAnOffsetOfAPinnedCommit() {
        byte[] content = Bytes.random(300_000, 11);
        stub.answer("artifact", (request, response) -> {
            long from =
                    Long.parseLong(request.header("Range").replace("bytes=", "").replace("-", ""));
            response.setStatusCode(206)
                    .putHeader("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length)
                    .putHeader("X-Repo-Commit", COMMIT)
                    .putHeader("X-Checksum-Sha256", Bytes.sha256(content))
                    .end(Buffer.buffer(content).slice((int) from, content.length));
        });

        List<FileChunk> chunks = artifacts
                .download(DownloadFileRequest.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .setPath("model.bin")
                        .setRevision(COMMIT)
                        .setOffset(100_000)
                        .build())
                .collect()
                .asList()
                .await()
                .atMost(WAIT);

        assertThat(chunks.get(0).getInfo().getOffset()).isEqualTo(100_000);
        assertThat(chunks.get(0).getInfo().getSize())
                .as("the whole file's size")
                .isEqualTo(content.length);
        assertThat(chunks.get(0).getInfo().getCommit()).isEqualTo(COMMIT);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        chunks.forEach(chunk -> received.writeBytes(chunk.getData().toByteArray()));
        assertThat(received.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(content, 100_000, content.length));
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/tiny/files/model.bin?revision=" + COMMIT);
        assertThat(call.header("Range")).isEqualTo("bytes=100000-");
    }

    @Test
    void anOffsetPastTheEndIsOutOfRange() {
        stub.json("artifact", 416, Listings.problem(416, "Range not satisfiable", "the file has 10 bytes"));

        assertStatus(
                () -> artifacts
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setPath("a.txt")
                                .setOffset(99)
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.OUT_OF_RANGE);
        assertStatus(
                () -> artifacts
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setPath("a.txt")
                                .setOffset(-1)
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("artifact")).hasSize(1);
    }

    @Test
    void aMessageOverTheServersLimitIsResourceExhaustedAndReachesNoService() {
        // The Vert.x gRPC server refuses a message over its limit (256 KiB, GrpcServerOptions' default) while reading
        // it: it ends the HTTP response with RESOURCE_EXHAUSTED and no grpc-message (vertx-grpc-server 4.5.25
        // GrpcServerImpl.createRequest), not through ServerCall.close, so no interceptor of the gateway can describe
        // it and the description stays empty (see README, gRPC).
        StatusRuntimeException refused = assertStatus(
                () -> search.search(FacetedSearchRequest.newBuilder()
                                .setQuery("a".repeat(300 * 1024))
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.RESOURCE_EXHAUSTED);
        assertThat(refused.getStatus().getDescription()).isNull();
        assertThat(stub.calls("search")).isEmpty();
    }

    @Test
    void aPaidFileWithoutASubscriptionIsPermissionDeniedSayingHowToSubscribe() {
        stub.json(
                "artifact",
                402,
                Listings.problem(
                        402, "Subscribe to download this file", "acme/paid is a paid listing: subscribe first"));

        StatusRuntimeException refused = assertStatus(
                () -> withToken(artifacts, TestTokens.bearer("bob", "buyer"))
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("paid")
                                .setPath("model.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("acme/paid is a paid listing: subscribe first");
        assertThat(GrpcErrors.statusFor(413).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void uploadStreamsTheChunksAsOneFile() {
        String token = TestTokens.bearer("alice", "vendor");
        byte[] content = Bytes.random(200_000, 5);
        stub.answer(
                "artifact",
                (request, response) -> response.setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject()
                                .put("path", "weights/model.bin")
                                .put("size", request.body().length())
                                .put("sha256", Bytes.sha256(request.body().getBytes()))
                                .put("commit", COMMIT)
                                .put("created", true)
                                .put("scan", new JsonObject().put("verdict", "SAFE"))
                                .encode()));
        Multi<UploadChunk> chunks = Multi.createFrom()
                .range(0, 4)
                .map(i -> UploadChunk.newBuilder()
                        .setData(ByteString.copyFrom(content, i * 50_000, 50_000))
                        .build());

        UploadedFile uploaded = withToken(artifacts, token)
                .upload(Multi.createBy()
                        .concatenating()
                        .streams(
                                Multi.createFrom()
                                        .item(UploadChunk.newBuilder()
                                                .setHeader(UploadHeader.newBuilder()
                                                        .setNamespace("acme")
                                                        .setName("tiny")
                                                        .setPath("weights/model.bin")
                                                        .setMessage("weights v2"))
                                                .build()),
                                chunks))
                .await()
                .atMost(WAIT);

        assertThat(uploaded.getSha256()).isEqualTo(Bytes.sha256(content));
        assertThat(uploaded.getSize()).isEqualTo(content.length);
        assertThat(uploaded.getCommit()).isEqualTo(COMMIT);
        DownstreamStub.Recorded call = stub.onlyCall("artifact");
        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.uri()).isEqualTo("/api/v1/listings/acme/tiny/files/weights/model.bin");
        assertThat(call.header("X-Commit-Message")).isEqualTo("weights v2");
        assertThat(call.header("Authorization")).isEqualTo(token);
        assertThat(call.body().getBytes()).isEqualTo(content);
    }

    @Test
    void anUploadMustStartWithItsHeader() {
        String token = TestTokens.bearer("alice", "vendor");

        assertStatus(
                () -> withToken(artifacts, token)
                        .upload(Multi.createFrom().items(data("x"), header("a.txt")))
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertStatus(
                () -> withToken(artifacts, token)
                        .upload(Multi.createFrom()
                                .items(UploadChunk.newBuilder()
                                        .setHeader(UploadHeader.newBuilder().setNamespace("acme"))
                                        .build()))
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("artifact")).isEmpty();
    }

    // ---- API tokens: the scope each RPC needs, as its REST twin ----

    @Test
    void anApiTokenNeedsTheScopeTheRestCallWouldNeed() {
        String owner = TestTokens.bearerOf("alice-" + java.util.UUID.randomUUID(), List.of("acme"), "buyer", "vendor");
        String read = "Bearer " + ApiTokens.create(owner, "{\"name\":\"ci\",\"scopes\":[\"read\"]}");
        stub.json("catalog", 200, "{\"id\":\"acme/tiny\"}");

        assertThat(withToken(catalog, read)
                        .getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .build())
                        .await()
                        .atMost(WAIT)
                        .getId())
                .isEqualTo("acme/tiny");
        assertThat(stub.onlyCall("catalog").header("Authorization"))
                .as("the service gets the gateway's JWT, never the secret")
                .startsWith("Bearer ey");

        StatusRuntimeException write = assertStatus(
                () -> withToken(catalog, read)
                        .createListing(ListingSpec.newBuilder()
                                .setNamespace("acme")
                                .setName("x")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.PERMISSION_DENIED);
        assertThat(write.getStatus().getDescription()).contains("'publish'");
        StatusRuntimeException download = assertStatus(
                () -> withToken(artifacts, read)
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setPath("model.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.PERMISSION_DENIED);
        assertThat(download.getStatus().getDescription()).contains("'download'");
        assertStatus(
                () -> withToken(billing, read)
                        .meterUsage(MeterUsageRequest.newBuilder()
                                .setListing("acme/tiny")
                                .setUsageRecord(UsageRecord.newBuilder().setDimension("gpu_hours"))
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.PERMISSION_DENIED);
        assertStatus(
                () -> withToken(artifacts, read)
                        .upload(Multi.createFrom().items(header("a.txt"), data("x")))
                        .await()
                        .atMost(WAIT),
                Status.Code.PERMISSION_DENIED);
        assertThat(stub.calls("catalog")).hasSize(1);
        assertThat(stub.calls("artifact")).isEmpty();
        assertThat(stub.calls("billing")).isEmpty();
    }

    @Test
    void dotSegmentsCannotNameAnotherListingThanTheOneChecked() {
        // A token restricted to acme/tiny must not reach acme/other through "..": the scope is checked against the
        // listing the message names, and the service would resolve the dot segments to another one.
        String owner = TestTokens.bearerOf("alice-" + java.util.UUID.randomUUID(), List.of("acme"), "buyer", "vendor");
        String restricted = "Bearer "
                + ApiTokens.create(
                        owner, "{\"name\":\"ci\",\"scopes\":[\"download\",\"publish\"],\"listings\":[\"acme/tiny\"]}");
        stub.json("catalog", 200, "{\"id\":\"acme/tiny\"}");
        stub.json("artifact", 200, "{}");

        StatusRuntimeException download = assertStatus(
                () -> withToken(artifacts, restricted)
                        .download(DownloadFileRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("tiny")
                                .setPath("../../other/files/model.bin")
                                .build())
                        .collect()
                        .asList()
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(download.getStatus().getDescription()).contains("'..'");
        assertStatus(
                () -> withToken(artifacts, restricted)
                        .upload(Multi.createFrom().items(header("../../other/files/evil.txt"), data("x")))
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertStatus(
                () -> catalog.getListing(GetListingRequest.newBuilder()
                                .setNamespace("acme")
                                .setName("..")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertStatus(
                () -> catalog.listVersions(org.modelmarket.gateway.grpc.v1.ListVersionsRequest.newBuilder()
                                .setNamespace("..")
                                .setName(".")
                                .build())
                        .await()
                        .atMost(WAIT),
                Status.Code.INVALID_ARGUMENT);
        assertThat(stub.calls("artifact"))
                .as("nothing reaches artifact-service")
                .isEmpty();
        assertThat(stub.calls("catalog")).as("nothing reaches catalog").isEmpty();
    }

    // ---- Health and reflection ----

    @Test
    void reportsItsHealthOverGrpc() {
        HealthCheckResponse response =
                health.check(HealthCheckRequest.newBuilder().build());

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    private static UploadChunk header(String path) {
        return UploadChunk.newBuilder()
                .setHeader(UploadHeader.newBuilder()
                        .setNamespace("acme")
                        .setName("tiny")
                        .setPath(path))
                .build();
    }

    private static UploadChunk data(String text) {
        return UploadChunk.newBuilder().setData(ByteString.copyFromUtf8(text)).build();
    }
}
