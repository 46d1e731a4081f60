package org.modelmarket.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTableTest {

    @Test
    void findsTheRouteOfAMethodAndPath() {
        RouteTable.Lookup found = RouteTable.lookup("PUT", "/api/v1/listings/acme/resnet-50/reviews/42/reply");
        assertThat(found)
                .isInstanceOfSatisfying(
                        RouteTable.Lookup.Found.class,
                        f -> assertThat(f.route().template())
                                .isEqualTo("/api/v1/listings/{namespace}/{name}/reviews/{reviewId}/reply"));
    }

    @Test
    void knownPathWithAnotherMethodListsTheAllowedOnes() {
        assertThat(RouteTable.lookup("DELETE", "/api/v1/listings/acme/resnet-50"))
                .isEqualTo(new RouteTable.Lookup.WrongMethod(java.util.Set.of("GET", "PUT", "HEAD")));
    }

    @Test
    void unsafeOrUnknownPathsAreUnknown() {
        for (String path : new String[] {
            "/api/v1/vendors/..",
            "/api/v1/vendors/%2E%2e",
            "/api/v1/vendors/a%2fb",
            "/api/v1/vendors/a%5Cb",
            "/api/v1/vendors//listings",
            "/api/v1/vendors/acme/",
            "/api/v1/search/"
        }) {
            assertThat(RouteTable.lookup("GET", path)).as(path).isInstanceOf(RouteTable.Lookup.Unknown.class);
        }
    }

    @Test
    void everyWriteNeedsAToken() {
        assertThat(RouteTable.ROUTES)
                .filteredOn(r -> !r.method().equals("GET"))
                .allMatch(r -> r.access() == Route.Access.AUTHENTICATED);
        assertThatThrownBy(() -> new Route("POST", "/x", "catalog", Route.Access.ANYONE, "t", "s"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
