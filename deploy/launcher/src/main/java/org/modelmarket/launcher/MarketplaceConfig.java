package org.modelmarket.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.modelmarket.stack.StackConfig;

/**
 * Where and how the whole marketplace runs: the engines' stack settings, each service's HTTP port and whether
 * demo data is loaded.
 *
 * @param stack        the engines
 * @param servicePorts HTTP port per service (0 = a free one)
 * @param loadDemoData load the demo listings and files after start (skipped for listings that already exist)
 * @param serviceHeapMb heap of each service JVM
 * @param serviceProperties extra configuration per service (system properties on its command line), e.g. a test's
 *                          smaller limits
 * @param warmUp       how long to send warm-up reads to catalog-service and search-service before the run reports
 *                     ready ({@link Warmup}); zero for none
 * @param aotCache     on a JDK 25+, start catalog-service and search-service with an AOT cache of their own
 *                     ({@link AotCache}), trained by this launcher on the first run after a build
 */
public record MarketplaceConfig(
        StackConfig stack,
        Map<ServiceApp, Integer> servicePorts,
        boolean loadDemoData,
        int serviceHeapMb,
        Map<ServiceApp, Map<String, String>> serviceProperties,
        Duration warmUp,
        boolean aotCache) {

    /**
     * The local run's default warm-up: none. 20 s of reads before "ready" did not show a gentler first minute in the
     * one (loaded) measurement there was time for (search-service/README.md); {@code --warm-up SECONDS} turns it on.
     */
    public static final Duration LOCAL_WARM_UP = Duration.ZERO;

    /**
     * Whether the local run keeps AOT caches for the read-path services: off until a quiet measurement shows that they
     * help (deploy/README.md, "Cold start"); {@code --aot-cache} turns it on.
     */
    public static final boolean LOCAL_AOT_CACHE = false;

    public MarketplaceConfig {
        serviceProperties = Map.copyOf(serviceProperties);
    }

    /** A run with no extra service configuration and no warm-up. */
    public MarketplaceConfig(
            StackConfig stack, Map<ServiceApp, Integer> servicePorts, boolean loadDemoData, int serviceHeapMb) {
        this(stack, servicePorts, loadDemoData, serviceHeapMb, Map.of(), Duration.ZERO, false);
    }

    /** The same run with {@code properties} added to {@code app}'s configuration. */
    public MarketplaceConfig withServiceProperties(ServiceApp app, Map<String, String> properties) {
        Map<ServiceApp, Map<String, String>> all = new EnumMap<>(ServiceApp.class);
        all.putAll(serviceProperties);
        Map<String, String> merged = new java.util.LinkedHashMap<>(all.getOrDefault(app, Map.of()));
        merged.putAll(properties);
        all.put(app, merged);
        return new MarketplaceConfig(stack, servicePorts, loadDemoData, serviceHeapMb, all, warmUp, aotCache);
    }

    /** The documented local run: gateway on 8080, services on 8081-8084, engines on their fixed ports, data kept in {@code dataDir}. */
    public static MarketplaceConfig local(Path dataDir) {
        Map<ServiceApp, Integer> ports = new EnumMap<>(ServiceApp.class);
        ports.put(ServiceApp.GATEWAY, 8080);
        ports.put(ServiceApp.CATALOG, 8081);
        ports.put(ServiceApp.SEARCH, 8082);
        ports.put(ServiceApp.ARTIFACT, 8083);
        ports.put(ServiceApp.BILLING, 8084);
        return new MarketplaceConfig(
                StackConfig.local(dataDir), ports, true, 384, Map.of(), LOCAL_WARM_UP, LOCAL_AOT_CACHE);
    }

    /** The same run with every port (engines and services) picked free when it starts, e.g. beside another run. */
    public MarketplaceConfig withFreePorts() {
        Map<ServiceApp, Integer> free = new EnumMap<>(ServiceApp.class);
        for (ServiceApp app : ServiceApp.values()) {
            free.put(app, 0);
        }
        StackConfig engines = new StackConfig(
                stack.engines(),
                stack.dataDir(),
                stack.keepData(),
                stack.cacheDir(),
                stack.databases(),
                0,
                0,
                0,
                0,
                stack.heapMb());
        return new MarketplaceConfig(engines, free, loadDemoData, serviceHeapMb, serviceProperties, warmUp, aotCache);
    }

    /**
     * Everything on free ports with throwaway data, for end-to-end tests (no warm-up and no AOT cache: tests measure
     * nothing, and a throwaway data folder would train a cache for every test run).
     * billing-service may price one-minute plans and runs its scheduler every second, so that a test sees a
     * subscription period end on the real stack (issue 9: after cancellation and period end the download is refused)
     * in about a minute, with every clock real.
     */
    public static MarketplaceConfig forTests(Path dataDir, boolean loadDemoData) {
        Map<ServiceApp, Integer> ports = new EnumMap<>(ServiceApp.class);
        for (ServiceApp app : ServiceApp.values()) {
            ports.put(app, 0);
        }
        StackConfig stack = StackConfig.forTests(
                java.util.EnumSet.allOf(StackConfig.EngineKind.class), dataDir, StackConfig.SERVICE_DATABASES);
        Map<ServiceApp, Map<String, String>> extra = Map.of(
                ServiceApp.BILLING,
                Map.of(
                        "modelmarket.billing.pricing.minute-periods",
                        "true",
                        "modelmarket.billing.scheduler.every",
                        "1s"));
        return new MarketplaceConfig(stack, ports, loadDemoData, 256, extra, Duration.ZERO, false);
    }
}
