package org.modelmarket.platform.testapp;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.platform.outbox.OutboxWriter;
import org.modelmarket.platform.problem.ProblemException;
import org.modelmarket.platform.problem.ProblemType;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates widgets and announces them through the outbox, in one transaction. */
@ApplicationScoped
public class WidgetService {

    public static final String TOPIC = "platform.widgets";
    public static final String TYPE = "org.modelmarket.test.WidgetChanged";
    static final ProblemType WIDGET_NOT_FOUND = ProblemType.of("widget-not-found", 404, "Widget not found");

    private final OutboxWriter outbox;

    public WidgetService(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<Widget> create(String name) {
        Widget widget = new Widget();
        widget.id = UUID.randomUUID();
        widget.name = name;
        widget.revision = 1;
        return widget.<Widget>persist()
                .call(saved -> outbox.append(
                        TOPIC,
                        "widget",
                        saved.id.toString(),
                        saved.revision,
                        TYPE,
                        Instant.now(),
                        Map.of("id", saved.id.toString(), "name", saved.name)));
    }

    @WithSession
    public Uni<Widget> get(UUID id) {
        return Widget.<Widget>findById(id)
                .onItem()
                .ifNull()
                .failWith(() -> new ProblemException(WIDGET_NOT_FOUND, "No widget " + id));
    }

    /** Appends outside any transaction: must fail. */
    @WithSession
    public Uni<UUID> appendWithoutTransaction() {
        return outbox.append(TOPIC, "widget", "x", 1L, TYPE, Instant.now(), Map.of());
    }
}
