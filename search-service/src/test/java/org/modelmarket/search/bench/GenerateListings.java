package org.modelmarket.search.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads N synthetic listings into a running ModelMarket by publishing catalog.listings v2 CloudEvents straight to
 * Kafka, the way catalog-service's outbox relay does (key = listing id, structured mode).
 *
 * <pre>
 * search-service/bench/generate.sh [--count 100000] [--bootstrap 127.0.0.1:19092] [--seed 42]
 * </pre>
 */
public final class GenerateListings {

    public static final String TOPIC = "catalog.listings";

    private GenerateListings() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(option(args, "--count", "100000"));
        String bootstrap = option(args, "--bootstrap", "127.0.0.1:19092");
        long seed = Long.parseLong(option(args, "--seed", "42"));
        long begin = System.nanoTime();
        List<ListingGenerator.Generated> loaded = produce(bootstrap, new ListingGenerator(seed, vendors(count)), count);
        System.out.printf(
                "Published %d listings (%d searchable) to %s on %s in %.1f s%n",
                count,
                loaded.stream().filter(ListingGenerator.Generated::searchable).count(),
                TOPIC,
                bootstrap,
                (System.nanoTime() - begin) / 1e9);
    }

    /** About one vendor per 20 listings. */
    static int vendors(int listings) {
        return Math.max(10, listings / 20);
    }

    /** Publishes {@code count} listings and waits for every acknowledgement; returns them (the event text dropped). */
    static List<ListingGenerator.Generated> produce(String bootstrap, ListingGenerator generator, int count)
            throws Exception {
        List<ListingGenerator.Generated> loaded = new ArrayList<>(count);
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ListingGenerator.Generated listing = generator.next();
                pending.add(producer.send(record(listing)));
                loaded.add(new ListingGenerator.Generated(
                        listing.listingId(), listing.id(), listing.title(), null, listing.searchable()));
                if (pending.size() >= 5_000) {
                    for (Future<?> ack : pending) {
                        ack.get();
                    }
                    pending.clear();
                }
            }
            for (Future<?> ack : pending) {
                ack.get();
            }
        }
        return loaded;
    }

    static ProducerRecord<String, String> record(ListingGenerator.Generated listing) {
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, listing.listingId(), listing.cloudEvent());
        record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                "20",
                ProducerConfig.BATCH_SIZE_CONFIG,
                Integer.toString(512 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName()));
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
