package org.modelmarket.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.gateway.testing.GrpcCalls.WAIT;
import static org.modelmarket.gateway.testing.GrpcCalls.withToken;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.grpc.v1.Catalog;
import org.modelmarket.gateway.grpc.v1.GetListingRequest;
import org.modelmarket.gateway.grpc.v1.Listing;
import org.modelmarket.gateway.testing.DownstreamStub;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * gRPC reads kept by the gateway ({@code PublicReads}): an anonymous read that catalog marked public is answered
 * from the gateway while fresh, and nothing a caller with a token reads is ever kept or served to anyone else. Each
 * test reads a listing of its own (the kept answers outlive a test).
 */
@QuarkusTest
class PublicReadsGrpcTest {

    @GrpcClient("marketplace")
    Catalog catalog;

    @Inject
    DownstreamStub stub;

    @BeforeEach
    void reset() {
        stub.reset();
    }

    /** catalog's answer: the listing's title says who asked (the token's subject, or "anonymous"). */
    private AtomicInteger catalogAnswers(String cacheControl) {
        AtomicInteger count = new AtomicInteger();
        stub.answer("catalog", (request, response) -> {
            int n = count.incrementAndGet();
            String who = request.header("Authorization") == null ? "anonymous" : "signed-in";
            response.setStatusCode(200).putHeader("Content-Type", "application/json");
            if (cacheControl != null) {
                response.putHeader("Cache-Control", cacheControl);
            }
            response.end("{\"namespace\":\"acme\",\"name\":\"x\",\"title\":\"" + who + " " + n + "\"}");
        });
        return count;
    }

    private Listing read(Catalog client, String name) {
        return client.getListing(GetListingRequest.newBuilder()
                        .setNamespace("acme")
                        .setName(name)
                        .build())
                .await()
                .atMost(WAIT);
    }

    @Test
    void anAnonymousReadMarkedPublicIsAnsweredFromTheGatewayWhileFresh() {
        AtomicInteger answers = catalogAnswers("public, max-age=0, s-maxage=30");

        assertThat(read(catalog, "kept").getTitle()).isEqualTo("anonymous 1");
        assertThat(read(catalog, "kept").getTitle()).isEqualTo("anonymous 1");
        assertThat(read(catalog, "kept").getTitle()).isEqualTo("anonymous 1");

        assertThat(answers).hasValue(1);
        assertThat(stub.onlyCall("catalog").uri()).isEqualTo("/api/v1/listings/acme/kept");
    }

    @Test
    void aKeptReadExpiresWithItsSharedMaxAge() throws InterruptedException {
        AtomicInteger answers = catalogAnswers("public, s-maxage=1");

        assertThat(read(catalog, "expiring").getTitle()).isEqualTo("anonymous 1");
        Thread.sleep(1_200);

        assertThat(read(catalog, "expiring").getTitle()).isEqualTo("anonymous 2");
        assertThat(answers).hasValue(2);
    }

    @Test
    void aSignedInCallerAlwaysReachesCatalogAndItsAnswerIsNeverServedToAnother() {
        AtomicInteger answers = catalogAnswers("public, s-maxage=30");
        Catalog signedIn = withToken(catalog, TestTokens.bearer("alice", "vendor"));

        // Kept for anonymous callers, but a signed-in caller still gets its own answer from catalog...
        assertThat(read(catalog, "mixed").getTitle()).isEqualTo("anonymous 1");
        assertThat(read(signedIn, "mixed").getTitle()).isEqualTo("signed-in 2");
        assertThat(read(signedIn, "mixed").getTitle()).isEqualTo("signed-in 3");
        // ...which is not kept: anonymous callers still get the anonymous answer.
        assertThat(read(catalog, "mixed").getTitle()).isEqualTo("anonymous 1");
        assertThat(answers).hasValue(3);
        assertThat(stub.calls("catalog").get(1).header("Authorization")).startsWith("Bearer ");
    }

    @Test
    void aSignedInCallersPublicAnswerIsNotKeptForAnonymousCallers() {
        AtomicInteger answers = catalogAnswers("public, s-maxage=30");
        Catalog signedIn = withToken(catalog, TestTokens.bearer("alice", "vendor"));

        assertThat(read(signedIn, "signed-in-first").getTitle()).isEqualTo("signed-in 1");
        assertThat(read(catalog, "signed-in-first").getTitle()).isEqualTo("anonymous 2");
        assertThat(answers).hasValue(2);
    }

    @Test
    void anAnswerNotMarkedPublicIsNeverKept() {
        for (String cacheControl : new String[] {null, "private, max-age=60", "public, s-maxage=30, no-store"}) {
            String name = "not-kept-" + (cacheControl == null ? "none" : Integer.toString(cacheControl.length()));
            AtomicInteger answers = catalogAnswers(cacheControl);

            read(catalog, name);
            read(catalog, name);

            assertThat(answers).as(String.valueOf(cacheControl)).hasValue(2);
        }
    }
}
