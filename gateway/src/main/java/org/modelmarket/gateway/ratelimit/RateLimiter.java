package org.modelmarket.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.gateway.config.GatewayConfig;
import org.modelmarket.gateway.route.Route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerResponse;

/**
 * Token buckets per caller and tier (Bucket4j), kept in a bounded cache: a caller's bucket for API calls and one for
 * file resolution, shared by every API of the gateway (the pass-through routes, its own REST resources, the Hugging
 * Face compatible API and gRPC), so one caller's quota is the same whichever it uses. The one place that decides: the
 * tier of a call, who the caller is, whether the call may go on, and what the {@code RateLimit} and
 * {@code RateLimit-Policy} headers (IETF draft "RateLimit header fields for HTTP") say.
 */
@ApplicationScoped
public class RateLimiter {

    /** The two tiers. */
    public enum Tier {
        API("api"),
        FILES("files");

        final String policy;

        Tier(String policy) {
            this.policy = policy;
        }
    }

    /** What one call was told. */
    public record Decision(boolean allowed, String policy, String state, long retryAfterSeconds) {

        /** What a refused caller is told (printable ASCII: it also goes into headers and gRPC trailers). */
        public String detail() {
            return "Too many requests: at most the quota in RateLimit-Policy per window; retry after "
                    + retryAfterSeconds + " s.";
        }
    }

    /** Hub file resolution: {@code /{ns}/{name}/resolve|raw/...} (GET, HEAD). */
    private static final Pattern HUB_RESOLVE = Pattern.compile("^/[^/]+/[^/]+/(resolve|raw)/[^/]+/.+$");

    /** Hub file listings: {@code /api/models/{ns}/{name}/tree/...} (GET) and {@code .../paths-info/...} (POST). */
    private static final Pattern HUB_LISTING = Pattern.compile("^/api/models/[^/]+/[^/]+/(tree|paths-info)/.+$");

    /** gRPC downloads (server streams of a file's bytes). */
    private static final Pattern GRPC_DOWNLOAD =
            Pattern.compile("^/marketplace\\.v1\\.(Artifacts/Download|Marketplace/DownloadFile)$");

    private final GatewayConfig.RateLimits config;
    private final Cache<String, Bucket> buckets;

    /** The {@code RateLimit-Policy} value per tier and caller kind (authenticated, anonymous): built once. */
    private final String[][] policies = new String[Tier.values().length][2];

    RateLimiter(GatewayConfig gateway) {
        this.config = gateway.rateLimits();
        long windowSeconds = config.window().toSeconds();
        for (Tier tier : Tier.values()) {
            for (boolean anonymous : new boolean[] {false, true}) {
                policies[tier.ordinal()][anonymous ? 1 : 0] =
                        "\"" + tier.policy + "\";q=" + quota(tier, anonymous) + ";w=" + windowSeconds;
            }
        }
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxCallers())
                // A bucket untouched for a window is full again: dropping it changes nothing.
                .expireAfterAccess(config.window().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** A pass-through route's tier. File resolution: downloads and their HEAD, trees, paths-info, signed URLs. */
    public static Tier tierOf(Route route) {
        String template = route.template();
        boolean files = "GET".equals(route.method())
                && (template.endsWith("/files/{path}")
                        || template.contains("/tree/")
                        || template.contains("/paths-info/")
                        || template.startsWith("/api/v1/signed/"));
        return files ? Tier.FILES : Tier.API;
    }

    /**
     * The tier of a call to the gateway's own routes and gRPC (not the pass-through table, see {@link
     * #tierOf(Route)}): the Hub's {@code resolve}/{@code raw}, its tree and paths-info listings and the gRPC
     * downloads are file resolution; the rest (the Hub's model info, whoami, commits, the model page, tokens, every
     * other RPC) is the API tier.
     */
    public static Tier tierOf(String method, String path) {
        boolean files = switch (method) {
            case "GET", "HEAD" ->
                hubResolve(path)
                        || (path.startsWith("/api/models/")
                                && HUB_LISTING.matcher(path).matches());
            case "POST" ->
                (path.startsWith("/api/models/") && HUB_LISTING.matcher(path).matches())
                        || GRPC_DOWNLOAD.matcher(path).matches();
            default -> false;
        };
        return files ? Tier.FILES : Tier.API;
    }

    /** A Hub {@code resolve} or {@code raw} path. */
    static boolean hubResolve(String path) {
        return HUB_RESOLVE.matcher(path).matches();
    }

    private int quota(Tier tier, boolean anonymous) {
        return switch (tier) {
            case API -> anonymous ? config.anonymousApi() : config.authenticatedApi();
            case FILES -> anonymous ? config.anonymousFiles() : config.authenticatedFiles();
        };
    }

    /**
     * Takes one token in {@code tier} from the bucket of the caller: an authenticated {@code identity} by its subject
     * (a Keycloak token's and an API token of the same user's alike), else the client address {@code clientIp}.
     */
    public Decision take(Tier tier, SecurityIdentity identity, String clientIp) {
        boolean anonymous = identity == null || identity.isAnonymous();
        return take(
                tier,
                anonymous ? "ip:" + clientIp : "sub:" + identity.getPrincipal().getName(),
                anonymous);
    }

    /** Takes one token from the bucket of {@code caller} (a subject, or {@code ip:<address>}) in {@code tier}. */
    Decision take(Tier tier, String caller, boolean anonymous) {
        int quota = quota(tier, anonymous);
        Duration window = config.window();
        Bucket bucket = buckets.get(
                tier.policy + "|" + caller,
                key -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(quota)
                                .refillGreedy(quota, window)
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long windowSeconds = window.toSeconds();
        String policy = policies[tier.ordinal()][anonymous ? 1 : 0];
        if (probe.isConsumed()) {
            // Time until the bucket is full again, an upper bound of when the quota resets.
            long missing = quota - probe.getRemainingTokens();
            long reset = (long) Math.ceil((double) missing * windowSeconds / quota);
            return new Decision(
                    true, policy, "\"" + tier.policy + "\";r=" + probe.getRemainingTokens() + ";t=" + reset, 0);
        }
        long wait = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(false, policy, "\"" + tier.policy + "\";r=0;t=" + wait, wait);
    }

    /** Puts {@code RateLimit-Policy} and {@code RateLimit} (and {@code Retry-After} on a refusal) on a response. */
    public static void announce(HttpServerResponse response, Decision decision) {
        response.putHeader("RateLimit-Policy", decision.policy());
        response.putHeader("RateLimit", decision.state());
        if (!decision.allowed()) {
            response.putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        }
    }
}
