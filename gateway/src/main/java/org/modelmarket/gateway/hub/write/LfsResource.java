package org.modelmarket.gateway.hub.write;

import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubConfig;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.hub.rest.HubErrorMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * The Git LFS batch API of a model repository (HF-PROTOCOL §3.3) and the transfers it hands out (§3.4): objects the
 * listing already holds answer without actions; the others get an artifact-service multipart upload and
 * self-authorizing gateway URLs, one PUT ({@code basic}) or parts plus a completion URL ({@code multipart}). The bytes
 * stream through {@link LfsTransfers} into that upload, whose completion checks size and SHA-256 before the object
 * can be committed.
 */
@Path("/{ns}/{repo: [^/]+\\.git}/info/lfs")
@PermitAll
@Tag(name = "hugging face hub")
public class LfsResource {

    static final String LFS_JSON = "application/vnd.git-lfs+json";
    static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    /** artifact-service's upper bound on parts. */
    static final long MAX_PARTS = 10_000;

    private final HubServices services;
    private final HubWrites writes;
    private final UploadUrls urls;
    private final LfsTransfers transfers;
    private final HubConfig config;
    private final ObjectMapper json;

    public LfsResource(
            HubServices services,
            HubWrites writes,
            UploadUrls urls,
            LfsTransfers transfers,
            HubConfig config,
            ObjectMapper json) {
        this.services = services;
        this.writes = writes;
        this.urls = urls;
        this.transfers = transfers;
        this.config = config;
        this.json = json;
    }

    @POST
    @Path("objects/batch")
    @Consumes(MediaType.WILDCARD)
    @Produces(LFS_JSON)
    @Operation(summary = "Git LFS batch API (upload): where to send each object, or nothing when it is stored")
    public Uni<Response> batch(@RestPath String ns, @RestPath String repo, @Context UriInfo uri, byte[] body) {
        String name = name(repo);
        String base = writes.base(uri) + "/" + ns + "/" + repo + "/info/lfs/objects/";
        return writes.authenticated().flatMap(caller -> {
            JsonNode request = parse(body);
            String operation = request.path("operation").asText("");
            if (!"upload".equals(operation)) {
                throw new HubError(400, null, "Only the upload operation is served here; download with resolve.");
            }
            JsonNode objects = request.path("objects");
            if (!objects.isArray() || objects.size() > 1000) {
                throw new HubError(400, null, "objects must be a list of at most 1000 {oid, size}.");
            }
            return writes.writable(ns, name, caller)
                    .flatMap(listing -> writes.files(ns, name, HubWrites.MAIN, caller))
                    .flatMap(current -> Multi.createFrom()
                            .iterable(objects)
                            .onItem()
                            .transformToUniAndConcatenate(object -> object(ns, name, base, object, current, caller))
                            .collect()
                            .asList())
                    .map(answers -> {
                        ObjectNode answer = json.createObjectNode().put("transfer", "basic");
                        ArrayNode list = answer.putArray("objects");
                        answers.forEach(list::add);
                        return Response.ok(answer).type(LFS_JSON).build();
                    });
        });
    }

    /** The answer for one object: no actions, upload actions, or a per-object error. */
    private Uni<ObjectNode> object(
            String ns,
            String name,
            String base,
            JsonNode object,
            Map<String, HubRepos.Entry> current,
            HubCaller caller) {
        String oid = object.path("oid").asText("");
        long size = object.path("size").asLong(-1);
        ObjectNode answer = json.createObjectNode().put("oid", oid).put("size", size);
        if (!SHA256.matcher(oid).matches() || size < 0) {
            return Uni.createFrom().item(error(answer, 422, "oid must be a sha256 (64 hex digits) and size >= 0"));
        }
        boolean stored = current.values().stream().anyMatch(e -> oid.equals(e.sha256()) && e.size() == size);
        if (stored) {
            return Uni.createFrom().item(answer);
        }
        ObjectNode initiate = json.createObjectNode()
                .put("path", "lfs/" + oid)
                .put("size", size)
                .put("sha256", oid);
        return services.send(
                        HttpMethod.POST,
                        "artifact",
                        CommitResource.listingPath(ns, name) + "/uploads",
                        initiate,
                        caller)
                .map(reply -> {
                    if (!reply.ok() || reply.body() == null) {
                        HubError failure = HubWrites.error(reply, ns + "/" + name, caller);
                        return error(answer, failure.status(), failure.getMessage());
                    }
                    long chunk = size > config.lfs().multipartThreshold().asLongValue()
                            ? Math.max(config.lfs().chunkSize().asLongValue(), (size + MAX_PARTS - 1) / MAX_PARTS)
                            : 0;
                    UploadGrant grant = new UploadGrant(
                            ns,
                            name,
                            reply.body().path("id").asText(),
                            oid,
                            size,
                            chunk,
                            caller.authorization().orElseThrow(),
                            Instant.now().plus(config.lfs().urlTtl()).getEpochSecond());
                    String href = base + urls.seal(grant);
                    ObjectNode actions = answer.putObject("actions");
                    ObjectNode upload = actions.putObject("upload").put("href", href);
                    ObjectNode header = upload.putObject("header");
                    if (chunk > 0) {
                        header.put("chunk_size", Long.toString(chunk));
                        for (int n = 1; n <= grant.parts(); n++) {
                            header.put(String.format("%05d", n), href + "/part/" + n);
                        }
                    }
                    upload.put("expires_in", config.lfs().urlTtl().toSeconds());
                    actions.putObject("verify").put("href", href + "/verify");
                    return answer;
                });
    }

    private static ObjectNode error(ObjectNode answer, int code, String message) {
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    /** Single-part transfer: the whole object in one PUT, streamed into artifact-service. */
    @PUT
    @Path("objects/{token}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, LFS_JSON})
    @Blocking
    @Operation(summary = "Upload an LFS object in one PUT (URL from the batch API, no Authorization)")
    public Response put(@RestPath String ns, @RestPath String repo, @RestPath String token, InputStream body) {
        UploadGrant grant = urls.open(token, ns, name(repo));
        if (grant.chunk() != 0) {
            throw new HubError(400, null, "This object is uploaded in parts: PUT each part URL.");
        }
        transfers.single(grant, body);
        return Response.ok().build();
    }

    /** One part of a multipart transfer; its ETag is the part's SHA-256. */
    @PUT
    @Path("objects/{token}/part/{number}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, LFS_JSON})
    @Blocking
    @Operation(summary = "Upload one part of an LFS object (URL from the batch API, no Authorization)")
    public Response part(
            @RestPath String ns,
            @RestPath String repo,
            @RestPath String token,
            @RestPath int number,
            InputStream body) {
        UploadGrant grant = urls.open(token, ns, name(repo));
        if (grant.chunk() == 0 || number < 1 || number > grant.parts()) {
            throw new HubError(400, null, "No part " + number + " in this upload.");
        }
        String sha256 = transfers.part(grant, number, body);
        return Response.ok().header("ETag", '"' + sha256 + '"').build();
    }

    /** The completion of a multipart transfer: artifact-service assembles the parts and checks size and SHA-256. */
    @POST
    @Path("objects/{token}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, LFS_JSON})
    @Blocking
    @Operation(summary = "Complete a multipart LFS upload (URL from the batch API, no Authorization)")
    public Response complete(@RestPath String ns, @RestPath String repo, @RestPath String token, byte[] body) {
        UploadGrant grant = urls.open(token, ns, name(repo));
        JsonNode request = parse(body);
        if (!grant.oid().equals(request.path("oid").asText())) {
            throw new HubError(400, null, "The completion names another object than this URL.");
        }
        transfers.complete(grant);
        return Response.ok().build();
    }

    /** Python's verify step (JS skips it): 200 when the object is complete, 404 otherwise. */
    @POST
    @Path("objects/{token}/verify")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, LFS_JSON})
    @Operation(summary = "Verify an uploaded LFS object (Bearer token)")
    public Uni<Response> verify(@RestPath String ns, @RestPath String repo, @RestPath String token, byte[] body) {
        String name = name(repo);
        return writes.authenticated().flatMap(caller -> {
            UploadGrant grant = urls.open(token, ns, name);
            JsonNode request = parse(body);
            if (!grant.oid().equals(request.path("oid").asText())) {
                throw new HubError(400, null, "The verify request names another object than this URL.");
            }
            return services.get(
                            "artifact",
                            CommitResource.listingPath(ns, name) + "/uploads/" + HubServices.segment(grant.upload()),
                            caller)
                    .map(reply -> {
                        if (reply.ok()
                                && reply.body() != null
                                && "completed"
                                        .equals(reply.body().path("status").asText())) {
                            return Response.ok(json.createObjectNode()
                                            .put("oid", grant.oid())
                                            .put("size", grant.size()))
                                    .build();
                        }
                        throw new HubError(404, null, "Object " + grant.oid() + " has not been uploaded completely.");
                    });
        });
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new HubError(400, null, "The body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new HubError(400, null, "The body is not valid JSON.");
        }
    }

    /** {@code name.git} → {@code name}. */
    static String name(String repo) {
        return repo.substring(0, repo.length() - ".git".length());
    }

    /** The Hub's error shape also for the routes that are not under {@code /api}. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(HubError.invalidCredentials());
    }
}
