package org.modelmarket.platform;

import org.modelmarket.stack.test.LocalStackResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** The module's engines: a real PostgreSQL (database {@code platform}) and a real Kafka, started once per test run. */
@QuarkusTestResource(
        value = LocalStackResource.class,
        initArgs = {
            @ResourceArg(name = "engines", value = "postgres,kafka"),
            @ResourceArg(name = "database", value = "platform")
        })
public class LocalStackTestResources {}
