package org.modelmarket.catalog.listing.rest;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.modelmarket.catalog.common.PageResult;
import org.modelmarket.catalog.common.Queries;
import org.modelmarket.catalog.listing.ListingCriteria;
import org.modelmarket.catalog.listing.ListingRequest;
import org.modelmarket.catalog.listing.ListingStatus;
import org.modelmarket.catalog.listing.ListingView;
import org.modelmarket.catalog.listing.Visibility;
import org.modelmarket.catalog.listing.cache.ListingReads;
import org.modelmarket.catalog.listing.service.GateService;
import org.modelmarket.catalog.listing.service.ListingService;
import org.modelmarket.platform.security.Caller;
import org.modelmarket.platform.security.CallerContext;
import org.modelmarket.platform.security.Roles;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** HTTP face of listings: creation, reads, edits (If-Match), lifecycle actions, history and gated access. */
@Path("/api/v1/listings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Listings")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class ListingResource {

    private final ListingService service;
    private final ListingReads reads;
    private final GateService gates;
    private final CallerContext callers;
    private final ObjectMapper json;
    private final Validator validator;
    private final ListingCaching caching;

    public ListingResource(
            ListingService service,
            ListingReads reads,
            GateService gates,
            CallerContext callers,
            ObjectMapper json,
            Validator validator,
            ListingCaching caching) {
        this.service = service;
        this.reads = reads;
        this.gates = gates;
        this.callers = callers;
        this.json = json;
        this.validator = validator;
        this.caching = caching;
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(
            summary = "Create a listing",
            description = "In a namespace the caller is a member of, or an unclaimed "
                    + "one (then claimed as a new vendor; needs the vendor role). Draft, or published at once for verified "
                    + "vendors (unless draft=true).")
    @APIResponse(responseCode = "201", description = "Created; Location and ETag headers set")
    @APIResponse(responseCode = "400", description = "Invalid body (problem+json with field errors)")
    @APIResponse(responseCode = "401", description = "No or invalid bearer token")
    @APIResponse(
            responseCode = "403",
            description = "Not a member of the namespace's vendor, or no vendor role to claim it")
    @APIResponse(responseCode = "409", description = "namespace/name exists already")
    public Uni<RestResponse<ListingView>> create(@Valid @NotNull ListingRequest request) {
        return callers.caller()
                .chain(caller -> service.create(request, caller))
                .map(view -> RestResponse.ResponseBuilder.<ListingView>created(location(view))
                        .tag(etag(view))
                        .entity(view)
                        .build());
    }

    @GET
    @PermitAll
    @Operation(
            summary = "List and filter listings",
            description = "Admins see every listing (the review queue is "
                    + "status=submitted); others the public published and deprecated ones.")
    @APIResponse(
            responseCode = "200",
            description = "One page with the total",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ListingPage.class)))
    @APIResponse(responseCode = "400", description = "Bad filter or paging parameter")
    public Uni<RestResponse<byte[]>> list(
            @QueryParam("namespace") String namespace,
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
        // the page's JSON as bytes: made of the cached views of its listings for everyone but admins (ListingReads)
        return caller(headers)
                .chain(caller -> reads.list(filter, page, size, caller))
                .map(body -> RestResponse.ResponseBuilder.ok(body, MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, cacheControl(headers))
                        .build());
    }

    /** A page of listings as {@code GET /listings} writes it (its schema in the API document). */
    @Schema(name = "PageResultListingView")
    public record ListingPage(long total, int page, int size, List<ListingView> items) {}

    @GET
    @Path("/by-id/{listingId}")
    @PermitAll
    @Operation(summary = "Get a listing by its UUID")
    @APIResponse(responseCode = "200", description = "The listing; ETag = its edit version")
    @APIResponse(responseCode = "404", description = "No such listing visible to the caller")
    public Uni<RestResponse<Object>> getById(
            @PathParam("listingId") UUID listingId, @Context Request request, @Context HttpHeaders headers) {
        return callers.caller()
                .chain(caller -> service.get(listingId, caller))
                .map(view -> conditional(reads.represent(view), request, cacheControl(headers)));
    }

    @GET
    @Path("/{namespace}/{name}")
    @PermitAll
    @Operation(summary = "Get a listing by namespace/name")
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current representation")
    @APIResponse(responseCode = "404", description = "No such listing visible to the caller")
    @APIResponse(
            responseCode = "200",
            description = "The listing; ETag = its edit version and a digest of the body",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ListingView.class)))
    public Uni<RestResponse<Object>> get(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @Context Request request,
            @Context HttpHeaders headers) {
        return caller(headers)
                .chain(who -> reads.get(namespace, name, who))
                .map(read -> conditional(read, request, cacheControl(headers)));
    }

    /**
     * The {@code Cache-Control} of a successful read: an anonymous caller sees only what everyone may see, the same
     * bytes for all, so a shared cache (the gateway's) may keep it for {@code s-maxage}; a signed-in caller's answer
     * may hold what only it sees (drafts, private listings, owners) and is {@code private}.
     */
    private String cacheControl(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null ? caching.anonymous() : caching.signedIn();
    }

    /**
     * Without credentials the caller is anonymous: no identity to resolve (the hot reads of public listings). With a
     * token it is resolved, so an invalid one is a 401 here as on every endpoint, even for a cached view.
     */
    private Uni<Caller> caller(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                ? Uni.createFrom().item(Caller.ANONYMOUS)
                : callers.caller();
    }

    @PUT
    @Path("/{namespace}/{name}")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer")
    @Operation(
            summary = "Replace a listing's editable content",
            description = "Members of the owning vendor only; " + "If-Match with the ETag read is required.")
    @APIResponse(responseCode = "200", description = "Updated; new ETag")
    @APIResponse(responseCode = "400", description = "Invalid body")
    @APIResponse(responseCode = "403", description = "Not a member of the owning vendor")
    @APIResponse(responseCode = "404", description = "No such listing visible to the caller")
    @APIResponse(responseCode = "409", description = "Not editable in its status (submitted, archived)")
    @APIResponse(responseCode = "412", description = "If-Match is stale")
    @APIResponse(responseCode = "428", description = "If-Match is missing")
    public Uni<RestResponse<ListingView>> update(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull ListingRequest request) {
        return callers.caller()
                .chain(caller -> service.update(namespace, name, request, ifMatch, caller))
                .map(this::ok);
    }

    @POST
    @Path("/{namespace}/{name}/submit")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Submit a draft or rejected listing for review (members; verified vendors publish at once)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    @APIResponse(responseCode = "422", description = "Review checklist not met (e.g. license other without eula)")
    public Uni<RestResponse<ListingView>> submit(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.SUBMIT, body, ifMatch);
    }

    @POST
    @Path("/{namespace}/{name}/withdraw")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Take a submission back to draft (members)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    public Uni<RestResponse<ListingView>> withdraw(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.WITHDRAW, body, ifMatch);
    }

    @POST
    @Path("/{namespace}/{name}/approve")
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Approve a submitted listing: published (admins)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    public Uni<RestResponse<ListingView>> approve(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.APPROVE, body, ifMatch);
    }

    @POST
    @Path("/{namespace}/{name}/reject")
    @RolesAllowed(Roles.ADMIN)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Reject a submitted listing with a reason (admins)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "400", description = "reason missing")
    @APIResponse(responseCode = "403", description = "Not an admin")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    public Uni<RestResponse<ListingView>> reject(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.REJECT, body, ifMatch);
    }

    @POST
    @Path("/{namespace}/{name}/deprecate")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Deprecate a published listing, optionally naming its successor (members)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "400", description = "successor is not another existing listing")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    public Uni<RestResponse<ListingView>> deprecate(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.DEPRECATE, body, ifMatch);
    }

    @POST
    @Path("/{namespace}/{name}/archive")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Archive a deprecated listing, or drop a draft or rejected one (members or admins)")
    @APIResponse(responseCode = "200", description = "The listing after the transition")
    @APIResponse(responseCode = "409", description = "Not allowed from the current status")
    public Uni<RestResponse<ListingView>> archive(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @RequestBody(content = @Content(schema = @Schema(implementation = TransitionRequest.class))) String body) {
        return transition(namespace, name, ListingStatus.Action.ARCHIVE, body, ifMatch);
    }

    @GET
    @Path("/{namespace}/{name}/history")
    @PermitAll
    @Operation(summary = "Lifecycle history: every transition with who, when and why, oldest first")
    @APIResponse(responseCode = "200", description = "The history")
    @APIResponse(responseCode = "404", description = "No such listing visible to the caller")
    public Uni<History> history(@PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller()
                .chain(caller -> service.history(namespace, name, caller))
                .map(items -> new History(
                        namespace + "/" + name,
                        items.stream().map(TransitionView::of).toList()));
    }

    /** The history body. */
    public record History(String id, List<TransitionView> items) {}

    @POST
    @Path("/{namespace}/{name}/gate/acceptance")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Accept a gated listing's terms (recorded per user; idempotent)")
    @APIResponse(responseCode = "200", description = "Accepted")
    @APIResponse(responseCode = "409", description = "The listing is not gated")
    public Uni<GateService.Acceptance> accept(
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> gates.accept(namespace, name, caller));
    }

    @POST
    @Path("/{namespace}/{name}/terms/acceptance")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(
            summary = "Accept a gated listing's current terms (the same as gate/acceptance); publishes TermsAccepted")
    @APIResponse(responseCode = "200", description = "Accepted")
    @APIResponse(responseCode = "409", description = "The listing is not gated")
    public Uni<GateService.Acceptance> acceptTerms(
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> gates.accept(namespace, name, caller));
    }

    @GET
    @Path("/{namespace}/{name}/gate/acceptance")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Whether the caller accepted the current terms")
    @APIResponse(responseCode = "200", description = "The caller's acceptance state")
    public Uni<GateService.Acceptance> myAcceptance(
            @PathParam("namespace") String namespace, @PathParam("name") String name) {
        return callers.caller().chain(caller -> gates.mine(namespace, name, caller));
    }

    @GET
    @Path("/{namespace}/{name}/gate/acceptances")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Who accepted the terms (vendor members and admins)")
    @APIResponse(responseCode = "200", description = "One page of acceptances")
    @APIResponse(responseCode = "403", description = "Not a member of the owning vendor nor an admin")
    public Uni<PageResult<GateService.Acceptance>> acceptances(
            @PathParam("namespace") String namespace,
            @PathParam("name") String name,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        Queries.page(page, size);
        return callers.caller().chain(caller -> gates.all(namespace, name, page, size, caller));
    }

    private Uni<RestResponse<ListingView>> transition(
            String namespace, String name, ListingStatus.Action action, String rawBody, String ifMatch) {
        TransitionRequest body = transitionBody(rawBody);
        String reason = body == null ? null : body.reason();
        String successor = body == null ? null : body.successor();
        return callers.caller()
                .chain(caller -> service.transition(namespace, name, action, reason, successor, ifMatch, caller))
                .map(this::ok);
    }

    /**
     * The optional body of a lifecycle action. Read by hand: the body may be absent (no Content-Type), which an
     * entity parameter would answer with 415. Malformed JSON and invalid fields still become 400 problems.
     */
    private TransitionRequest transitionBody(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        TransitionRequest body;
        try {
            body = json.readValue(raw, TransitionRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new org.modelmarket.platform.problem.UnreadableBodyException(e);
        }
        Set<ConstraintViolation<TransitionRequest>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    private RestResponse<ListingView> ok(ListingView view) {
        return RestResponse.ResponseBuilder.ok(view).tag(etag(view)).build();
    }

    /**
     * A read of {@link ListingReads}: its bytes, or 304 when {@code If-None-Match} names its ETag; both with
     * {@code cacheControl} (a 304 refreshes a cache's copy with its own, RFC 9111 4.3.4).
     */
    private static RestResponse<Object> conditional(ListingReads.Read read, Request request, String cacheControl) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(read.etag());
        if (notModified != null) {
            return RestResponse.ResponseBuilder.notModified(read.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                    .build();
        }
        return RestResponse.ResponseBuilder.<Object>ok(read.json(), MediaType.APPLICATION_JSON_TYPE)
                .tag(read.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .build();
    }

    private static URI location(ListingView view) {
        return UriBuilder.fromPath("/api/v1/listings/{namespace}/{name}").build(view.namespace(), view.name());
    }

    /** The ETag a read of {@code view} carries (writes answer with the view, which their callers may see whole). */
    private EntityTag etag(ListingView view) {
        return reads.represent(view).etag();
    }
}
