package org.modelmarket.gateway.hub;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.modelmarket.gateway.testing.Bytes;
import org.modelmarket.gateway.testing.DownstreamStub;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A scripted catalog and artifact-service for the Hub write tests, with state: listing {@code acme/tiny} (owned by
 * alice), its files on main, multipart uploads (parts checked against their SHA-256, completion against the file's)
 * and atomic commits with artifact-service's rules (parent check, digest adds only of completed uploads, deletes of
 * existing paths, all or nothing); catalog versions. A fake of the gateway's downstreams only: the services' own
 * tests check the services.
 */
class FakeRepository {

    static final String PREFIX = "/api/v1/listings/acme/tiny";

    /** path → content. */
    final Map<String, byte[]> files = new TreeMap<>();

    final Map<String, byte[]> blobs = new HashMap<>();
    final Map<String, JsonObject> uploads = new HashMap<>();
    final Map<String, Map<Integer, byte[]>> parts = new HashMap<>();
    final Set<String> completed = new HashSet<>();
    final Map<String, JsonObject> versions = new LinkedHashMap<>();
    final List<String> published = new ArrayList<>();
    String head;
    int commits;

    /** Puts a file on main as an earlier commit would have. */
    void seed(String path, byte[] content) {
        files.put(path, content);
        blobs.put(Bytes.sha256(content), content);
        commits++;
        head = Bytes.sha256(("commit " + commits).getBytes(StandardCharsets.UTF_8))
                .substring(0, 40);
    }

    void catalog(DownstreamStub.Recorded request, HttpServerResponse response) {
        String uri = request.uri();
        if (request.method().equals("GET") && uri.equals(PREFIX)) {
            json(
                    response,
                    200,
                    new JsonObject()
                            .put("listingId", "6f1c2a52-0000-4000-8000-000000000001")
                            .put("id", "acme/tiny")
                            .put("namespace", "acme")
                            .put("name", "tiny")
                            .put("owners", new JsonArray().add("alice")));
        } else if (request.method().equals("POST") && uri.equals("/api/v1/listings")) {
            JsonObject body = request.body().toJsonObject();
            if (body.getString("namespace").equals("acme")
                    && body.getString("name").equals("tiny")) {
                problem(response, 409, "listing-exists", "acme/tiny exists");
            } else if (body.getString("namespace").equals("other")) {
                problem(response, 403, "forbidden", "You are not a member of vendor other.");
            } else {
                json(response, 201, body.copy().put("listingId", "6f1c2a52-0000-4000-8000-000000000009"));
            }
        } else if (request.method().equals("POST") && uri.equals(PREFIX + "/versions")) {
            JsonObject body = request.body().toJsonObject();
            if (versions.containsKey(body.getString("version"))) {
                problem(response, 409, "version-exists", "exists");
            } else {
                versions.put(body.getString("version"), body);
                json(response, 201, body);
            }
        } else if (request.method().equals("POST") && uri.matches(PREFIX + "/versions/[^/]+/publish")) {
            published.add(uri.split("/")[7]);
            json(response, 200, new JsonObject());
        } else {
            problem(response, 404, "listing-not-found", "No listing");
        }
    }

    void artifact(DownstreamStub.Recorded request, HttpServerResponse response) {
        String uri = request.uri();
        if (uri.startsWith("/api/v1/listings/alice/") || uri.startsWith("/api/v1/listings/acme/fresh/")) {
            // A listing just created: known, without commits.
            problem(response, 404, "revision-not-found", "No commits yet");
            return;
        }
        if (!uri.startsWith(PREFIX + "/")) {
            problem(response, 404, "listing-not-found", "No listing");
            return;
        }
        String rest = uri.substring(PREFIX.length() + 1);
        String path = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
        String method = request.method();
        if (method.equals("GET") && path.startsWith("commits/")) {
            String revision = URLDecoder.decode(path.substring("commits/".length()), StandardCharsets.UTF_8);
            String commit = revision.equals("main") || revision.equals(head) ? head : null;
            if (commit == null) {
                problem(response, 404, "revision-not-found", "No revision " + revision);
            } else {
                json(response, 200, new JsonObject().put("id", commit));
            }
        } else if (method.equals("GET") && path.startsWith("tree/main")) {
            if (head == null) {
                problem(response, 404, "revision-not-found", "No commits yet");
                return;
            }
            JsonArray entries = new JsonArray();
            files.forEach((p, content) -> entries.add(new JsonObject()
                    .put("type", "file")
                    .put("path", p)
                    .put("size", content.length)
                    .put("sha256", Bytes.sha256(content))));
            json(response, 200, new JsonObject().put("commit", head).put("entries", entries));
        } else if (method.equals("POST") && path.equals("uploads")) {
            String id = UUID.randomUUID().toString();
            JsonObject body = request.body().toJsonObject();
            uploads.put(id, body.copy().put("id", id).put("status", "open"));
            parts.put(id, new TreeMap<>());
            json(response, 201, uploads.get(id));
        } else if (method.equals("PUT") && path.matches("uploads/[^/]+/parts/\\d+")) {
            String[] segments = path.split("/");
            byte[] bytes = request.body().getBytes();
            if (!Bytes.sha256(bytes).equals(request.header("X-Checksum-Sha256"))) {
                problem(response, 422, "checksum-mismatch", "The part's sha256 is not the declared one.");
                return;
            }
            parts.get(segments[1]).put(Integer.parseInt(segments[3]), bytes);
            json(response, 200, new JsonObject().put("number", Integer.parseInt(segments[3])));
        } else if (method.equals("POST") && path.matches("uploads/[^/]+/complete")) {
            String id = path.split("/")[1];
            JsonObject upload = uploads.get(id);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            parts.get(id).values().forEach(whole::writeBytes);
            byte[] bytes = whole.toByteArray();
            if (bytes.length != upload.getLong("size")) {
                problem(response, 409, "upload-incomplete", "Parts missing");
            } else if (!Bytes.sha256(bytes).equals(upload.getString("sha256"))) {
                problem(response, 422, "checksum-mismatch", "The file's sha256 is not the declared one.");
            } else {
                upload.put("status", "completed");
                completed.add(upload.getString("sha256"));
                blobs.put(upload.getString("sha256"), bytes);
                json(response, 201, new JsonObject().put("upload", upload));
            }
        } else if (method.equals("GET") && path.startsWith("uploads/")) {
            json(response, 200, uploads.get(path.substring("uploads/".length())));
        } else if (method.equals("POST") && path.equals("commits")) {
            commit(request.body().toJsonObject(), response);
        } else {
            problem(response, 404, "not-found", "no route " + method + " " + path);
        }
    }

    private void commit(JsonObject body, HttpServerResponse response) {
        if (body.getString("parent") != null && !body.getString("parent").equals(head)) {
            problem(response, 409, "parent-mismatch", "main moved");
            return;
        }
        Map<String, byte[]> next = new TreeMap<>(files);
        for (Object o : body.getJsonArray("operations")) {
            JsonObject op = (JsonObject) o;
            String path = op.getString("path");
            if (op.getString("op").equals("add") && op.containsKey("content")) {
                next.put(path, Base64.getDecoder().decode(op.getString("content")));
            } else if (op.getString("op").equals("add")) {
                byte[] blob = blobs.get(op.getString("sha256"));
                boolean held =
                        files.values().stream().anyMatch(c -> Bytes.sha256(c).equals(op.getString("sha256")));
                if (blob == null || (!held && !completed.contains(op.getString("sha256")))) {
                    problem(
                            response,
                            422,
                            "unknown-blob",
                            "Listing acme/tiny holds no content with sha256 " + op.getString("sha256") + ".");
                    return;
                }
                next.put(path, blob);
            } else {
                boolean found = next.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
                if (!found) {
                    problem(response, 404, "file-not-found", "Listing acme/tiny has no file or folder " + path + ".");
                    return;
                }
            }
        }
        files.clear();
        files.putAll(next);
        commits++;
        head = Bytes.sha256(("commit " + commits).getBytes(StandardCharsets.UTF_8))
                .substring(0, 40);
        json(response, 201, new JsonObject().put("id", head).put("message", body.getString("message")));
    }

    static void json(HttpServerResponse response, int status, JsonObject body) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    static void problem(HttpServerResponse response, int status, String slug, String detail) {
        HubReadApiTest.problem(response, status, slug, detail);
    }
}
