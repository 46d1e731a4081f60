package org.modelmarket.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Reserves one free local port per downstream service and points the gateway's clients at them; the
 * {@link DownstreamStub} bean listens there once the application starts.
 */
public class DownstreamStubResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        for (String service : DownstreamStub.SERVICES) {
            int port = freePort();
            config.put("quarkus.rest-client." + service + ".url", "http://127.0.0.1:" + port);
            config.put(DownstreamStub.PORT_PREFIX + service, Integer.toString(port));
        }
        return config;
    }

    @Override
    public void stop() {
        // The stub servers belong to the application's Vert.x and stop with it.
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
