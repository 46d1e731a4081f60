package org.modelmarket.artifact.access;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.modelmarket.artifact.TestListings;
import org.modelmarket.artifact.TestListings.Ref;
import org.modelmarket.artifact.access.client.BillingEntitlements;
import org.modelmarket.artifact.listing.messaging.ListingEvents;
import org.modelmarket.stack.test.TestTokens;

import io.quarkus.test.InjectMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

/**
 * The fallback on a projection miss: billing's answer decides when the projection has no row for the caller (the
 * billing client, this unit's own collaborator, is replaced here; the unreachable-billing case, refused, runs against
 * the real client in {@link AccessTest}); once the projection has a row, billing is not asked at all.
 */
@QuarkusTest
class EntitlementFallbackTest {

    @InjectMock
    BillingEntitlements billing;

    @Test
    void aProjectionMissAsksBillingAndARowDoesNot() throws Exception {
        Ref ref = TestListings.create("fallback", "public", "trial", null);
        TestListings.uploaded(ref, "model.gguf", "weights");
        String buyer = "fb-" + UUID.randomUUID();
        String token = TestTokens.bearer(buyer, "buyer");

        when(billing.granted(ref.namespace(), "model"))
                .thenReturn(Uni.createFrom().item(true));
        given().header("Authorization", token)
                .get(ref.file("model.gguf"))
                .then()
                .statusCode(200);
        when(billing.granted(ref.namespace(), "model"))
                .thenReturn(Uni.createFrom().item(false));
        given().header("Authorization", token)
                .get(ref.file("model.gguf"))
                .then()
                .statusCode(402);

        // With a row (here: revoked), the projection decides and billing is never consulted.
        String other = "fb-row-" + UUID.randomUUID();
        ListingEvents.send(
                "billing.entitlements",
                ref.id() + "/" + other,
                AccessTest.entitlement(ref, other, 1, "inactive", "expired"));
        when(billing.granted(anyString(), anyString()))
                .thenReturn(Uni.createFrom().item(true));
        String otherToken = TestTokens.bearer(other, "buyer");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", otherToken)
                        .get(ref.file("model.gguf"))
                        .then()
                        .statusCode(402));
        org.mockito.Mockito.clearInvocations(billing);
        given().header("Authorization", otherToken)
                .get(ref.file("model.gguf"))
                .then()
                .statusCode(402);
        verify(billing, never()).granted(anyString(), anyString());
    }
}
