package org.modelmarket.stack.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void aSecondDeadLetteringOfTheSameOriginalIsDroppedAndOtherOriginalsWithTheSameValueAreKept() {
        ConsumerRecord<String, String> first = dead(0, "poison", "feed", 0, 7);
        ConsumerRecord<String, String> other = dead(1, "poison", "feed", 0, 8);
        ConsumerRecord<String, String> copy = dead(2, "poison", "feed", 0, 7);
        ConsumerRecord<String, String> otherPartition = dead(3, "poison", "feed", 1, 7);

        assertThat(DeadLetters.firstOfEachOriginal(List.of(first, other, copy, otherPartition)))
                .containsExactly(first, other, otherPartition);
    }

    @Test
    void aRecordThatWasNotDeadLetteredIsRefused() {
        ConsumerRecord<String, String> plain = new ConsumerRecord<>("feed.dlq", 0, 0, "key", "value");

        assertThatThrownBy(() -> DeadLetters.firstOfEachOriginal(List.of(plain)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dead-letter-topic");
    }

    private static ConsumerRecord<String, String> dead(
            long offset, String value, String topic, int partition, long originalOffset) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic + ".dlq", 0, offset, "key", value);
        record.headers().add("dead-letter-topic", topic.getBytes(StandardCharsets.UTF_8));
        record.headers().add("dead-letter-partition", String.valueOf(partition).getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add("dead-letter-offset", String.valueOf(originalOffset).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
