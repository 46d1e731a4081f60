package org.modelmarket.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's own settings: how it treats each downstream service and how it serves files. */
@ConfigMapping(prefix = "modelmarket.gateway")
public interface GatewayConfig {

    /**
     * How the gateway treats each downstream service ({@code catalog}, {@code search}, {@code artifact},
     * {@code billing}); each has its own breaker and concurrency limit with these numbers, unless
     * {@link #services()} overrides some of them.
     */
    Downstream downstream();

    /** Per-service overrides, e.g. {@code modelmarket.gateway.services.search.max-concurrent=64}. */
    Map<String, Override> services();

    /** The settings of {@code service}: its overrides over the defaults. */
    default Downstream downstream(String service) {
        Override override = services().get(service);
        if (override == null) {
            return downstream();
        }
        Downstream base = downstream();
        return new Effective(
                base.connectTimeout(),
                override.responseTimeout().orElse(base.responseTimeout()),
                override.retries().orElse(base.retries()),
                base.retryDelay(),
                override.maxConcurrent().orElse(base.maxConcurrent()),
                override.maxQueued().orElse(base.maxQueued()),
                base.breaker(),
                base.retryAfterSeconds(),
                override.poolSize().orElse(base.poolSize()));
    }

    /** What one service may change. */
    interface Override {
        Optional<Duration> responseTimeout();

        Optional<Integer> retries();

        Optional<Integer> maxConcurrent();

        Optional<Integer> maxQueued();

        Optional<Integer> poolSize();
    }

    /** Defaults with a service's overrides applied. */
    record Effective(
            Duration connectTimeout,
            Duration responseTimeout,
            int retries,
            Duration retryDelay,
            int maxConcurrent,
            int maxQueued,
            Breaker breaker,
            int retryAfterSeconds,
            int poolSize)
            implements Downstream {}

    /** How downloads reach callers. */
    Files files();

    /** The merged OpenAPI document ({@code GET /api/v1/openapi}). */
    OpenApi openapi();

    interface OpenApi {

        /** How long the merged document is kept before the services' documents are fetched again; 0: every call. */
        @WithDefault("PT1M")
        Duration refresh();
    }

    /** Rate limits of the proxied routes, per caller and tier. */
    RateLimits rateLimits();

    /** The shared HTTP cache of anonymous reads on the pass-through routes (RFC 9111; see README). */
    EdgeCache edgeCache();

    /**
     * Anonymous {@code GET}s whose service marked the answer {@code Cache-Control: public, s-maxage=N} are kept for N
     * seconds (at most {@link #maxFresh()}), then revalidated with {@code If-None-Match}. Bounded in entries and bytes.
     */
    interface EdgeCache {

        @WithDefault("true")
        boolean enabled();

        /** Entries kept at most. */
        @WithDefault("10000")
        int maxEntries();

        /** Bytes of bodies (and keys) kept at most. */
        @WithDefault("33554432")
        long maxBytes();

        /** A larger body is never stored. */
        @WithDefault("262144")
        long maxEntryBytes();

        /** The longest an answer is served without asking the service, whatever its {@code s-maxage} says. */
        @WithDefault("60s")
        Duration maxFresh();

        /** How long a stale entry with an ETag is kept for a cheap revalidation ({@code 304}) before it is dropped. */
        @WithDefault("60s")
        Duration staleKept();
    }

    /**
     * Token buckets per caller: an authenticated caller is counted by its subject, an anonymous one by its client
     * IP. File resolution (downloads, trees, signed URLs) has a tier of its own, higher than API calls: one model is
     * many small files. The buckets are per gateway replica (see README).
     */
    interface RateLimits {

        @WithDefault("true")
        boolean enabled();

        /** API calls of anonymous callers, per client IP. */
        @WithDefault("300")
        int anonymousApi();

        /** API calls of an authenticated caller. */
        @WithDefault("1200")
        int authenticatedApi();

        /** File resolution of anonymous callers, per client IP. */
        @WithDefault("3000")
        int anonymousFiles();

        /** File resolution of an authenticated caller. */
        @WithDefault("12000")
        int authenticatedFiles();

        /** The window the numbers above are for; buckets refill continuously over it. */
        @WithDefault("60s")
        Duration window();

        /** Callers whose buckets are kept (least recently seen are dropped first). */
        @WithDefault("100000")
        int maxCallers();
    }

    /** How the gateway treats one downstream service: timeouts, retries, circuit breaker, concurrency limit. */
    interface Downstream {

        /** Time to open a connection; a refused or timed-out connect is "down", and is retried for every method. */
        @WithDefault("1s")
        Duration connectTimeout();

        /**
         * Time from the end of the request (its body fully sent) to the response headers. The response body then
         * flows at the caller's pace, without a timeout: a slow reader is not a slow service.
         */
        @WithDefault("10s")
        Duration responseTimeout();

        /** Retries of idempotent calls (GET, HEAD) after a connect error, a reset, a timeout or a 502/503/504. */
        @WithDefault("2")
        int retries();

        /** Pause before a retry. */
        @WithDefault("50ms")
        Duration retryDelay();

        /** Requests in flight to the service (until its response headers); more wait in the queue. */
        @WithDefault("256")
        int maxConcurrent();

        /**
         * Requests waiting for a slot; beyond that the service is saturated and the caller gets 503 with
         * {@code Retry-After}. Waiting is not a failure and never counts against the circuit breaker.
         */
        @WithDefault("1024")
        int maxQueued();

        /** The circuit breaker: it counts only connect errors, resets, timeouts and 5xx answers as failures. */
        Breaker breaker();

        /** Seconds in {@code Retry-After} when the service is down or saturated. */
        @WithDefault("5")
        int retryAfterSeconds();

        /** HTTP/1.1 connections kept to the service by this gateway replica. */
        @WithDefault("64")
        int poolSize();
    }

    /** Circuit breaker settings (a rolling window of calls, as in MicroProfile Fault Tolerance). */
    interface Breaker {

        /** Calls in the rolling window; the breaker may open only once the window is full. */
        @WithDefault("20")
        int window();

        /** Failure ratio in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** Time the breaker stays open before letting trial calls through. */
        @WithDefault("5s")
        Duration delay();

        /** Successful trial calls that close it again. */
        @WithDefault("2")
        int successThreshold();
    }

    /** Downloads of model files through the public URL. */
    interface Files {

        /**
         * {@code relay}: the gateway streams the file from artifact-service (zero-copy between Netty buffers, with
         * back-pressure); {@code redirect}: the gateway asks artifact-service for a {@code 307} to a short-lived
         * signed URL ({@code X-ModelMarket-Redirect: signed}) and the caller fetches the bytes from there.
         */
        @WithDefault("relay")
        Mode download();

        /**
         * Whether an upload ({@code PUT} of a file or a part) sent with {@code X-ModelMarket-Redirect: signed} is
         * answered {@code 307} to a signed upload URL of artifact-service instead of being relayed
         * ({@code file/UploadRedirects}); uploads without the header are always relayed.
         */
        @WithDefault("true")
        boolean uploadRedirect();

        /** The two ways a download reaches the caller. */
        enum Mode {
            RELAY,
            REDIRECT
        }
    }
}
