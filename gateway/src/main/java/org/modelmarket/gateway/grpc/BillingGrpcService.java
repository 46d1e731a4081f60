package org.modelmarket.gateway.grpc;

import java.util.Map;

import org.modelmarket.gateway.grpc.client.JsonCalls;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.BatchMeterUsageResponse;
import org.modelmarket.gateway.grpc.v1.Billing;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsRequest;
import org.modelmarket.gateway.grpc.v1.GetEntitlementsResponse;
import org.modelmarket.gateway.grpc.v1.MeterUsageRequest;
import org.modelmarket.gateway.grpc.v1.SubscribeRequest;
import org.modelmarket.gateway.grpc.v1.Subscription;
import org.modelmarket.gateway.grpc.v1.UsageRecordResult;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.auth.GrpcScopes;

import io.quarkus.grpc.GrpcService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * {@code marketplace.v1.Billing} over billing-service, which decides who may subscribe, read which entitlements and
 * meter which listing (the caller's token is forwarded). Every call needs a token.
 */
@GrpcService
@Authenticated
public class BillingGrpcService implements Billing {

    /** BatchMeterUsage's bound, as AWS's and billing-service's. */
    static final int MAX_RECORDS = 25;

    private final JsonCalls calls;
    private final GrpcScopes scopes;

    BillingGrpcService(JsonCalls calls, GrpcScopes scopes) {
        this.calls = calls;
        this.scopes = scopes;
    }

    /** The scope check of an API token for {@code listing} ("namespace/name", or empty when the call names none). */
    private Uni<Void> require(Scope scope, String what, String listing) {
        int slash = listing.indexOf('/');
        return slash < 0
                ? scopes.require(scope, what, null, null)
                : scopes.require(scope, what, listing.substring(0, slash), listing.substring(slash + 1));
    }

    @Override
    public Uni<Subscription> subscribe(SubscribeRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.require(!request.getListing().isEmpty(), "listing is required (namespace/name)");
            GrpcRequests.require(!request.getPlan().isEmpty(), "plan is required");
            GrpcRequests.require(!request.getTermsVersion().isEmpty(), "terms_version is required");
            return require(Scope.PUBLISH, "writes", request.getListing())
                    .flatMap(allowed ->
                            calls.send("billing", HttpMethod.POST, "/api/v1/subscriptions", request, Map.of()))
                    .map(answer -> JsonCalls.parse(answer.body(), Subscription.newBuilder())
                            .build());
        });
    }

    @Override
    public Uni<GetEntitlementsResponse> getEntitlements(GetEntitlementsRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.require(
                    request.getMaxResults() >= 0 && request.getMaxResults() <= GrpcRequests.MAX_PAGE_SIZE,
                    "max_results: must be between 1 and 100");
            String query = new GrpcRequests.Query()
                    .add("listing", request.getListing())
                    .add("customer", request.getCustomer())
                    .add("dimension", request.getDimension())
                    .add("maxResults", request.getMaxResults(), true)
                    .add("nextToken", request.getNextToken())
                    .toString();
            return require(Scope.READ, "reads", request.getListing())
                    .flatMap(allowed -> calls.get("billing", "/api/v1/entitlements" + query))
                    .map(answer -> JsonCalls.parse(answer.body(), GetEntitlementsResponse.newBuilder())
                            .build());
        });
    }

    @Override
    public Uni<UsageRecordResult> meterUsage(MeterUsageRequest request) {
        return CatalogGrpcService.guarded(() -> {
            GrpcRequests.require(request.hasUsageRecord(), "usage_record is required");
            BatchMeterUsageRequest batch = BatchMeterUsageRequest.newBuilder()
                    .setListing(request.getListing())
                    .addUsageRecords(request.getUsageRecord())
                    .build();
            return meter(batch).map(response -> {
                if (response.getResultsCount() == 1) {
                    return response.getResults(0);
                }
                // The record was not processed (billing could not take it now): retry, as AWS's clients do.
                throw io.grpc.Status.UNAVAILABLE
                        .withDescription("The usage record was not processed; retry it.")
                        .asRuntimeException();
            });
        });
    }

    @Override
    public Uni<BatchMeterUsageResponse> batchMeterUsage(BatchMeterUsageRequest request) {
        return CatalogGrpcService.guarded(() -> meter(request));
    }

    private Uni<BatchMeterUsageResponse> meter(BatchMeterUsageRequest request) {
        GrpcRequests.require(!request.getListing().isEmpty(), "listing is required (namespace/name)");
        GrpcRequests.require(
                request.getUsageRecordsCount() >= 1 && request.getUsageRecordsCount() <= MAX_RECORDS,
                "usage_records: 1 to 25 records");
        return require(Scope.METER, "usage reports", request.getListing())
                .flatMap(allowed ->
                        calls.send("billing", HttpMethod.POST, "/api/v1/metering/batch-meter-usage", request, Map.of()))
                .map(answer -> JsonCalls.parse(answer.body(), BatchMeterUsageResponse.newBuilder())
                        .build());
    }
}
