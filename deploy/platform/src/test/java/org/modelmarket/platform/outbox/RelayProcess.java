package org.modelmarket.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.modelmarket.platform.Kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A second relay replica in its own JVM, for {@link OutboxFailoverTest} to {@code kill -9}: the library's
 * {@link OutboxRelay} with a plain Kafka producer (no Quarkus). Its records carry the header {@code relay=child}.
 * Arguments: reactive URL, user, password, bootstrap servers, batch size.
 */
public final class RelayProcess {

    private RelayProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        KafkaProducer<String, String> producer = Kafka.producer(args[3]);
        List<Header> relayHeader = List.of(new RecordHeader("relay", "child".getBytes(StandardCharsets.UTF_8)));
        EventPublisher publisher = records -> records.isEmpty()
                ? Uni.createFrom().item(new EventPublisher.Sent(List.of(), null))
                : Uni.createFrom().completionStage(KafkaEventPublisher.sendAll(producer, records, relayHeader));
        OutboxRelay relay = new OutboxRelay(
                vertx,
                OutboxRelayService.connectOptions(args[0], Optional.of(args[1]), Optional.of(args[2])),
                publisher,
                new OutboxRelay.Settings(
                        "outbox",
                        Integer.parseInt(args[4]),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        Duration.ofMillis(200)),
                new SimpleMeterRegistry(),
                "child");
        relay.start();
        boolean announced = false;
        // Runs until killed; the parent reads this line to know the child leads.
        while (true) {
            if (!announced && relay.isLeader()) {
                System.out.println("LEADER");
                System.out.flush();
                announced = true;
            }
            Thread.sleep(20);
        }
    }
}
