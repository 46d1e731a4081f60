package org.modelmarket.gateway.page.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.gateway.page.ModelPage;
import org.modelmarket.gateway.page.ModelPageService;

import io.smallrye.mutiny.Uni;

/** The aggregated model page: one call for everything a model's web page shows. */
@Path("/api/v1/listings/{ns}/{name}/page")
@PermitAll
@Tag(name = "model page")
public class ModelPageResource {

    private final ModelPageService pages;

    public ModelPageResource(ModelPageService pages) {
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    // The page holds the caller's own entitlement and terms status.
    @ResponseHeader(name = HttpHeaders.VARY, value = HttpHeaders.AUTHORIZATION)
    @ResponseHeader(name = HttpHeaders.CACHE_CONTROL, value = "private, no-cache")
    @Operation(
            summary = "Listing, versions, file summary, stats, pricing and the caller's entitlement and terms status "
                    + "in one call; a backing service that is down leaves its part null and adds a warning")
    @APIResponse(responseCode = "200", description = "The page, complete or with warnings")
    @APIResponse(responseCode = "404", description = "No such listing, or a private one the caller may not see")
    @APIResponse(responseCode = "503", description = "catalog is unavailable (without the listing there is no page)")
    public Uni<ModelPage> page(@RestPath String ns, @RestPath String name) {
        return pages.page(ns, name);
    }
}
