package org.modelmarket.gateway.hub.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.hub.HubError;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * A repository as the Hub API reads it: the listing from catalog-service, a revision resolved to its commit and the
 * commit's tree from artifact-service. Every failure leaves as a {@link HubError} with the Hub's error code.
 */
@ApplicationScoped
public class HubRepos {

    /** One file or directory of a commit's tree, as artifact-service lists it. */
    public record Entry(String type, String path, long size, String sha256, JsonNode lastCommit) {

        public boolean file() {
            return "file".equals(type);
        }
    }

    /** A resolved revision: its commit id and (when listed) the entries. */
    public record Tree(String commit, List<Entry> entries) {}

    private final HubServices services;

    public HubRepos(HubServices services) {
        this.services = services;
    }

    /** The listing {@code ns/name}, or RepoNotFound. */
    public Uni<JsonNode> listing(String ns, String name, HubCaller caller) {
        return services.get("catalog", "/api/v1/listings/" + seg(ns) + "/" + seg(name), caller)
                .map(reply -> {
                    if (reply.ok() && reply.body() != null) {
                        return reply.body();
                    }
                    throw error(reply, ns + "/" + name, caller);
                });
    }

    /** The commit a revision (main, HEAD, version name, commit id) resolves to, or the Hub's error. */
    public Uni<JsonNode> commit(String ns, String name, String revision, HubCaller caller) {
        return services.get("artifact", listingPath(ns, name) + "/commits/" + seg(revision(revision)), caller)
                .map(reply -> {
                    if (reply.ok() && reply.body() != null) {
                        return reply.body();
                    }
                    throw error(reply, ns + "/" + name, caller);
                });
    }

    /** The tree of {@code revision} at {@code folder} ("" for the root), or the Hub's error. */
    public Uni<Tree> tree(String ns, String name, String revision, String folder, boolean recursive, HubCaller caller) {
        String path = listingPath(ns, name) + "/tree/" + seg(revision(revision))
                + (folder.isEmpty() ? "" : "/" + HubServices.path(folder)) + "?recursive=" + recursive;
        return services.get("artifact", path, caller).flatMap(reply -> {
            if (reply.ok() && reply.body() != null) {
                Tree tree = tree(reply.body());
                if (!folder.isEmpty() && tree.entries().isEmpty()) {
                    throw entryNotFound(ns + "/" + name, folder, tree.commit());
                }
                return Uni.createFrom().item(tree);
            }
            HubError failure = error(reply, ns + "/" + name, caller);
            if (HubError.ENTRY_NOT_FOUND.equals(failure.code())) {
                // The clients cache a missing entry under the commit: name it.
                return commit(ns, name, revision, caller).map(commit -> {
                    throw entryNotFound(
                            ns + "/" + name, folder, commit.path("id").asText());
                });
            }
            throw failure;
        });
    }

    /**
     * A Hub revision as artifact-service names it. {@code create_tag("v1.0.0")} makes the catalog version
     * {@code 1.0.0} (catalog versions are SemVer, without the {@code v}), and clients then ask for the tag they made
     * ({@code snapshot_download(revision="v1.0.0")}): a {@code v} before a digit is dropped. Nothing else can start
     * that way: the only branch is {@code main}, and commit ids are hex.
     */
    public static String revision(String revision) {
        return revision.length() > 1
                        && (revision.charAt(0) == 'v' || revision.charAt(0) == 'V')
                        && Character.isDigit(revision.charAt(1))
                ? revision.substring(1)
                : revision;
    }

    /** A missing file or folder at a known commit. */
    public static HubError entryNotFound(String repo, String path, String commit) {
        return new HubError(
                404,
                HubError.ENTRY_NOT_FOUND,
                "Entry Not Found: " + repo + " has no " + path + " at " + commit + ".",
                commit == null ? Map.of() : Map.of("X-Repo-Commit", commit));
    }

    /**
     * Turns a service's error answer into the Hub's: a missing or hidden listing is RepoNotFound, an unknown revision
     * RevisionNotFound, a missing file EntryNotFound, a refused download (log in, accept terms, subscribe) GatedRepo.
     */
    public static HubError error(HubServices.Reply reply, String repo, HubCaller caller) {
        String slug = reply.problemSlug();
        String detail = reply.detail();
        int status = reply.status();
        if (status == 401 && !caller.anonymous()) {
            return HubError.invalidCredentials();
        }
        return switch (slug) {
            case "listing-not-found" -> HubError.repoNotFound(repo, caller.anonymous());
            case "revision-not-found" ->
                new HubError(404, HubError.REVISION_NOT_FOUND, detail.isEmpty() ? "Invalid rev id" : detail);
            case "file-not-found" -> new HubError(404, HubError.ENTRY_NOT_FOUND, detail);
            case "login-required", "terms-not-accepted", "subscription-required" ->
                new HubError(caller.anonymous() ? 401 : 403, HubError.GATED_REPO, gatedMessage(repo, slug, detail));
            default -> {
                if (status == 404) {
                    yield HubError.repoNotFound(repo, caller.anonymous());
                }
                if (status >= 500 || status < 400) {
                    yield new HubError(502, null, "A ModelMarket service failed (" + status + "); try again later.");
                }
                yield new HubError(status, null, detail.isEmpty() ? "Request failed with " + status : detail);
            }
        };
    }

    /**
     * A service's answer to a {@code HEAD} (no problem body) as the problem it stands for: the status says which
     * refusal it is, and artifact-service's {@code Link} header names where to accept the terms or subscribe.
     */
    public static HubServices.Reply headReply(int status, String link, String repo) {
        String slug = switch (status) {
            case 401 -> "login-required";
            case 402 -> "subscription-required";
            case 403 -> "terms-not-accepted";
            case 404 -> "file-not-found";
            default -> "";
        };
        // Without a link (an anonymous caller) the status alone says what to do first.
        String detail = status == 401
                ? repo + " is gated or paid: send the bearer token of a user who accepted its terms or subscribed"
                        + " (HF_TOKEN, accessToken)."
                : "";
        if (link != null && link.contains("<") && link.indexOf('>') > link.indexOf('<')) {
            String url = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            detail = link.contains("subscribe")
                    ? repo + " needs a subscription: subscribe at " + url + "."
                    : repo + " is gated: accept its terms with POST " + url + ".";
        }
        com.fasterxml.jackson.databind.node.ObjectNode problem =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (!slug.isEmpty()) {
            problem.put("type", "https://modelmarket.org/problems/" + slug);
        }
        problem.put("detail", detail);
        return new HubServices.Reply(status, io.vertx.mutiny.core.MultiMap.caseInsensitiveMultiMap(), problem);
    }

    private static String gatedMessage(String repo, String slug, String detail) {
        // artifact-service names the subscription API itself; one that names only a web page (before 2026-12) gets
        // the API added, since Hub users script. Saying it twice would only bury the message.
        String api = "subscription-required".equals(slug) && !detail.contains("/api/v1/subscriptions")
                ? " Through the API: GET /api/v1/listings/" + repo + "/pricing lists the plans, POST "
                        + "/api/v1/subscriptions {\"listing\": \"" + repo + "\", \"plan\": ..., \"termsVersion\": ...}"
                        + " subscribes."
                : "";
        return "Access to model " + repo + " is restricted. " + detail + api;
    }

    private static Tree tree(JsonNode body) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : body.path("entries")) {
            entries.add(new Entry(
                    e.path("type").asText(),
                    e.path("path").asText(),
                    e.path("size").asLong(),
                    e.hasNonNull("sha256") ? e.get("sha256").asText() : null,
                    e.hasNonNull("lastCommit") ? e.get("lastCommit") : null));
        }
        return new Tree(body.path("commit").asText(null), entries);
    }

    static String listingPath(String ns, String name) {
        return "/api/v1/listings/" + seg(ns) + "/" + seg(name);
    }

    private static String seg(String value) {
        return HubServices.segment(value);
    }
}
