package org.modelmarket.search;

import org.modelmarket.stack.test.LocalStackResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** The real engines of this module's tests: Kafka and Elasticsearch from the local stack, started once per run. */
@QuarkusTestResource(
        value = LocalStackResource.class,
        initArgs = {@ResourceArg(name = "engines", value = "kafka,elasticsearch")})
public class LocalStackTestResources {}
