package org.modelmarket.catalog;

import org.modelmarket.stack.test.LocalStackResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The one place the module's {@code @QuarkusTest}s get their engines: a real PostgreSQL (database {@code catalog})
 * and a real Kafka from the local stack, started once per test run.
 */
@QuarkusTestResource(
        value = LocalStackResource.class,
        initArgs = {
            @ResourceArg(name = "engines", value = "postgres,kafka"),
            @ResourceArg(name = "database", value = "catalog")
        })
public class LocalStackTestResources {}
