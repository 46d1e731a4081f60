package org.modelmarket.stack.test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reading a dead-letter topic in tests. Dead-lettering is at least once, like every Kafka consumer's work: a rebalance
 * between the send to {@code <topic>.dlq} and the commit of the original offset (a broker restart, a consumer of the
 * same group joining) hands the poison record to a consumer again, which dead-letters it again. Both copies name the
 * same original record in their {@code dead-letter-topic}, {@code dead-letter-partition} and
 * {@code dead-letter-offset} headers, which is how a reader of the topic tells a copy from another poison record.
 */
public final class DeadLetters {

    private DeadLetters() {}

    /**
     * The first dead-lettering of each original record, in the order read: later copies of the same topic, partition
     * and offset are dropped, records with other origins (even with the same value) are all kept.
     */
    public static <K, V> List<ConsumerRecord<K, V>> firstOfEachOriginal(List<ConsumerRecord<K, V>> records) {
        Map<String, ConsumerRecord<K, V>> first = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> record : records) {
            String origin = header(record, "dead-letter-topic") + "/" + header(record, "dead-letter-partition") + "/"
                    + header(record, "dead-letter-offset");
            first.putIfAbsent(origin, record);
        }
        return List.copyOf(first.values());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new IllegalArgumentException("record at " + record.topic() + "/" + record.partition() + "/"
                    + record.offset() + " has no " + name + " header: not a dead-lettered record");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
