package org.modelmarket.platform.outbox;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Runs this replica's {@link OutboxRelay} for the service's lifetime: it campaigns for the lease at start-up
 * ({@code modelmarket.outbox.relay-enabled}), hands the lease over at shutdown, and purges sent rows while it leads.
 * The lease connection uses the service's reactive datasource settings.
 */
@ApplicationScoped
@IfBuildProperty(name = "modelmarket.outbox.enabled", stringValue = "true")
public class OutboxRelayService {

    private static final Logger LOG = Logger.getLogger(OutboxRelayService.class);

    private final OutboxRelay relay;
    private final OutboxConfig config;

    public OutboxRelayService(
            Vertx vertx,
            EventPublisher publisher,
            OutboxConfig config,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.config = config;
        this.relay = new OutboxRelay(
                vertx,
                connectOptions(url, username, password),
                publisher,
                OutboxRelay.Settings.of(config),
                registry,
                application);
    }

    /** PostgreSQL connection options from the reactive datasource URL and credentials. */
    public static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password) {
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            relay.start();
        } else {
            LOG.info("Outbox relay disabled on this replica (modelmarket.outbox.relay-enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop().await().atMost(config.sendTimeout().plusSeconds(5));
    }

    @Scheduled(
            every = "${modelmarket.outbox.purge-interval:1h}",
            delayed = "1m",
            concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return relay.purgeSentBefore(Instant.now().minus(config.retention()))
                .invoke(count -> LOG.debugf("Purged %d sent outbox rows", count))
                .replaceWithVoid();
    }

    /** This replica's relay (for tests and operations: {@link OutboxRelay#drain()}, {@link OutboxRelay#isLeader()}). */
    public OutboxRelay relay() {
        return relay;
    }
}
