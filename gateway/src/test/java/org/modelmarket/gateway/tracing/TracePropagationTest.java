package org.modelmarket.gateway.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.Marketplace;
import org.modelmarket.gateway.grpc.v1.SearchRequest;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.gateway.testing.Listings;
import org.modelmarket.platform.tracing.TraceContext;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The caller's trace continues into the services: a REST call's {@code traceparent} reaches the service behind a
 * pass-through route and behind an own resource, and a gRPC call's reaches the service its method calls.
 */
@QuarkusTest
class TracePropagationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Inject
    DownstreamStub stub;

    @Inject
    Tracer tracer;

    @GrpcClient("marketplace")
    Marketplace marketplace;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    @Test
    void aRestCallsTraceReachesTheServiceBehindAPassThroughRoute() {
        stub.json("catalog", 200, Listings.RESNET);

        given().header("traceparent", TRACEPARENT)
                .when()
                .get("/api/v1/listings/acme/resnet-50")
                .then()
                .statusCode(200);

        String forwarded = stub.onlyCall("catalog").header("traceparent");
        assertThat(TraceContext.traceId(forwarded)).isEqualTo(TRACE_ID);
        assertThat(forwarded)
                .as("a span of the gateway's own, not the caller's header copied")
                .isNotEqualTo(TRACEPARENT);
    }

    @Test
    void aRestCallsTraceReachesTheServiceBehindAnOwnResource() {
        stub.json("artifact", 200, "{\"files\":[]}");

        given().header("traceparent", TRACEPARENT).when().get("/api/v1/listings/acme/resnet-50/files");

        assertThat(TraceContext.traceId(stub.onlyCall("artifact").header("traceparent")))
                .isEqualTo(TRACE_ID);
    }

    @Test
    void aGrpcCallsTraceReachesTheServiceItCalls() {
        stub.json("search", 200, "{\"total\":0,\"page\":0,\"size\":5,\"items\":[]}");
        Span caller = tracer.spanBuilder("grpc caller").startSpan();
        try (Scope ignored = caller.makeCurrent()) {
            marketplace
                    .search(SearchRequest.newBuilder()
                            .setQuery("resnet")
                            .setSize(5)
                            .build())
                    .await()
                    .atMost(Duration.ofSeconds(10));
        } finally {
            caller.end();
        }

        assertThat(TraceContext.traceId(stub.onlyCall("search").header("traceparent")))
                .isEqualTo(caller.getSpanContext().getTraceId());
    }
}
