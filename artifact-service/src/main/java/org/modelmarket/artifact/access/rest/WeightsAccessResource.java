package org.modelmarket.artifact.access.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.modelmarket.artifact.access.service.FileAccessService;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;

import io.smallrye.mutiny.Uni;

/**
 * May the caller download a listing's weight files? The same decision a download of one meets, asked once for the
 * listing (never counted, no file needed), so that a client can learn it before choosing a file.
 */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access")
public class WeightsAccessResource {

    private final FileAccessService service;
    private final CallerContext callers;

    public WeightsAccessResource(FileAccessService service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    /**
     * A granted download of the listing's weight files.
     *
     * @param weights always {@code granted} (a refusal is the problem a weight download gets)
     * @param reason why: {@code admin}, {@code owner}, {@code free}, {@code terms-accepted} or {@code entitled}
     */
    public record AccessView(String listing, String weights, String reason) {}

    @GET
    @Operation(
            summary = "Whether the caller may download the listing's weight files: 200 with why, or the problem a"
                    + " weight download gets (401 log in, 403 accept the terms, 402 subscribe)")
    public Uni<AccessView> get(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return callers.caller()
                .chain(caller -> service.weights(namespace, name, caller))
                .map(access -> new AccessView(access.listing().coordinates(), "granted", access.reason()));
    }
}
