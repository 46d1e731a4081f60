package org.modelmarket.gateway.route.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.modelmarket.gateway.route.openapi.ApiDocument;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/** The whole public API as one OpenAPI document, with the services' request and response schemas (Swagger UI's). */
@Path("/api/v1/openapi")
@PermitAll
@Tag(name = "api")
public class ApiDocumentResource {

    private final ApiDocument document;

    public ApiDocumentResource(ApiDocument document) {
        this.document = document;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The OpenAPI document of every public route, with the owning services' schemas")
    public Uni<ObjectNode> document() {
        return document.document();
    }
}
