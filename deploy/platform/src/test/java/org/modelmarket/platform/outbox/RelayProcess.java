package org.modelmarket.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        byte[] child = "child".getBytes(StandardCharsets.UTF_8);
        EventPublisher publisher = record -> Uni.createFrom().emitter(emitter -> {
            ProducerRecord<String, String> kafkaRecord =
                    new ProducerRecord<>(record.topic(), record.key(), record.payload());
            kafkaRecord.headers().add("relay", child);
            producer.send(kafkaRecord, (metadata, failure) -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(null);
                }
            });
        });
        OutboxRelay relay = new OutboxRelay(
                vertx,
                OutboxRelayService.connectOptions(args[0], Optional.of(args[1]), Optional.of(args[2])),
                publisher,
                new OutboxRelay.Settings(
                        "outbox",
                        Integer.parseInt(args[4]),
                        64,
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
