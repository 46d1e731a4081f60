package org.modelmarket.gateway.hub.rest;

import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.HubJson;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.token.auth.ApiTokenIdentity;
import org.modelmarket.gateway.token.auth.ScopeRules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * A repository's refs (HF-PROTOCOL §W5: the branch {@code main} and the published versions as tags) and the Hub's
 * auth-check (may the caller download this repository's files?), as {@code list_repo_refs} and {@code auth_check}
 * of the Python client call them.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class RepoRefsResource {

    /** Catalog's largest page; more tags than {@code MAX_PAGES} pages of it are not listed. */
    private static final int PAGE = 100;

    private static final int MAX_PAGES = 10;

    private final HubServices services;
    private final HubRepos repos;
    private final ObjectMapper json;

    public RepoRefsResource(HubServices services, HubRepos repos, ObjectMapper json) {
        this.services = services;
        this.repos = repos;
        this.json = json;
    }

    @GET
    @Path("{ns}/{name}/refs")
    @Operation(summary = "Branches (main) and tags (published versions) of a model (Hub format)")
    public Uni<ObjectNode> refs(
            @RestPath String ns, @RestPath String name, @RestQuery("include_prs") String includePrs) {
        return services.caller()
                .flatMap(caller -> repos.listing(ns, name, caller)
                        .flatMap(listing -> mainCommit(ns, name, caller))
                        .flatMap(main -> versions(ns, name, caller, 0, json.createArrayNode())
                                .map(versions -> refs(main, versions, includePrs))));
    }

    private ObjectNode refs(Optional<String> main, ArrayNode versions, String includePrs) {
        ObjectNode refs = json.createObjectNode();
        ArrayNode branches = refs.putArray("branches");
        main.ifPresent(commit -> branches.addObject()
                .put("name", "main")
                .put("ref", "refs/heads/main")
                .put("targetCommit", commit));
        refs.putArray("converts");
        ArrayNode tags = refs.putArray("tags");
        for (JsonNode version : versions) {
            // A tag names a commit; a published version without one (catalog allows it) has nothing to point at.
            if (!"published".equals(version.path("status").asText()) || !version.hasNonNull("commit")) {
                continue;
            }
            String tag = version.path("version").asText();
            tags.addObject()
                    .put("name", tag)
                    .put("ref", "refs/tags/" + tag)
                    .put("targetCommit", version.get("commit").asText());
        }
        if (includePrs != null && !"0".equals(includePrs) && !"false".equalsIgnoreCase(includePrs)) {
            // ModelMarket has no pull requests.
            refs.putArray("pullRequests");
        }
        return refs;
    }

    /** main's head, or none while the listing has no commit yet. */
    private Uni<Optional<String>> mainCommit(String ns, String name, HubCaller caller) {
        return repos.commit(ns, name, "main", caller)
                .map(commit -> Optional.of(commit.path("id").asText()))
                .onFailure(HubError.class)
                .recoverWithUni(e -> HubError.REVISION_NOT_FOUND.equals(((HubError) e).code())
                        ? Uni.createFrom().item(Optional.<String>empty())
                        : Uni.createFrom().failure(e));
    }

    /** Every version catalog shows the caller, page after page. */
    private Uni<ArrayNode> versions(String ns, String name, HubCaller caller, int page, ArrayNode into) {
        String path = "/api/v1/listings/" + HubServices.segment(ns) + "/" + HubServices.segment(name)
                + "/versions?page=" + page + "&size=" + PAGE;
        return services.get("catalog", path, caller).flatMap(reply -> {
            if (!reply.ok() || reply.body() == null) {
                throw HubRepos.error(reply, ns + "/" + name, caller);
            }
            JsonNode items = reply.body().path("items");
            items.forEach(into::add);
            long total = reply.body().path("total").asLong(0);
            if (items.isEmpty() || (long) (page + 1) * PAGE >= total || page + 1 >= MAX_PAGES) {
                return Uni.createFrom().item(into);
            }
            return versions(ns, name, caller, page + 1, into);
        });
    }

    /**
     * {@code 200} when the caller may download the model's files; the Hub's errors otherwise: {@code GatedRepo}
     * (401 anonymous, 403 with a token) for a gated or paid listing whose terms or subscription are missing,
     * {@code RepoNotFound} for a hidden or missing one, 403 for an API token without the {@code download} scope.
     *
     * <p>A free listing without a gate protects no file: anyone who sees it may download everything, so nothing more
     * is asked. Otherwise the decision is artifact-service's, by the rules a download of the listing's weights meets
     * ({@code GET /api/v1/listings/{ns}/{name}/access}: login, accepted terms, an entitlement; owners and admins pass),
     * asked once, whatever files the listing has: a gated or paid listing is refused until its terms are accepted or
     * it is bought even while every file it has so far is an open one (README, configs).
     */
    @GET
    @Path("{ns}/{name}/auth-check")
    @Operation(summary = "Whether the caller may download the model's files (Hub format)")
    public Uni<ObjectNode> authCheck(@RestPath String ns, @RestPath String name) {
        String repo = ns + "/" + name;
        return services.caller().flatMap(caller -> {
            scopeRefusal(caller, ns, name).ifPresent(detail -> {
                throw new HubError(403, null, detail);
            });
            return repos.listing(ns, name, caller)
                    .flatMap(listing -> Boolean.FALSE.equals(HubJson.gated(listing))
                            ? Uni.createFrom().voidItem()
                            : access(ns, name, caller))
                    .map(ignored -> json.createObjectNode().put("id", repo).put("access", "granted"));
        });
    }

    /** artifact-service's decision on the caller's download of the listing's weights; fails with its refusal. */
    private Uni<Void> access(String ns, String name, HubCaller caller) {
        String url = "/api/v1/listings/" + HubServices.segment(ns) + "/" + HubServices.segment(name) + "/access";
        return services.get("artifact", url, caller).map(reply -> {
            if (!reply.ok()) {
                throw HubRepos.error(reply, ns + "/" + name, caller);
            }
            return null;
        });
    }

    /** An API token without the download scope (or restricted elsewhere) is refused here as at the file route. */
    private static Optional<String> scopeRefusal(HubCaller caller, String ns, String name) {
        if (caller.identity() == null) {
            return Optional.empty();
        }
        return ApiTokenIdentity.of(caller.identity())
                .flatMap(token -> ScopeRules.check(
                        token.token(),
                        ScopeRules.required(
                                "GET",
                                "/" + HubServices.segment(ns) + "/" + HubServices.segment(name)
                                        + "/resolve/main/weights")))
                .map(ScopeRules.Refusal::detail);
    }

    /** A bad token answers as the Hub does (the platform's mapper would answer problem+json). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public jakarta.ws.rs.core.Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(HubError.invalidCredentials());
    }
}
