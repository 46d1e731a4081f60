package org.modelmarket.gateway.file.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.gateway.client.AccessTokenPropagation;
import org.modelmarket.gateway.client.Downstream;
import org.modelmarket.gateway.file.FileList;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * artifact-service's JSON file API, as the gateway calls it. File contents go through {@link ArtifactStreams}
 * instead, because they are streamed and their response headers matter.
 */
@RegisterRestClient(configKey = ArtifactApi.SERVICE)
@RegisterClientHeaders(AccessTokenPropagation.class)
@Path("/api/v1/listings/{namespace}/{name}/files")
interface ArtifactApi {

    String SERVICE = "artifact";

    @GET
    Uni<FileList> list(@RestPath String namespace, @RestPath String name);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return Downstream.fromResponse(SERVICE, response);
    }
}
