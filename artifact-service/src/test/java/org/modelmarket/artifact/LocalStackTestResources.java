package org.modelmarket.artifact;

import org.modelmarket.stack.test.LocalStackResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Starts real PostgreSQL (database {@code artifact}), Kafka and an S3-compatible server once for every
 * {@code @QuarkusTest} of the module.
 */
@QuarkusTestResource(
        value = LocalStackResource.class,
        initArgs = {
            @ResourceArg(name = "engines", value = "postgres,kafka,s3"),
            @ResourceArg(name = "database", value = "artifact")
        })
public class LocalStackTestResources {}
