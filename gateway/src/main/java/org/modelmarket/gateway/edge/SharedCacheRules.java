package org.modelmarket.gateway.edge;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a service's answer must say before the gateway keeps it for other anonymous callers, in one place for both of
 * the gateway's shared caches: the REST edge cache (stored bytes) and the gRPC public reads (stored messages). Both
 * must agree, or a listing a service marked private could be served over one protocol and not the other.
 */
public final class SharedCacheRules {

    /** {@code Vary} names that cannot change what an anonymous caller receives from the gateway. */
    private static final Set<String> HARMLESS_VARY = Set.of("authorization", "cookie", "accept-encoding", "origin");

    private SharedCacheRules() {}

    /**
     * How long a shared cache may keep an answer with these {@code Cache-Control} values fresh, in milliseconds capped
     * by {@code maxFreshMillis}, or {@code -1} when it may not be stored: it needs {@code public} with {@code s-maxage}
     * (which wins) or {@code max-age} above 0, and neither {@code private}, {@code no-store} nor {@code no-cache}.
     */
    public static long freshMillis(Iterable<String> cacheControl, long maxFreshMillis) {
        boolean isPublic = false;
        long maxAge = -1;
        long sharedMaxAge = -1;
        for (String value : cacheControl) {
            for (String part : value.split(",")) {
                String directive = part.trim().toLowerCase(Locale.ROOT);
                if (directive.equals("public")) {
                    isPublic = true;
                } else if (directive.startsWith("private")
                        || directive.startsWith("no-store")
                        || directive.startsWith("no-cache")) {
                    return -1;
                } else if (directive.startsWith("s-maxage=")) {
                    sharedMaxAge = seconds(directive.substring("s-maxage=".length()));
                } else if (directive.startsWith("max-age=")) {
                    maxAge = seconds(directive.substring("max-age=".length()));
                }
            }
        }
        long seconds = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
        return isPublic && seconds > 0 ? Math.min(TimeUnit.SECONDS.toMillis(seconds), maxFreshMillis) : -1;
    }

    /** Whether every name in these {@code Vary} values is one an anonymous caller's answer cannot depend on. */
    public static boolean harmlessVary(Iterable<String> vary) {
        for (String value : vary) {
            for (String name : value.split(",")) {
                String lower = name.trim().toLowerCase(Locale.ROOT);
                if (!lower.isEmpty() && !HARMLESS_VARY.contains(lower)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.replace("\"", "").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
