package org.modelmarket.gateway.hub.write;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.gateway.hub.rest.HubErrorMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

/**
 * The Hub's commit side of a model repository (HF-PROTOCOL §3.2, §3.5, W5): preupload (which files go by LFS),
 * the NDJSON commit, mapped onto one artifact-service atomic commit on {@code main}, and {@code create_tag}, mapped
 * onto a published catalog version naming the commit.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "hugging face hub")
public class CommitResource {

    /** Largest NDJSON commit body: regular files travel inline (base64), so keep them small (preupload's rule). */
    static final int MAX_COMMIT_BODY = 64 * 1024 * 1024;

    /** Files above this size go by LFS whatever their content. */
    static final long REGULAR_MAX = 1024 * 1024;

    /** File names that always go by LFS (weights and archives), as the Hub's default .gitattributes says. */
    static final Pattern LFS_NAMES = Pattern.compile(
            ".*\\.(safetensors|bin|gguf|ggml|onnx|pt|pth|ckpt|h5|msgpack|pkl|pickle|npy|npz|tflite|mlmodel|"
                    + "model|joblib|parquet|arrow|tar|zip|gz|7z|xz|zst|ot|pb|tgz|wasm)$",
            Pattern.CASE_INSENSITIVE);

    static final Pattern HEX = Pattern.compile("^[0-9a-f]{7,40}$");
    static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    /** Catalog's version rule: SemVer 2.0.0 or a 7-40 hex revision id. */
    static final Pattern VERSION = Pattern.compile("^((0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?|[0-9a-f]{7,40})$");

    static final String STALE = "The branch was updated since you opened this page. Please refresh and try again.";

    private final HubServices services;
    private final HubRepos repos;
    private final HubWrites writes;
    private final ObjectMapper json;

    public CommitResource(HubServices services, HubRepos repos, HubWrites writes, ObjectMapper json) {
        this.services = services;
        this.repos = repos;
        this.writes = writes;
        this.json = json;
    }

    // ---- §3.2 preupload ----

    @POST
    @Path("{ns}/{name}/preupload/{revision}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Which files of an upload go by LFS (Hub format)")
    public Uni<ObjectNode> preupload(
            @RestPath String ns,
            @RestPath String name,
            @RestPath String revision,
            @RestQuery("create_pr") String createPr,
            byte[] body) {
        String rev = slashes(revision);
        return writes.authenticated().flatMap(caller -> {
            HubWrites.refusePullRequest(createPr);
            JsonNode files = parse(body).get("files");
            if (files == null || !files.isArray()) {
                throw new HubError(400, null, "The body needs a list of files.");
            }
            if (files.size() > 1000) {
                throw new HubError(400, null, "At most 1000 files per preupload call.");
            }
            for (JsonNode file : files) {
                if (!file.path("path").isTextual() || !file.path("size").canConvertToLong()) {
                    throw new HubError(400, null, "Each file needs a path and a size.");
                }
            }
            return writes.writable(ns, name, caller)
                    .flatMap(listing -> writes.files(ns, name, rev, caller))
                    .map(current -> preuploadAnswer(files, current));
        });
    }

    private ObjectNode preuploadAnswer(JsonNode files, Map<String, HubRepos.Entry> current) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode modes = answer.putArray("files");
        for (JsonNode file : files) {
            String path = file.get("path").asText();
            boolean lfs =
                    lfs(path, file.get("size").asLong(), file.path("sample").asText(""));
            HubRepos.Entry existing = current.get(path);
            ObjectNode mode = modes.addObject()
                    .put("path", path)
                    .put("uploadMode", lfs ? "lfs" : "regular")
                    .put("shouldIgnore", false);
            // The oid lets Python skip unchanged files: the sha256 for LFS files. A regular file's oid is a git
            // blob sha1 of its content, which ModelMarket does not keep: null only disables the shortcut.
            if (lfs && existing != null && existing.sha256() != null) {
                mode.put("oid", existing.sha256());
            } else {
                mode.putNull("oid");
            }
        }
        return answer;
    }

    /** The LFS-or-regular rule (HF-PROTOCOL §3.2): big, binary or a weights name → lfs; empty → regular. */
    static boolean lfs(String path, long size, String sample) {
        if (size == 0) {
            return false;
        }
        if (size > REGULAR_MAX || LFS_NAMES.matcher(path).matches()) {
            return true;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sample);
            for (byte b : bytes) {
                if (b == 0) {
                    return true;
                }
            }
        } catch (IllegalArgumentException e) {
            // An undecodable sample says nothing: decide by size and name.
        }
        return false;
    }

    // ---- §3.5 commit ----

    /** One operation of an NDJSON commit, as artifact-service's atomic commit takes it. */
    record Op(String op, String path, String content, String sha256) {}

    @POST
    @Path("{ns}/{name}/commit/{revision}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Commit additions (inline or LFS) and deletions atomically on main (Hub NDJSON format)")
    public Uni<ObjectNode> commit(
            @RestPath String ns,
            @RestPath String name,
            @RestPath String revision,
            @RestQuery("create_pr") String createPr,
            @Context UriInfo uri,
            byte[] body) {
        String rev = slashes(revision);
        String base = writes.base(uri);
        String repo = ns + "/" + name;
        return writes.authenticated().flatMap(caller -> {
            HubWrites.refusePullRequest(createPr);
            ObjectNode request = ndjson(body);
            return writes.writable(ns, name, caller)
                    .flatMap(listing -> {
                        HubWrites.requireMain(rev);
                        return writes.head(ns, name, caller);
                    })
                    .flatMap(head -> {
                        String parent = request.path("parent").asText(null);
                        if (parent != null) {
                            if (head == null || !head.startsWith(parent)) {
                                throw new HubError(412, null, STALE);
                            }
                            // artifact-service checks the full id again under its lock: nothing slips in between.
                            request.put("parent", head);
                        }
                        return services.send(
                                HttpMethod.POST, "artifact", listingPath(ns, name) + "/commits", request, caller);
                    })
                    .map(reply -> {
                        if (!reply.ok() || reply.body() == null) {
                            throw commitError(reply, repo, caller);
                        }
                        String oid = reply.body().path("id").asText();
                        ObjectNode answer = json.createObjectNode()
                                .put("success", true)
                                .put("commitOid", oid)
                                .put("commitUrl", base + "/" + repo + "/commit/" + oid)
                                .put("hookOutput", "");
                        answer.putNull("pullRequestUrl");
                        return answer;
                    });
        });
    }

    private static HubError commitError(HubServices.Reply reply, String repo, HubCaller caller) {
        return switch (reply.problemSlug()) {
            case "parent-mismatch" -> new HubError(412, null, STALE);
            case "file-not-found" ->
                new HubError(404, HubError.ENTRY_NOT_FOUND, "A file with this name doesn't exist: " + reply.detail());
            case "unknown-blob" ->
                new HubError(400, null, reply.detail() + " Upload the LFS object first (LFS batch API).");
            default -> HubWrites.error(reply, repo, caller);
        };
    }

    /** The NDJSON body as artifact-service's commit request: {@code message}, {@code parent}?, {@code operations}. */
    ObjectNode ndjson(byte[] body) {
        if (body == null || body.length == 0) {
            throw new HubError(400, null, "The commit body is empty.");
        }
        if (body.length > MAX_COMMIT_BODY) {
            throw new HubError(413, null, "The commit body is larger than 64 MiB: send big files by LFS.");
        }
        String summary = null;
        String description = null;
        String parent = null;
        boolean header = false;
        ObjectNode request = json.createObjectNode();
        ArrayNode operations = json.createArrayNode();
        int number = 0;
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode item;
            try {
                item = json.readTree(line);
            } catch (java.io.IOException e) {
                throw new HubError(400, null, "Line " + number + " of the commit is not JSON.");
            }
            String key = item.path("key").asText("");
            JsonNode value = item.path("value");
            if (!value.isObject()) {
                throw new HubError(400, null, "Line " + number + " has no value object.");
            }
            switch (key) {
                case "header" -> {
                    header = true;
                    summary = value.path("summary").asText(null);
                    description = value.path("description").asText(null);
                    parent = value.hasNonNull("parentCommit")
                            ? value.get("parentCommit").asText()
                            : null;
                }
                case "file" -> {
                    String encoding = value.path("encoding").asText("base64");
                    if (!"base64".equals(encoding)) {
                        throw new HubError(400, null, "File contents must be base64-encoded, not " + encoding + ".");
                    }
                    String content = value.path("content").asText("");
                    try {
                        Base64.getDecoder().decode(content);
                    } catch (IllegalArgumentException e) {
                        throw new HubError(400, null, "The content of " + path(value, number) + " is not base64.");
                    }
                    operations.add(json.valueToTree(new Op("add", path(value, number), content, null)));
                }
                case "lfsFile" -> {
                    String algo = value.path("algo").asText("sha256");
                    String oid = value.path("oid").asText("");
                    if (!"sha256".equals(algo) || !SHA256.matcher(oid).matches()) {
                        throw new HubError(
                                400, null, "lfsFile " + path(value, number) + " needs a sha256 oid (64 hex digits).");
                    }
                    operations.add(json.valueToTree(new Op("add", path(value, number), null, oid)));
                }
                case "deletedFile" ->
                    operations.add(json.valueToTree(new Op("delete", path(value, number), null, null)));
                case "deletedFolder" -> {
                    String folder = path(value, number);
                    while (folder.endsWith("/")) {
                        folder = folder.substring(0, folder.length() - 1);
                    }
                    operations.add(json.valueToTree(new Op("delete", folder, null, null)));
                }
                default ->
                    throw new HubError(
                            400,
                            null,
                            "Line " + number + ": unsupported operation " + key
                                    + " (header, file, lfsFile, deletedFile, deletedFolder).");
            }
        }
        if (!header) {
            throw new HubError(400, null, "The commit has no header line.");
        }
        if (parent != null && !HEX.matcher(parent.toLowerCase(Locale.ROOT)).matches()) {
            throw new HubError(400, null, "parentCommit must be a commit id (7-40 hex digits), not " + parent + ".");
        }
        if (operations.isEmpty()) {
            throw new HubError(400, null, "The commit has no operations.");
        }
        String message = summary == null || summary.isBlank() ? "Upload files with huggingface_hub" : summary;
        if (description != null && !description.isBlank()) {
            message = message + "\n\n" + description;
        }
        request.put("message", message);
        if (parent != null) {
            request.put("parent", parent.toLowerCase(Locale.ROOT));
        }
        request.set("operations", operations);
        // The null fields of the records are dropped: artifact-service tells content adds from digest adds by them.
        for (JsonNode op : operations) {
            ObjectNode node = (ObjectNode) op;
            List.of("content", "sha256").forEach(field -> {
                if (node.path(field).isNull()) {
                    node.remove(field);
                }
            });
        }
        return request;
    }

    private static String path(JsonNode value, int line) {
        String path = value.path("path").asText("");
        if (path.isEmpty()) {
            throw new HubError(400, null, "Line " + line + " has no path.");
        }
        return path;
    }

    // ---- W5 tags ----

    @POST
    @Path("{ns}/{name}/tag/{revision}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Tag a revision: a published ModelMarket version naming its commit (Hub format)")
    public Uni<ObjectNode> tag(@RestPath String ns, @RestPath String name, @RestPath String revision, byte[] body) {
        String rev = slashes(revision);
        String repo = ns + "/" + name;
        return writes.authenticated().flatMap(caller -> {
            JsonNode request = parse(body);
            String tag = request.path("tag").asText("");
            String version = version(tag);
            String message = request.path("message").asText(null);
            return writes.writable(ns, name, caller)
                    .flatMap(listing -> repos.commit(ns, name, rev, caller))
                    .flatMap(commit -> {
                        String id = commit.path("id").asText();
                        ObjectNode draft =
                                json.createObjectNode().put("version", version).put("commit", id);
                        if (message != null) {
                            draft.put("releaseNotes", message);
                        }
                        return services.send(
                                        HttpMethod.POST, "catalog", listingPath(ns, name) + "/versions", draft, caller)
                                .flatMap(created -> {
                                    if ("version-exists".equals(created.problemSlug())) {
                                        throw new HubError(
                                                409, null, "Tag " + tag + " already exists in " + repo + ".");
                                    }
                                    if (!created.ok()) {
                                        throw HubWrites.error(created, repo, caller);
                                    }
                                    return services.send(
                                            HttpMethod.POST,
                                            "catalog",
                                            listingPath(ns, name) + "/versions/" + HubServices.segment(version)
                                                    + "/publish",
                                            null,
                                            caller);
                                })
                                .map(published -> {
                                    if (!published.ok()) {
                                        throw HubWrites.error(published, repo, caller);
                                    }
                                    ObjectNode answer = json.createObjectNode()
                                            .put("name", version)
                                            .put("ref", "refs/tags/" + version)
                                            .put("targetCommit", id);
                                    return answer;
                                });
                    });
        });
    }

    /** A tag as a catalog version: SemVer, a leading {@code v} dropped ({@code v1.0.0} → {@code 1.0.0}). */
    static String version(String tag) {
        String version = tag.length() > 1 && (tag.charAt(0) == 'v' || tag.charAt(0) == 'V') ? tag.substring(1) : tag;
        if (!VERSION.matcher(version).matches()) {
            throw new HubError(
                    400,
                    null,
                    "Invalid tag '" + tag + "': ModelMarket versions are semantic versions like 1.0.0 (or v1.0.0).");
        }
        return version;
    }

    ObjectNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new HubError(400, null, "The body must be a JSON object.");
            }
            return (ObjectNode) node;
        } catch (java.io.IOException e) {
            throw new HubError(400, null, "The body is not valid JSON.");
        }
    }

    static String listingPath(String ns, String name) {
        return "/api/v1/listings/" + HubServices.segment(ns) + "/" + HubServices.segment(name);
    }

    /** The Python client encodes slashes in revisions as {@code %2F}, which Quarkus REST leaves as they are. */
    static String slashes(String value) {
        return value.replace("%2F", "/").replace("%2f", "/");
    }

    /** A bad token on a Hub route answers as the Hub does (the platform's mapper would answer problem+json). */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 1)
    public jakarta.ws.rs.core.Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return HubErrorMapper.toResponse(HubError.invalidCredentials());
    }
}
