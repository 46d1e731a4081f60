package org.modelmarket.gateway.hub.write;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.hub.rest.HubErrorMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * {@code create_repo} (HF-PROTOCOL W2) as a catalog listing in the caller's namespace, and {@code validate-yaml}
 * (§3.1), which the Python client calls before committing a README.md.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class ReposResource {

    /** Catalog's listing and namespace name rule. */
    static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-_.]{0,62}[a-z0-9])?$");

    private static final YAMLMapper YAML = new YAMLMapper();

    private final HubServices services;
    private final HubWrites writes;
    private final ObjectMapper json;

    public ReposResource(HubServices services, HubWrites writes, ObjectMapper json) {
        this.services = services;
        this.writes = writes;
        this.json = json;
    }

    @POST
    @Path("repos/create")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a model repository (Hub format): a listing in the caller's (or a vendor) namespace")
    public Uni<Response> create(byte[] body, @Context UriInfo uri) {
        String base = writes.base(uri);
        return writes.authenticated().flatMap(caller -> {
            JsonNode request = parse(body);
            String name = text(request, "name");
            String organization = text(request, "organization");
            String ns = organization == null ? HubWrites.userName(caller) : organization;
            String type = text(request, "type");
            if (type != null && !"model".equals(type)) {
                throw new HubError(400, null, "Only model repositories exist on ModelMarket, not " + type + ".");
            }
            if (name == null
                    || !NAME.matcher(name).matches()
                    || !NAME.matcher(ns).matches()) {
                throw new HubError(
                        400,
                        null,
                        "Invalid repository id " + ns + "/" + name
                                + ": namespace and name are 1-64 lower-case letters, digits, '-', '_' or '.'.");
            }
            String visibility = text(request, "visibility");
            if (visibility == null && request.path("private").asBoolean(false)) {
                visibility = "private";
            }
            if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
                throw new HubError(400, null, "visibility is public or private, not " + visibility + ".");
            }
            String license = text(request, "license");
            ObjectNode listing = json.createObjectNode()
                    .put("namespace", ns)
                    .put("name", name)
                    .put("title", name)
                    // Placeholders the vendor edits later (catalog requires them); "other" fits any model.
                    .put("modality", "multimodal")
                    .put("task", "other")
                    .put("license", license == null ? "other" : license)
                    .put("priceType", "free")
                    .put("visibility", visibility == null ? "public" : visibility);
            String url = base + "/" + ns + "/" + name;
            return services.send(HttpMethod.POST, "catalog", "/api/v1/listings", listing, caller)
                    .flatMap(reply -> {
                        if (reply.status() == 409) {
                            // Python's exist_ok reads url from the 409 (W2); never the "conflicting operation" text.
                            return Uni.createFrom()
                                    .item(answer(
                                            409,
                                            json.createObjectNode()
                                                    .put("error", "You already created this model repo")
                                                    .put("url", url)));
                        }
                        if (!reply.ok() || reply.body() == null) {
                            throw HubWrites.error(reply, ns + "/" + name, caller);
                        }
                        String id = reply.body()
                                .path("listingId")
                                .asText(reply.body().path("id").asText());
                        return known(ns, name, caller)
                                .map(ignored -> answer(
                                        200,
                                        json.createObjectNode()
                                                .put("url", url)
                                                .put("name", ns + "/" + name)
                                                .put("id", id)));
                    });
        });
    }

    /**
     * artifact-service learns a new listing from catalog's event: wait (bounded) until it knows it, so that the upload
     * the client sends next finds the repository.
     */
    private Uni<Void> known(String ns, String name, HubCaller caller) {
        String path = "/api/v1/listings/" + HubServices.segment(ns) + "/" + HubServices.segment(name) + "/commits/main";
        return services.get("artifact", path, caller)
                .map(reply -> {
                    if ("listing-not-found".equals(reply.problemSlug())) {
                        throw new IllegalStateException("not yet known");
                    }
                    return (Void) null;
                })
                .onFailure(IllegalStateException.class)
                .retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .expireIn(15_000)
                .onFailure(IllegalStateException.class)
                .transform(e -> new HubError(
                        503, null, ns + "/" + name + " was created but its file store does not know it yet: retry."));
    }

    private static Response answer(int status, ObjectNode body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(body)
                .build();
    }

    @POST
    @Path("validate-yaml")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Check a README's YAML metadata (Hub format)")
    public Uni<Response> validateYaml(byte[] body) {
        return writes.authenticated().map(caller -> {
            JsonNode request = parse(body);
            String content = text(request, "content");
            ObjectNode answer = json.createObjectNode();
            var errors = answer.putArray("errors");
            answer.putArray("warnings");
            String front = frontMatter(content == null ? "" : content);
            if (front != null) {
                try {
                    JsonNode metadata = YAML.readTree(front);
                    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
                        errors.addObject().put("message", "The metadata must be a YAML mapping.");
                    }
                } catch (java.io.IOException e) {
                    errors.addObject().put("message", "Invalid YAML: " + e.getMessage());
                }
            }
            return answer(errors.isEmpty() ? 200 : 400, answer);
        });
    }

    /** The YAML between the leading {@code ---} lines, or null. */
    static String frontMatter(String content) {
        String text = content.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            return null;
        }
        int end = text.indexOf("\n---", 3);
        return end < 0 ? null : text.substring(4, end + 1);
    }

    JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new HubError(400, null, "The body must be a JSON object.");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new HubError(400, null, "The body is not valid JSON: " + e.getMessage());
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A bad token on a Hub route answers as the Hub does (the platform's mapper would answer problem+json). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(HubError.invalidCredentials());
    }
}
