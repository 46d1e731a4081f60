package org.modelmarket.catalog.vendor.rest;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.common.Queries;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.Visibility;
import org.modelmarket.catalog.listing.cache.ListingReads;
import org.modelmarket.catalog.listing.rest.ListingCaching;
import org.modelmarket.catalog.listing.rest.ListingResource;
import org.modelmarket.catalog.vendor.VendorRequest;
import org.modelmarket.catalog.vendor.VendorView;
import org.modelmarket.catalog.vendor.service.VendorService;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** HTTP face of vendors: profile, verification, members, and the vendor's listings. */
@Path("/api/v1/vendors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Vendors")
public class VendorResource {

    private final VendorService service;
    private final ListingReads reads;
    private final CallerContext callers;
    private final ListingCaching caching;

    public VendorResource(VendorService service, ListingReads reads, CallerContext callers, ListingCaching caching) {
        this.service = service;
        this.reads = reads;
        this.callers = callers;
        this.caching = caching;
    }

    /** Body of the verification endpoint. */
    public record Verification(@NotNull Boolean verified) {}

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(
            summary = "Become a vendor: create a namespace with a profile; the caller is its first member",
            description = "Any authenticated user may. Listings of a new (unverified) vendor go through review.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid body")
    @APIResponse(responseCode = "409", description = "Namespace taken")
    public Uni<RestResponse<VendorView>> create(@Valid @NotNull VendorRequest request) {
        return callers.caller()
                .chain(caller -> service.create(request, caller))
                .map(view -> RestResponse.ResponseBuilder.<VendorView>created(
                                UriBuilder.fromPath("/api/v1/vendors/{namespace}")
                                        .build(view.namespace()))
                        .tag(etag(view))
                        .entity(view)
                        .build());
    }

    /** One page of vendors, with the total (the OpenAPI schema of {@link #memberships}). */
    @Schema(name = "VendorPage")
    public record VendorPage(long total, int page, int size, List<VendorView> items) {}

    @GET
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(
            summary = "The vendors (namespaces) a member belongs to, by namespace, paged",
            description = "member=me: the caller's own vendors (the organisations of the Hub's whoami-v2). Another"
                    + " subject: admins only.")
    @APIResponse(
            responseCode = "200",
            description = "One page with the total; members listed (the caller is one of them, or an admin)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = VendorPage.class)))
    @APIResponse(responseCode = "400", description = "member missing, or bad paging parameter")
    @APIResponse(responseCode = "401", description = "No or invalid token")
    @APIResponse(responseCode = "403", description = "Another member's vendors asked by a non-admin")
    public Uni<PageResult<VendorView>> memberships(
            @QueryParam("member") String member,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        Queries.page(page, size);
        return callers.caller().chain(caller -> service.memberships(member, page, size, caller));
    }

    @GET
    @Path("/{namespace}")
    @PermitAll
    @Operation(summary = "A vendor's profile (members listed for members and admins)")
    @APIResponse(responseCode = "200", description = "The profile; ETag = its version")
    @APIResponse(responseCode = "404", description = "No such vendor")
    public Uni<RestResponse<VendorView>> get(@PathParam("namespace") String namespace) {
        return callers.caller().chain(caller -> service.get(namespace, caller)).map(VendorResource::ok);
    }

    @PUT
    @Path("/{namespace}")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Replace the profile (members; If-Match required)")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "403", description = "Not a member")
    @APIResponse(responseCode = "412", description = "Stale If-Match")
    @APIResponse(responseCode = "428", description = "If-Match missing")
    public Uni<RestResponse<VendorView>> update(
            @PathParam("namespace") String namespace,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull VendorRequest request) {
        return callers.caller()
                .chain(caller -> service.update(namespace, request, ifMatch, caller))
                .map(VendorResource::ok);
    }

    @PUT
    @Path("/{namespace}/verification")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Set or clear the verified flag (admins); verified vendors publish without review")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<RestResponse<VendorView>> verify(
            @PathParam("namespace") String namespace, @Valid @NotNull Verification body) {
        return callers.caller()
                .chain(caller -> service.verify(namespace, body.verified(), caller))
                .map(VendorResource::ok);
    }

    @PUT
    @Path("/{namespace}/members/{subject}")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Add a member (a Keycloak subject) who may act for the vendor (members; idempotent)")
    @APIResponse(responseCode = "200", description = "The vendor with its members")
    @APIResponse(responseCode = "403", description = "Not a member")
    public Uni<RestResponse<VendorView>> addMember(
            @PathParam("namespace") String namespace, @PathParam("subject") String subject) {
        return callers.caller()
                .chain(caller -> service.addMember(namespace, subject, caller))
                .map(VendorResource::ok);
    }

    @DELETE
    @Path("/{namespace}/members/{subject}")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Remove a member (members; the last member stays)")
    @APIResponse(responseCode = "200", description = "The vendor with its members")
    @APIResponse(responseCode = "403", description = "Not a member")
    @APIResponse(responseCode = "409", description = "Last member")
    public Uni<RestResponse<VendorView>> removeMember(
            @PathParam("namespace") String namespace, @PathParam("subject") String subject) {
        return callers.caller()
                .chain(caller -> service.removeMember(namespace, subject, caller))
                .map(VendorResource::ok);
    }

    @GET
    @Path("/{namespace}/listings")
    @PermitAll
    @Operation(summary = "A vendor's listings, filtered and paged (members and admins see drafts and private ones)")
    @APIResponse(
            responseCode = "200",
            description = "One page with the total",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ListingResource.ListingPage.class)))
    @APIResponse(responseCode = "400", description = "Bad filter or paging parameter")
    @APIResponse(responseCode = "404", description = "No such vendor")
    public Uni<RestResponse<byte[]>> listings(
            @PathParam("namespace") String namespace,
            @QueryParam("status") String status,
            @QueryParam("visibility") String visibility,
            @QueryParam("modality") String modality,
            @QueryParam("task") String task,
            @QueryParam("q") String text,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size,
            @Context HttpHeaders headers) {
        Queries.page(page, size);
        ListingCriteria filter = new ListingCriteria(
                namespace,
                Queries.enumValue("status", status, ListingStatus.class),
                Queries.enumValue("visibility", visibility, Visibility.class),
                modality,
                task,
                text);
        // the page's JSON as bytes: made of the cached views of its listings for everyone but the vendor's members and
        // admins (ListingReads). Cache-Control as for GET /listings: an anonymous caller's page holds only published
        // public listings, the same bytes for every anonymous caller, so a shared cache may keep it for s-maxage; a
        // signed-in caller's may hold drafts and private listings (members, admins) and is private.
        String cacheControl =
                headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null ? caching.anonymous() : caching.signedIn();
        return caller(headers)
                .chain(caller -> reads.listForVendor(namespace, filter, page, size, caller))
                .map(body -> RestResponse.ResponseBuilder.ok(body, MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                        .build());
    }

    /** Without credentials the caller is anonymous, no identity to resolve; a sent token is checked (401 if bad). */
    private Uni<Caller> caller(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                ? Uni.createFrom().item(Caller.ANONYMOUS)
                : callers.caller();
    }

    private static RestResponse<VendorView> ok(VendorView view) {
        return RestResponse.ResponseBuilder.ok(view).tag(etag(view)).build();
    }

    private static EntityTag etag(VendorView view) {
        return new EntityTag(Long.toString(view.version()));
    }
}
