package org.modelmarket.gateway.token.auth;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.modelmarket.gateway.route.Route;
import org.modelmarket.gateway.route.RouteTable;
import org.modelmarket.gateway.token.ApiToken;
import org.modelmarket.gateway.token.Scope;

/**
 * Which scope a request needs, and which listing or namespace it names, for every surface of the gateway: the
 * pass-through table, the gateway's own resources, the Hub API and gRPC. The rule (README "API tokens"):
 * file bytes need {@code download}; metering writes {@code meter}; admin actions {@code admin}; any other write
 * {@code publish}; anything else {@code read}, which every token has.
 */
public final class ScopeRules {

    /** What a request needs: a scope (empty: no API token may do it) and the listing or namespace it names. */
    public record Requirement(Optional<Scope> scope, Optional<String> namespace, Optional<String> name, String what) {

        boolean targeted() {
            return namespace.isPresent();
        }
    }

    /** A refusal, with the message the caller sees. */
    public record Refusal(String detail) {}

    private static final Pattern HUB_FILE = Pattern.compile("^/([^/]+)/([^/]+)/(?:resolve|raw)/.+$");
    private static final Pattern HUB_MODEL = Pattern.compile("^/api/models/([^/]+)/([^/]+)(/.*)?$");
    private static final Pattern HUB_GIT = Pattern.compile("^/([^/]+)/([^/]+)\\.git/.*$");
    /** The gateway's own model page (page/rest/ModelPageResource): it names its listing like the table routes. */
    private static final Pattern MODEL_PAGE = Pattern.compile("^/api/v1/listings/([^/]+)/([^/]+)/page$");

    private static final String GRPC = "/marketplace.v1.Marketplace/";

    private ScopeRules() {}

    /** The requirement of {@code method} on {@code rawPath} (as received, percent-encoded). */
    public static Requirement required(String method, String rawPath) {
        boolean read = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        if (rawPath.equals("/api/v1/tokens") || rawPath.startsWith("/api/v1/tokens/")) {
            return new Requirement(Optional.empty(), Optional.empty(), Optional.empty(), "managing API tokens");
        }
        if (rawPath.startsWith(GRPC)) {
            return grpc(rawPath.substring(GRPC.length()));
        }
        if (RouteTable.lookup(method, rawPath) instanceof RouteTable.Lookup.Found found) {
            return table(found.route(), rawPath);
        }
        Matcher file = HUB_FILE.matcher(rawPath);
        if (read && file.matches() && !rawPath.startsWith("/api/")) {
            return new Requirement(
                    Optional.of(Scope.DOWNLOAD),
                    Optional.of(file.group(1)),
                    Optional.of(file.group(2)),
                    "file downloads");
        }
        Matcher model = HUB_MODEL.matcher(rawPath);
        Matcher git = HUB_GIT.matcher(rawPath);
        Matcher page = MODEL_PAGE.matcher(rawPath);
        Optional<String> namespace = Optional.empty();
        Optional<String> name = Optional.empty();
        if (page.matches()) {
            namespace = Optional.of(page.group(1));
            name = Optional.of(page.group(2));
        } else if (model.matches()) {
            namespace = Optional.of(model.group(1));
            name = Optional.of(model.group(2));
            // paths-info is a read sent as POST (HF-PROTOCOL §1.4).
            if (model.group(3) != null && model.group(3).startsWith("/paths-info/")) {
                read = true;
            }
        } else if (git.matches()) {
            namespace = Optional.of(git.group(1));
            name = Optional.of(git.group(2));
        }
        return read
                ? new Requirement(Optional.of(Scope.READ), namespace, name, "reads")
                : new Requirement(Optional.of(Scope.PUBLISH), namespace, name, "writes");
    }

    private static Requirement table(Route route, String rawPath) {
        Map<String, String> variables = RouteTable.variables(route, rawPath);
        Optional<String> namespace = Optional.ofNullable(variables.get("namespace"));
        Optional<String> name = Optional.ofNullable(variables.get("name"));
        String template = route.template();
        boolean read = "GET".equals(route.method());
        Scope scope;
        String what;
        if (read && (template.endsWith("/files/{path}") || template.startsWith("/api/v1/signed/"))) {
            scope = Scope.DOWNLOAD;
            what = "file downloads";
        } else if (!read && template.startsWith("/api/v1/metering")) {
            scope = Scope.METER;
            what = "usage reports";
        } else if (template.startsWith("/api/v1/search/admin")
                || template.endsWith("/approve")
                || template.endsWith("/reject")
                || template.endsWith("/verification")) {
            scope = Scope.ADMIN;
            what = "admin actions";
        } else if (read) {
            scope = Scope.READ;
            what = "reads";
        } else {
            scope = Scope.PUBLISH;
            what = "writes";
        }
        return new Requirement(Optional.of(scope), namespace, name, what);
    }

    private static Requirement grpc(String rpc) {
        Scope scope;
        String what;
        if (rpc.equals("DownloadFile")) {
            scope = Scope.DOWNLOAD;
            what = "file downloads";
        } else if (rpc.contains("Meter")) {
            scope = Scope.METER;
            what = "usage reports";
        } else if (rpc.startsWith("Create")
                || rpc.startsWith("Update")
                || rpc.startsWith("Delete")
                || rpc.startsWith("Publish")
                || rpc.startsWith("Upload")
                || rpc.startsWith("Subscribe")) {
            scope = Scope.PUBLISH;
            what = "writes";
        } else {
            scope = Scope.READ;
            what = "reads";
        }
        // gRPC names its listing in the message, which the edge does not read.
        return new Requirement(Optional.of(scope), Optional.empty(), Optional.empty(), what);
    }

    /** Why {@code token} may not do what {@code requirement} describes; empty if it may. */
    public static Optional<Refusal> check(ApiToken token, Requirement requirement) {
        if (requirement.scope().isEmpty()) {
            return Optional.of(new Refusal("An API token cannot be used for " + requirement.what()
                    + "; sign in (a Keycloak token) to do that."));
        }
        Scope scope = requirement.scope().get();
        // read is what every token may do: the other scopes add to it (admin also grants publish).
        if (!token.grants(scope)) {
            return Optional.of(new Refusal("This API token lacks the '" + scope.wire() + "' scope, which "
                    + requirement.what() + " need (it has: "
                    + String.join(", ", token.scopes().stream().map(Scope::wire).toList()) + ")."));
        }
        if (!token.restricted()) {
            return Optional.empty();
        }
        String restriction = token.listings().isEmpty()
                ? "namespace " + token.namespace().orElseThrow()
                : "listings " + String.join(", ", token.listings());
        if (requirement.targeted()) {
            return token.admits(requirement.namespace().get(), requirement.name())
                    ? Optional.empty()
                    : Optional.of(new Refusal("This API token is restricted to " + restriction + "; "
                            + requirement.namespace().get()
                            + requirement.name().map(n -> "/" + n).orElse("")
                            + " is outside it."));
        }
        return scope == Scope.READ
                ? Optional.empty()
                : Optional.of(new Refusal("This API token is restricted to " + restriction + ", and this request names"
                        + " no listing it could be checked against; use an unrestricted token."));
    }
}
