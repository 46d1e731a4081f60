package org.modelmarket.artifact.config;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/** Applies {@code modelmarket.artifact.http.*} to the HTTP server (Quarkus has no setting for the receive buffer). */
@ApplicationScoped
public class HttpServerTuning implements HttpServerOptionsCustomizer {

    private final ArtifactConfig config;

    public HttpServerTuning(ArtifactConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        // Vert.x sets SO_RCVBUF and a fixed Netty read size of this many bytes.
        config.http().receiveBufferSize().ifPresent(size -> options.setReceiveBufferSize((int) size.asLongValue()));
    }
}
