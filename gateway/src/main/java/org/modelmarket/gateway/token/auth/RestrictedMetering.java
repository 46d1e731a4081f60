package org.modelmarket.gateway.token.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.route.proxy.EdgeProblems;
import org.modelmarket.gateway.token.ApiToken;
import org.modelmarket.gateway.token.Scope;
import org.modelmarket.gateway.token.TokenConfig;
import org.modelmarket.platform.problem.Problem;
import org.modelmarket.platform.problem.StandardProblem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The restriction check of a usage report made with a restricted API token: billing's {@code POST
 * /api/v1/metering/batch-meter-usage} names its listing in the body ({@code {"listing": "ns/name", "usageRecords":
 * [...]}}, one listing per batch, at most 25 records), not in the path, so the edge reads that body (Vert.x's {@link
 * BodyHandler}, bounded by {@code modelmarket.gateway.tokens.metering-body-limit}: 413 beyond it), checks its
 * listing like a path's ({@link ScopeRules#check}) and hands the very bytes it read on to the proxy ({@link #body}).
 * Only this route and only restricted tokens with the {@code meter} scope pay for it ({@link ScopeGuard} marks the
 * request); every other request streams through unread as before.
 *
 * <p>A body whose listing cannot be established is answered here with billing's own 400 (same type and wording),
 * rather than passed on unchecked: a parser laxer than this one downstream must not see a listing this one did not.
 */
@ApplicationScoped
public class RestrictedMetering {

    /** The one metering write billing has (every other path under {@code /api/v1/metering} is its 404). */
    static final String PATH = "/api/v1/metering/batch-meter-usage";

    private static final String TOKEN = "modelmarket.restricted-metering.token";
    private static final String BODY = "modelmarket.restricted-metering.body";

    private final ObjectMapper json;
    /**
     * Duplicate keys and trailing content are refused: {@code {"listing":"mine/a","listing":"other/b"}} or a second
     * document after the first must not pass as either.
     */
    private final ObjectReader reader;

    private final BodyHandler bodies;
    private final long limit;

    RestrictedMetering(ObjectMapper json, TokenConfig config) {
        this.json = json;
        this.reader = json.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.limit = config.meteringBodyLimit();
        this.bodies = BodyHandler.create(false).setBodyLimit(limit);
    }

    /**
     * Whether the request's restriction is checked against its body: a restricted token that may meter, reporting
     * usage ({@link ScopeRules} found no listing in the path).
     */
    static boolean checksBody(String method, String path, ApiToken token) {
        return "POST".equals(method) && PATH.equals(path) && token.restricted() && token.grants(Scope.METER);
    }

    /** Hands {@code routing} to the body check (after {@link ScopeGuard}, which calls it when {@link #checksBody}). */
    void defer(RoutingContext routing, ApiToken token) {
        routing.put(TOKEN, token);
        routing.next();
    }

    /**
     * The body the edge read and checked, to be sent on as it is; null when it was not read (everything but a
     * restricted token's usage report), and the request's own stream is sent.
     */
    public static Buffer body(RoutingContext routing) {
        return routing.get(BODY);
    }

    /** Registers the read and the check, on the metering route only, right after {@link ScopeGuard}'s route. */
    void register(Router router, int order) {
        router.post(PATH)
                .order(order)
                .handler(routing -> {
                    if (routing.get(TOKEN) == null) {
                        routing.next();
                    } else {
                        bodies.handle(routing);
                    }
                })
                .handler(this::check)
                .failureHandler(this::tooLarge);
    }

    private void check(RoutingContext routing) {
        ApiToken token = routing.get(TOKEN);
        if (token == null) {
            routing.next();
            return;
        }
        Buffer body = routing.body().buffer();
        JsonNode listing;
        try {
            JsonNode tree = body == null ? null : reader.readTree(body.getBytes());
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object");
            }
            listing = tree.get("listing");
        } catch (IOException e) {
            problem(routing, StandardProblem.VALIDATION, "The request body is not valid JSON", null);
            return;
        }
        String value = listing == null || !listing.isTextual() ? null : listing.textValue();
        int slash = value == null ? -1 : value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) != -1) {
            // billing's words for the same body (its bean validation of BatchMeterUsageRequest.listing)
            String message = listing == null || listing.isNull() ? "must not be null" : "must be namespace/name";
            problem(
                    routing,
                    StandardProblem.VALIDATION,
                    "The request has invalid fields",
                    List.of(new Problem.FieldError("listing", message)));
            return;
        }
        var requirement = new ScopeRules.Requirement(
                Optional.of(Scope.METER),
                Optional.of(value.substring(0, slash)),
                Optional.of(value.substring(slash + 1)),
                "usage reports");
        Optional<ScopeRules.Refusal> refusal = ScopeRules.check(token, requirement);
        if (refusal.isPresent()) {
            problem(
                    routing,
                    StandardProblem.FORBIDDEN,
                    refusal.get().detail() + " (the usage report's \"listing\")",
                    null);
            return;
        }
        routing.put(BODY, body);
        routing.next();
    }

    /** The body handler fails the request with 413 when the body is over the limit (declared or as it comes). */
    private void tooLarge(RoutingContext routing) {
        if (routing.get(TOKEN) == null || routing.statusCode() != 413) {
            routing.next();
            return;
        }
        problem(
                routing,
                StandardProblem.PAYLOAD_TOO_LARGE,
                "A restricted API token's usage report is read by the gateway to check its listing, up to " + limit
                        + " bytes; send fewer records per call, or use a token without a listing restriction.",
                null);
    }

    private void problem(RoutingContext routing, StandardProblem type, String detail, List<Problem.FieldError> errors) {
        if (routing.response().headWritten()) {
            return;
        }
        EdgeProblems.Rendered rendered =
                EdgeProblems.render(json, type, detail, routing.request().path(), errors);
        // Whatever is left of the body is read and dropped, so that the connection stays usable.
        routing.request().resume();
        routing.response().setStatusCode(rendered.status());
        rendered.headers().forEach(routing.response()::putHeader);
        routing.response().end(rendered.body());
    }
}
