package org.modelmarket.search.rebuild.rest;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.security.Roles;
import org.modelmarket.search.problem.SearchProblem;
import org.modelmarket.search.rebuild.RebuildStatus;
import org.modelmarket.search.rebuild.service.RebuildService;

import io.smallrye.common.annotation.Blocking;

/** Rebuilding the search index from the catalog's compacted topic; operators only. */
@Path("/api/v1/search/admin/rebuild")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "Search administration")
public class RebuildResource {

    private final RebuildService service;

    public RebuildResource(RebuildService service) {
        this.service = service;
    }

    @POST
    @Blocking // starts a platform thread and reads the previous status: cheap, but not event-loop work
    @Operation(
            summary = "Rebuild the index from catalog.listings",
            description = "Fills a fresh index in the background, then swaps the read and write aliases atomically; "
                    + "searches keep working throughout. Poll GET for the outcome.")
    @APIResponse(responseCode = "202", description = "Started")
    @APIResponse(responseCode = "409", description = "A rebuild is already running")
    public RestResponse<RebuildStatus> start() {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, service.start())
                .location(URI.create("/api/v1/search/admin/rebuild"))
                .build();
    }

    @GET
    @Operation(summary = "The running or last rebuild of this instance")
    @APIResponse(responseCode = "200", description = "Its status")
    @APIResponse(responseCode = "404", description = "No rebuild since this instance started")
    public RebuildStatus status() {
        return service.status()
                .orElseThrow(() -> new ProblemException(
                        SearchProblem.NO_REBUILD, "No rebuild has run since this instance started"));
    }
}
