package org.modelmarket.gateway;

import org.modelmarket.gateway.testing.DownstreamStubResource;
import org.modelmarket.stack.test.LocalStackResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The module's test resources, global to every {@code @QuarkusTest}: the local stack with PostgreSQL (database
 * {@code gateway}, the API tokens) and the OIDC keys its tokens are signed with, and stub downstream services on free
 * local ports.
 */
@QuarkusTestResource(
        value = LocalStackResource.class,
        initArgs = {
            @ResourceArg(name = "engines", value = "postgres"),
            @ResourceArg(name = "database", value = "gateway")
        })
@QuarkusTestResource(DownstreamStubResource.class)
public final class LocalStackTestResources {

    private LocalStackTestResources() {}
}
