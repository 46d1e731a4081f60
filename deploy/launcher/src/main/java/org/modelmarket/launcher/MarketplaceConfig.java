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
 * @param warmUp       how long to send warm-up reads to catalog-service and search-service before the run reports
 *                     ready ({@link Warmup}); zero for none
 */
public record MarketplaceConfig(
        StackConfig stack,
        Map<ServiceApp, Integer> servicePorts,
        boolean loadDemoData,
        int serviceHeapMb,
        Duration warmUp) {

    /** The local run's warm-up: long enough for the JIT to compile the read paths on two busy cores. */
    public static final Duration LOCAL_WARM_UP = Duration.ofSeconds(20);

    /** The documented local run: gateway on 8080, services on 8081-8084, engines on their fixed ports, data kept in {@code dataDir}. */
    public static MarketplaceConfig local(Path dataDir) {
        Map<ServiceApp, Integer> ports = new EnumMap<>(ServiceApp.class);
        ports.put(ServiceApp.GATEWAY, 8080);
        ports.put(ServiceApp.CATALOG, 8081);
        ports.put(ServiceApp.SEARCH, 8082);
        ports.put(ServiceApp.ARTIFACT, 8083);
        ports.put(ServiceApp.BILLING, 8084);
        return new MarketplaceConfig(StackConfig.local(dataDir), ports, true, 384, LOCAL_WARM_UP);
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
        return new MarketplaceConfig(engines, free, loadDemoData, serviceHeapMb, warmUp);
    }

    /** Everything on free ports with throwaway data, for end-to-end tests (no warm-up: tests measure nothing). */
    public static MarketplaceConfig forTests(Path dataDir, boolean loadDemoData) {
        Map<ServiceApp, Integer> ports = new EnumMap<>(ServiceApp.class);
        for (ServiceApp app : ServiceApp.values()) {
            ports.put(app, 0);
        }
        StackConfig stack = StackConfig.forTests(
                java.util.EnumSet.allOf(StackConfig.EngineKind.class), dataDir, StackConfig.SERVICE_DATABASES);
        return new MarketplaceConfig(stack, ports, loadDemoData, 256, Duration.ZERO);
    }
}
