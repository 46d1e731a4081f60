package org.modelmarket.gateway.hub.write;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.modelmarket.gateway.hub.HubConfig;
import org.modelmarket.gateway.hub.HubError;
import org.modelmarket.gateway.hub.client.HubCaller;
import org.modelmarket.gateway.hub.client.HubRepos;
import org.modelmarket.gateway.hub.client.HubServices;
import org.modelmarket.platform.security.Roles;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/**
 * What every Hub write endpoint does first: an authenticated caller (401 otherwise, HF-PROTOCOL W6), the listing
 * (RepoNotFound), the caller's write right on it (403 with {@code X-Error-Message}), and the state of {@code main}.
 * The services check the right again on every write; checking here too makes preupload and the LFS batch (which
 * write nothing themselves) refuse as early as the clients expect.
 */
@ApplicationScoped
public class HubWrites {

    /** The one branch of a ModelMarket listing. */
    public static final String MAIN = "main";

    private final HubServices services;
    private final HubRepos repos;
    private final HubConfig config;

    public HubWrites(HubServices services, HubRepos repos, HubConfig config) {
        this.services = services;
        this.repos = repos;
        this.config = config;
    }

    /** The caller, who must have sent a valid token. */
    public Uni<HubCaller> authenticated() {
        return services.caller().map(caller -> {
            if (caller.anonymous()) {
                throw HubError.invalidCredentials();
            }
            return caller;
        });
    }

    /** The listing {@code ns/name} if {@code caller} may write to it: an owner (vendor among its owners) or admin. */
    public Uni<JsonNode> writable(String ns, String name, HubCaller caller) {
        return repos.listing(ns, name, caller).map(listing -> {
            if (!mayWrite(listing, caller)) {
                throw new HubError(
                        403,
                        null,
                        "You don't have the rights to write to " + ns + "/" + name
                                + ": only the vendor's members with the vendor role (and admins) may.");
            }
            return listing;
        });
    }

    static boolean mayWrite(JsonNode listing, HubCaller caller) {
        var identity = caller.identity();
        if (identity.hasRole(Roles.ADMIN)) {
            return true;
        }
        if (!identity.hasRole(Roles.VENDOR)) {
            return false;
        }
        String subject = subject(caller);
        for (JsonNode owner : listing.path("owners")) {
            if (owner.asText().equals(subject)) {
                return true;
            }
        }
        return false;
    }

    /** The caller's subject (Keycloak user id). */
    static String subject(HubCaller caller) {
        var principal = caller.identity().getPrincipal();
        if (principal instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return principal.getName();
    }

    /** The caller's user name, the namespace of a repository id given without one. */
    static String userName(HubCaller caller) {
        var principal = caller.identity().getPrincipal();
        if (principal instanceof JsonWebToken jwt && jwt.containsClaim("preferred_username")) {
            return String.valueOf(jwt.<Object>getClaim("preferred_username")).replace("\"", "");
        }
        return principal.getName();
    }

    /** The head of {@code main}, or null while the listing has no commit yet. */
    public Uni<String> head(String ns, String name, HubCaller caller) {
        return repos.commit(ns, name, MAIN, caller)
                .map(commit -> commit.path("id").asText())
                .onFailure(e -> e instanceof HubError error && HubError.REVISION_NOT_FOUND.equals(error.code()))
                .recoverWithNull();
    }

    /** Every file of {@code revision} by path (sha256 and size); empty for a listing without commits on main. */
    public Uni<Map<String, HubRepos.Entry>> files(String ns, String name, String revision, HubCaller caller) {
        return repos.tree(ns, name, revision, "", true, caller)
                .map(tree -> {
                    Map<String, HubRepos.Entry> files = new HashMap<>();
                    tree.entries().stream().filter(HubRepos.Entry::file).forEach(e -> files.put(e.path(), e));
                    return files;
                })
                .onFailure(e -> MAIN.equals(revision)
                        && e instanceof HubError error
                        && HubError.REVISION_NOT_FOUND.equals(error.code()))
                .recoverWithItem(Map.of());
    }

    /** Only {@code main} takes commits (ModelMarket has no other branches; versions are tags). */
    public static void requireMain(String revision) {
        if (!MAIN.equals(revision)) {
            throw new HubError(
                    404,
                    HubError.REVISION_NOT_FOUND,
                    "Invalid rev id: " + revision + " (ModelMarket listings have one branch, main; versions are tags)");
        }
    }

    /** Pull requests are not part of ModelMarket. */
    public static void refusePullRequest(String createPr) {
        if (createPr != null && !createPr.isEmpty() && !"0".equals(createPr) && !"false".equalsIgnoreCase(createPr)) {
            throw new HubError(400, null, "Pull requests are not supported on ModelMarket: commit to main.");
        }
    }

    /** The external base URL of the gateway (configured, else the request's). */
    public String base(UriInfo uri) {
        return config.publicUrl()
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(() -> {
                    URI base = uri.getBaseUri();
                    String text = base.toString();
                    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
                });
    }

    /** A service's error answer to a write, in the Hub's terms. */
    public static HubError error(HubServices.Reply reply, String repo, HubCaller caller) {
        String detail = reply.detail();
        return switch (reply.problemSlug()) {
            case "forbidden", "not-listing-owner" ->
                new HubError(403, null, detail.isEmpty() ? "You may not write to " + repo : detail);
            case "validation" -> new HubError(400, null, validation(reply));
            case "file-too-large", "storage-quota-exceeded" -> new HubError(413, null, detail);
            case "checksum-mismatch" -> new HubError(400, null, detail);
            case "unknown-blob" -> new HubError(400, null, detail);
            default -> HubRepos.error(reply, repo, caller);
        };
    }

    private static String validation(HubServices.Reply reply) {
        StringBuilder text = new StringBuilder(reply.detail().isEmpty() ? "Invalid request" : reply.detail());
        if (reply.body() != null) {
            for (JsonNode e : reply.body().path("errors")) {
                text.append("; ")
                        .append(e.path("field").asText())
                        .append(": ")
                        .append(e.path("message").asText());
            }
        }
        return text.toString();
    }
}
