package org.modelmarket.gateway.route.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** Which {@code Location}s the gateway moves onto its own origin. */
class LocationsTest {

    private static final URI ARTIFACT = URI.create("http://10.0.0.7:8083");
    private static final String PUBLIC = "https://models.example.com";

    @Test
    void aServicesOwnAbsoluteLocationMovesToThePublicOrigin() {
        assertThat(Locations.publicLocation("http://10.0.0.7:8083/api/v1/listings/acme/x?rev=main", ARTIFACT, PUBLIC))
                .isEqualTo("https://models.example.com/api/v1/listings/acme/x?rev=main");
    }

    @Test
    void relativeForeignAndSignedLocationsStayAsTheyAre() {
        assertThat(Locations.publicLocation("/api/v1/listings/acme/x", ARTIFACT, PUBLIC))
                .isEqualTo("/api/v1/listings/acme/x");
        assertThat(Locations.publicLocation("https://bucket.s3.example.com/blob?X-Amz-Signature=1", ARTIFACT, PUBLIC))
                .isEqualTo("https://bucket.s3.example.com/blob?X-Amz-Signature=1");
        // artifact-service serves its signed URLs itself when told to (signing.base-url): the bytes skip the relay.
        assertThat(Locations.publicLocation("http://10.0.0.7:8083/api/v1/signed/abc.def", ARTIFACT, PUBLIC))
                .isEqualTo("http://10.0.0.7:8083/api/v1/signed/abc.def");
    }
}
