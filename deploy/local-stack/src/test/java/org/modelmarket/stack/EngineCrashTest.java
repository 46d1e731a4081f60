package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.modelmarket.stack.kafka.KafkaEngine;
import org.modelmarket.stack.postgres.PostgresEngine;

/**
 * PostgreSQL and Kafka on kept data, killed with SIGKILL as a crash would, start again on the same folders with their
 * data: PostgreSQL's crash recovery, Kafka's log recovery, their lock files left behind, and a {@code postmaster.pid}
 * whose PID meanwhile belongs to an unrelated process (as after a reboot), which PostgreSQL alone refuses.
 */
class EngineCrashTest {

    @Test
    void postgresAndKafkaKeepTheirDataThroughAKill9() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "engine-crash-test-" + UUID.randomUUID())
                .toAbsolutePath();
        Path cache = StackConfig.defaultCache().resolve("postgres");
        PostgresEngine postgres = new PostgresEngine(0, dir.resolve("postgres"), cache, true, List.of("catalog"));
        KafkaEngine kafka = new KafkaEngine(0, dir.resolve("kafka"), 256);
        Process bystander = null;
        try {
            postgres.start();
            kafka.start();
            try (Connection connection =
                            DriverManager.getConnection(postgres.jdbcUrl("catalog"), "catalog", "catalog");
                    Statement statement = connection.createStatement()) {
                statement.execute("create table probe(id int primary key)");
                statement.execute("insert into probe values (42)");
            }
            send(kafka, "probe", "before the crash");

            List<ProcessHandle> crashed = new ArrayList<>(postgres.processes());
            crashed.addAll(postgres.processes().get(0).descendants().toList());
            crashed.addAll(kafka.processes());
            crashed.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(15)).until(() -> crashed.stream().noneMatch(ProcessHandle::isAlive));
            postgres.close();
            kafka.close();
            assertThat(dir.resolve("kafka/data/.lock"))
                    .as("Kafka's lock file is left behind")
                    .exists();

            Path pidFile = dir.resolve("postgres/postmaster.pid");
            assertThat(pidFile)
                    .as("the crashed postmaster's pid file is left behind")
                    .exists();
            bystander = new ProcessBuilder("sleep", "600").start();
            List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
            lines.set(0, Long.toString(bystander.pid()));
            Files.write(pidFile, lines);

            postgres = new PostgresEngine(0, dir.resolve("postgres"), cache, true, List.of("catalog"));
            postgres.start();
            kafka.start();
            try (Connection connection =
                            DriverManager.getConnection(postgres.jdbcUrl("catalog"), "catalog", "catalog");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select id from probe")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
            assertThat(readAll(kafka, "probe", 1)).containsExactly("before the crash");
            assertThat(bystander.isAlive())
                    .as("the process that reused the postmaster's PID is left alone")
                    .isTrue();
        } finally {
            postgres.close();
            kafka.close();
            if (bystander != null) {
                bystander.destroyForcibly();
            }
        }
    }

    private static void send(KafkaEngine kafka, String topic, String value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>(topic, "key", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(KafkaEngine kafka, String topic, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
            }
            return values;
        }
    }
}
