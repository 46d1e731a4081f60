package org.modelmarket.gateway.route.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.modelmarket.gateway.config.GatewayConfig.Files.Mode;
import org.modelmarket.gateway.route.RouteTable;

/** Which requests ask artifact-service for a signed redirect: downloads in redirect mode, nothing else. */
class DownloadModeTest {

    private static final String FILE = "/api/v1/listings/acme/whisper-small/files/weights/model.bin";

    @Test
    void redirectModeAsksForASignedRedirectOnDownloadsAndTheirHead() {
        assertThat(ProxyRoutes.extraHeaders(route("GET", FILE), Mode.REDIRECT))
                .containsEntry("X-ModelMarket-Redirect", "signed");
        assertThat(ProxyRoutes.extraHeaders(route("HEAD", FILE), Mode.REDIRECT))
                .containsEntry("X-ModelMarket-Redirect", "signed");
    }

    @Test
    void uploadsListingsAndRelayModeAreLeftAlone() {
        assertThat(ProxyRoutes.extraHeaders(route("PUT", FILE), Mode.REDIRECT)).isEmpty();
        assertThat(ProxyRoutes.extraHeaders(route("GET", "/api/v1/listings/acme/whisper-small/files"), Mode.REDIRECT))
                .isEmpty();
        assertThat(ProxyRoutes.extraHeaders(route("GET", "/api/v1/signed/abc.def"), Mode.REDIRECT))
                .isEmpty();
        assertThat(ProxyRoutes.extraHeaders(route("GET", FILE), Mode.RELAY)).isEmpty();
    }

    private static org.modelmarket.gateway.route.Route route(String method, String path) {
        return ((RouteTable.Lookup.Found) RouteTable.lookup(method, path)).route();
    }
}
