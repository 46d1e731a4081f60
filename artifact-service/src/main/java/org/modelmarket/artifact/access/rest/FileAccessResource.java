package org.modelmarket.artifact.access.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.artifact.access.service.FileAccessService;
import org.modelmarket.artifact.listing.Coordinates;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.smallrye.mutiny.Uni;

/** A listing's file access rule: which files anyone who sees the listing may read before buying. */
@jakarta.ws.rs.Path("/api/v1/listings/{namespace}/{name}/file-access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access")
public class FileAccessResource {

    private final FileAccessService service;
    private final CallerContext callers;

    public FileAccessResource(FileAccessService service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    /** The listing's own open-file patterns; {@code null} elements and invalid globs are refused per element. */
    public record FileAccessRequest(@NotNull List<String> openFiles) {}

    /**
     * The rule that applies.
     *
     * @param openFiles the glob patterns of the open files (on the file name, or the path when they contain '/')
     * @param source {@code listing} (the listing's own rule) or {@code default} (the service's)
     * @param defaultOpenFiles the service's default patterns, which apply to listings without a rule of their own
     * @param updatedAt when the listing's own rule was last set or cleared, {@code null} if never
     */
    public record FileAccessView(
            String listing, List<String> openFiles, String source, List<String> defaultOpenFiles, Instant updatedAt) {

        static FileAccessView of(FileAccessService.FileAccess access) {
            return new FileAccessView(
                    access.listing().coordinates(),
                    access.openFiles(),
                    access.own() ? "listing" : "default",
                    access.defaults(),
                    access.updatedAt());
        }
    }

    @GET
    @Operation(summary = "Which files stay readable before buying (README, configs): the listing's rule or the default")
    public Uni<RestResponse<FileAccessView>> get(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name) {
        return callers.caller()
                .chain(caller -> service.get(namespace, name, caller))
                .map(FileAccessResource::withEtag);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.VENDOR, Roles.ADMIN})
    @Operation(summary = "Set the listing's open-file patterns (owners and admins); every other file is a weight file")
    @APIResponse(responseCode = "412", description = "If-Match names another revision of the rule")
    public Uni<RestResponse<FileAccessView>> set(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestHeader("If-Match") String ifMatch,
            @Valid @NotNull FileAccessRequest request) {
        return callers.caller()
                .chain(caller -> service.set(namespace, name, caller, request.openFiles(), ifMatch))
                .map(FileAccessResource::withEtag);
    }

    @DELETE
    @RolesAllowed({Roles.VENDOR, Roles.ADMIN})
    @Operation(summary = "Remove the listing's own rule: the service's default applies again (owners and admins)")
    @APIResponse(responseCode = "412", description = "If-Match names another revision of the rule")
    public Uni<RestResponse<FileAccessView>> clear(
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String namespace,
            @RestPath @Pattern(regexp = Coordinates.PATTERN, message = Coordinates.MESSAGE) String name,
            @RestHeader("If-Match") String ifMatch) {
        return callers.caller()
                .chain(caller -> service.clear(namespace, name, caller, ifMatch))
                .map(FileAccessResource::withEtag);
    }

    /**
     * The view with the rule's revision as a strong {@code ETag}, for {@code If-Match} on a later change (optional:
     * the rule is replaced whole, so without it the last writer wins, as before ETags existed).
     */
    private static RestResponse<FileAccessView> withEtag(FileAccessService.FileAccess access) {
        return RestResponse.ResponseBuilder.ok(FileAccessView.of(access))
                .header(HttpHeaders.ETAG, access.etag())
                .build();
    }
}
