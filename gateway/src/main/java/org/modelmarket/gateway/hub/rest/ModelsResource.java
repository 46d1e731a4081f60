package org.modelmarket.gateway.hub.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubConfig;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.HubJson;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * The Hugging Face Hub's model read API (HF-PROTOCOL §1): list and search models, model info at a revision, the file
 * tree and paths-info. Thin: the listing comes from catalog-service (or search-service for lists), the revision,
 * commit and tree from artifact-service, each read with the caller's token.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class ModelsResource {

    /** Hub sort keys and the search-service sort that serves them; anything else is relevance. */
    private static final Map<String, String> SORTS = Map.of(
            "downloads", "downloads",
            "likes", "likes",
            "likes30d", "likes",
            "lastModified", "updated",
            "last_modified", "updated",
            "createdAt", "newest",
            "created_at", "newest",
            "trendingScore", "trending",
            "trending_score", "trending");

    private static final Set<String> FRAMEWORKS = Set.of(
            "pytorch",
            "tensorflow",
            "jax",
            "transformers",
            "diffusers",
            "sentence-transformers",
            "timm",
            "keras",
            "peft",
            "scikit-learn",
            "onnxruntime");
    private static final Set<String> FORMATS = Set.of("safetensors", "gguf", "onnx", "pickle", "tflite", "coreml");

    /** Listings of one page whose card or files are read at once (a page holds up to {@code page-size}). */
    private static final int ENTRY_CONCURRENCY = 8;

    private final HubServices services;
    private final HubRepos repos;
    private final HubConfig config;
    private final ObjectMapper json;

    public ModelsResource(HubServices services, HubRepos repos, HubConfig config, ObjectMapper json) {
        this.services = services;
        this.repos = repos;
        this.config = config;
        this.json = json;
    }

    @GET
    @Operation(summary = "List and search public models (Hub format), paged by an absolute Link header")
    public Uni<Response> list(@Context UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        Expand expand = Expand.of(params);
        int limit = config.pageSize();
        String limitParam = params.getFirst("limit");
        if (limitParam != null) {
            try {
                limit = Math.max(1, Math.min(config.pageSize(), Integer.parseInt(limitParam)));
            } catch (NumberFormatException e) {
                throw new HubError(400, null, "limit must be a number, not " + limitParam);
            }
        }
        StringBuilder query = new StringBuilder("/api/v1/search?size=").append(limit);
        String cursor = params.getFirst("cursor");
        query.append("&cursor=").append(HubServices.query(cursor == null ? "*" : cursor));
        List<String> search = params.getOrDefault("search", List.of());
        if (!search.isEmpty()) {
            query.append("&q=").append(HubServices.query(String.join(" ", search)));
        }
        String sort = params.getFirst("sort");
        query.append("&sort=").append(SORTS.getOrDefault(sort == null ? "" : sort, "relevance"));
        add(query, "vendor", params.getFirst("author"));
        add(query, "task", params.getFirst("pipeline_tag"));
        String gated = params.getFirst("gated");
        if (gated != null) {
            add(query, "gated", Boolean.toString(Boolean.parseBoolean(gated)));
        }
        for (String filter : params.getOrDefault("filter", List.of())) {
            for (String value : filter.split(",")) {
                filter(query, value.trim());
            }
        }
        String base = base(uri);
        // Python's full=true and cardData=true add the files and the card; with an expand, the expand alone decides
        // (Python refuses to send both).
        boolean full = flag(params.getFirst("full"));
        boolean withCard = flag(params.getFirst("cardData"));
        return services.caller()
                .flatMap(caller -> services.get("search", query.toString(), caller)
                        .flatMap(reply -> {
                            if (!reply.ok() || reply.body() == null) {
                                throw new HubError(
                                        reply.status() >= 500 ? 502 : reply.status(),
                                        null,
                                        reply.detail().isEmpty() ? "Search failed" : reply.detail());
                            }
                            List<Uni<Optional<ObjectNode>>> entries = new ArrayList<>();
                            for (JsonNode item : reply.body().path("items")) {
                                entries.add(listEntry(item, expand, full, withCard, caller));
                            }
                            Uni<List<Optional<ObjectNode>>> all = entries.isEmpty()
                                    ? Uni.createFrom().item(List.of())
                                    : Uni.join()
                                            .all(entries)
                                            .usingConcurrencyOf(ENTRY_CONCURRENCY)
                                            .andFailFast();
                            return all.map(models -> {
                                ArrayNode page = json.createArrayNode();
                                models.forEach(model -> model.ifPresent(page::add));
                                Response.ResponseBuilder response = Response.ok(page);
                                String next = reply.body().path("nextCursor").asText(null);
                                if (next != null && !reply.body().path("items").isEmpty()) {
                                    response.header("Link", "<" + nextUrl(base, uri, next) + ">; rel=\"next\"");
                                }
                                return response.build();
                            });
                        }));
    }

    /**
     * One model of a listing page: the search hit's fields, plus the card (from catalog) and the files at main (from
     * artifact-service) when the expand, {@code full} or {@code cardData} asks for them. A listing that became hidden
     * since it was indexed is left out.
     */
    private Uni<Optional<ObjectNode>> listEntry(
            JsonNode item, Expand expand, boolean full, boolean withCard, HubCaller caller) {
        boolean needsTree = expand.needsTree(full);
        boolean needsCard = expand.needsCard(withCard);
        if (!needsTree && !needsCard) {
            return Uni.createFrom().item(Optional.of(expand.apply(HubJson.model(json, item, null), null)));
        }
        String id = item.path("id").asText();
        int slash = id.indexOf('/');
        String ns = slash < 0 ? item.path("namespace").asText() : id.substring(0, slash);
        String name = slash < 0 ? id : id.substring(slash + 1);
        Uni<JsonNode> listing =
                needsCard ? repos.listing(ns, name, caller) : Uni.createFrom().item(item);
        Uni<HubRepos.Tree> tree = needsTree
                ? repos.tree(ns, name, "main", "", true, caller)
                        .onFailure(e -> e instanceof HubError error && HubError.REVISION_NOT_FOUND.equals(error.code()))
                        .recoverWithItem(new HubRepos.Tree(null, List.of()))
                : Uni.createFrom().nullItem();
        return Uni.combine()
                .all()
                .unis(listing, tree)
                .asTuple()
                .map(both -> {
                    Map<String, Object> card = needsCard ? HubJson.cardData(both.getItem1()) : null;
                    ObjectNode node = HubJson.model(json, item, card);
                    if (card != null) {
                        node.set("cardData", json.valueToTree(card));
                    }
                    if (both.getItem2() != null) {
                        files(node, both.getItem2(), false);
                    }
                    return Optional.of(expand.apply(node, card));
                })
                .onFailure(e -> e instanceof HubError error && HubError.REPO_NOT_FOUND.equals(error.code()))
                .recoverWithItem(Optional.empty());
    }

    /** Python sends {@code True}/{@code False} (requests) or {@code true}/{@code false} (httpx). */
    private static boolean flag(String value) {
        return value != null && (Boolean.parseBoolean(value) || "1".equals(value));
    }

    @GET
    @Path("{ns}/{name}")
    @Operation(summary = "Model info at the default branch (Hub format)")
    public Uni<ObjectNode> info(@RestPath String ns, @RestPath String name, @Context UriInfo uri) {
        return info(ns, name, "main", false, uri);
    }

    @GET
    @Path("{ns}/{name}/revision/{revision}")
    @Operation(summary = "Model info at a revision: main, HEAD, a version name or a 40-hex commit (Hub format)")
    public Uni<ObjectNode> infoAt(
            @RestPath String ns, @RestPath String name, @RestPath String revision, @Context UriInfo uri) {
        return info(ns, name, slashes(revision), true, uri);
    }

    /** Repository ids without a namespace are not ModelMarket's (every listing has one): RepoNotFound. */
    @GET
    @Path("{name}")
    @Operation(summary = "A repository id without a namespace: always RepoNotFound")
    public Uni<ObjectNode> bare(@RestPath String name) {
        return services.caller().map(caller -> {
            throw HubError.repoNotFound(name, caller.anonymous());
        });
    }

    /**
     * Quarkus REST leaves an encoded slash ({@code %2F}) encoded in a path parameter; the Python client encodes
     * revisions and tree folders that way (HF-PROTOCOL §1.3, §7).
     */
    static String slashes(String value) {
        return value.replace("%2F", "/").replace("%2f", "/");
    }

    private Uni<ObjectNode> info(String ns, String name, String revision, boolean explicit, UriInfo uri) {
        Expand expand = Expand.of(uri.getQueryParameters());
        boolean blobs = flag(uri.getQueryParameters().getFirst("blobs"));
        return services.caller()
                .flatMap(caller -> repos.listing(ns, name, caller)
                        .flatMap(listing -> repos.tree(ns, name, revision, "", true, caller)
                                .onFailure(HubError.class)
                                // A listing without any commit yet has no main: without an explicit revision, still
                                // show it.
                                .recoverWithUni(
                                        e -> !explicit && HubError.REVISION_NOT_FOUND.equals(((HubError) e).code())
                                                ? Uni.createFrom().item(new HubRepos.Tree(null, List.of()))
                                                : Uni.createFrom().failure(e))
                                .map(tree -> modelInfo(listing, tree, blobs, expand))));
    }

    private ObjectNode modelInfo(JsonNode listing, HubRepos.Tree tree, boolean blobs, Expand expand) {
        Map<String, Object> card = HubJson.cardData(listing);
        ObjectNode node = HubJson.model(json, listing, card);
        node.set("cardData", json.valueToTree(card));
        files(node, tree, blobs);
        node.putArray("spaces");
        return expand.apply(node, card);
    }

    /** {@code sha}, {@code siblings} (with sizes and LFS digests when {@code blobs}) and {@code usedStorage}. */
    private static void files(ObjectNode node, HubRepos.Tree tree, boolean blobs) {
        if (tree.commit() != null) {
            node.put("sha", tree.commit());
        }
        ArrayNode siblings = node.putArray("siblings");
        long used = 0;
        for (HubRepos.Entry entry : tree.entries()) {
            if (!entry.file()) {
                continue;
            }
            used += entry.size();
            ObjectNode sibling = siblings.addObject().put("rfilename", entry.path());
            if (blobs) {
                String pointer = HubJson.lfsPointer(entry.sha256(), entry.size());
                sibling.put("size", entry.size());
                sibling.put("blobId", HubJson.gitBlobSha1(pointer));
                sibling.putObject("lfs")
                        .put("size", entry.size())
                        .put("sha256", entry.sha256())
                        .put("pointerSize", pointer.length());
            }
        }
        node.put("usedStorage", used);
    }

    @GET
    @Path("{ns}/{name}/tree/{revision}")
    @Operation(summary = "The root of a revision's file tree (Hub format), paged by Link")
    public Uni<Response> treeRoot(
            @RestPath String ns, @RestPath String name, @RestPath String revision, @Context UriInfo uri) {
        return tree(ns, name, slashes(revision), "", uri);
    }

    /** The folder may come raw ({@code a/b}, JS) or as one {@code %2F}-encoded segment (Python): both decode alike. */
    @GET
    @Path("{ns}/{name}/tree/{revision}/{path: .+}")
    @Operation(summary = "One folder of a revision's file tree (Hub format), paged by Link")
    public Uni<Response> treeFolder(
            @RestPath String ns,
            @RestPath String name,
            @RestPath String revision,
            @RestPath String path,
            @Context UriInfo uri) {
        String decoded = slashes(path);
        String folder = decoded.endsWith("/") ? decoded.substring(0, decoded.length() - 1) : decoded;
        return tree(ns, name, slashes(revision), folder, uri);
    }

    private Uni<Response> tree(String ns, String name, String revision, String folder, UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        boolean recursive = Boolean.parseBoolean(params.getFirst("recursive"));
        boolean expand = Boolean.parseBoolean(params.getFirst("expand"));
        int offset = 0;
        String cursor = params.getFirst("cursor");
        if (cursor != null) {
            try {
                offset = Math.max(0, Integer.parseInt(cursor));
            } catch (NumberFormatException e) {
                throw new HubError(400, null, "Invalid cursor " + cursor);
            }
        }
        int start = offset;
        String base = base(uri);
        return services.caller()
                .flatMap(caller -> repos.tree(ns, name, revision, folder, recursive, caller))
                .map(tree -> {
                    List<HubRepos.Entry> entries = tree.entries();
                    int end = Math.min(entries.size(), start + config.treePageSize());
                    ArrayNode page = json.createArrayNode();
                    for (HubRepos.Entry entry : entries.subList(Math.min(start, end), end)) {
                        page.add(HubJson.entry(json, tree.commit(), entry, expand));
                    }
                    Response.ResponseBuilder response = Response.ok(page).header("X-Repo-Commit", tree.commit());
                    if (end < entries.size()) {
                        response.header("Link", "<" + nextUrl(base, uri, Integer.toString(end)) + ">; rel=\"next\"");
                    }
                    return response.build();
                });
    }

    /** Python sends a form ({@code paths=a&paths=b&expand=false}), JS a JSON body: both are accepted. */
    @POST
    @Path("{ns}/{name}/paths-info/{revision}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Information on some paths of a revision (Hub format; form body)")
    public Uni<ArrayNode> pathsInfoForm(
            @RestPath String ns,
            @RestPath String name,
            @RestPath String revision,
            MultivaluedMap<String, String> form) {
        return pathsInfo(
                ns,
                name,
                slashes(revision),
                form.getOrDefault("paths", List.of()),
                Boolean.parseBoolean(form.getFirst("expand")));
    }

    /** The JSON body of the JS client. */
    public record PathsRequest(List<String> paths, Boolean expand) {}

    @POST
    @Path("{ns}/{name}/paths-info/{revision}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Information on some paths of a revision (Hub format; JSON body)")
    public Uni<ArrayNode> pathsInfoJson(
            @RestPath String ns, @RestPath String name, @RestPath String revision, PathsRequest request) {
        if (request == null || request.paths() == null) {
            throw new HubError(400, null, "The body needs a list of paths");
        }
        return pathsInfo(ns, name, slashes(revision), request.paths(), Boolean.TRUE.equals(request.expand()));
    }

    private Uni<ArrayNode> pathsInfo(String ns, String name, String revision, List<String> paths, boolean expand) {
        if (paths.size() > 1000) {
            throw new HubError(400, null, "At most 1000 paths per call");
        }
        Set<String> wanted = paths.stream()
                .map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                .collect(Collectors.toSet());
        return services.caller()
                .flatMap(caller -> repos.tree(ns, name, revision, "", true, caller))
                .map(tree -> {
                    ArrayNode result = json.createArrayNode();
                    for (HubRepos.Entry entry : tree.entries()) {
                        if (wanted.contains(entry.path())) {
                            result.add(HubJson.entry(json, tree.commit(), entry, expand));
                        }
                    }
                    return result;
                });
    }

    private static void add(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(name).append('=').append(HubServices.query(value));
        }
    }

    /** Hub filters are tags; those naming a licence, language, framework or format become that search filter. */
    private static void filter(StringBuilder query, String value) {
        if (value.isEmpty()) {
            return;
        }
        if (value.startsWith("license:")) {
            add(query, "license", value.substring("license:".length()));
        } else if (value.startsWith("language:")) {
            add(query, "language", value.substring("language:".length()));
        } else if (FRAMEWORKS.contains(value)) {
            add(query, "framework", value);
        } else if (FORMATS.contains(value)) {
            add(query, "format", value);
        } else {
            add(query, "tags", value);
        }
    }

    private String base(UriInfo uri) {
        return config.publicUrl()
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> {
                    URI base = uri.getBaseUri();
                    String text = base.toString();
                    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
                });
    }

    /** The same URL with the same query (the clients repeat it unchanged) and the next cursor. */
    private static String nextUrl(String base, UriInfo uri, String cursor) {
        String raw = uri.getRequestUri().getRawQuery();
        List<String> kept = new ArrayList<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty() && !pair.startsWith("cursor=")) {
                    kept.add(pair);
                }
            }
        }
        kept.add("cursor=" + HubServices.query(cursor));
        return base + uri.getRequestUri().getRawPath() + "?" + String.join("&", kept);
    }

    /** A bad token on a Hub route answers as the Hub does (the platform's mapper would answer problem+json). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public jakarta.ws.rs.core.Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(org.modelmarket.gateway.hub.HubError.invalidCredentials());
    }
}
