package org.modelmarket.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.modelmarket.stack.StackConfig.EngineKind;

/** The PostgreSQL and Kafka engines, started for real: databases per service, topics, a round trip, a broker restart. */
class PostgresKafkaEngineTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "stack-test-" + UUID.randomUUID());
        stack = LocalStack.start(StackConfig.forTests(
                EnumSet.of(EngineKind.POSTGRES, EngineKind.KAFKA), dir, List.of("catalog", "billing")));
    }

    @AfterAll
    static void stop() {
        int postgresPort = stack.postgres().port();
        int kafkaPort = stack.kafka().port();
        stack.close();
        assertThat(Ports.inUse(postgresPort)).as("PostgreSQL port released").isFalse();
        assertThat(Ports.inUse(kafkaPort)).as("Kafka port released").isFalse();
    }

    @Test
    void eachServiceLogsIntoItsOwnDatabase() throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(stack.postgres().jdbcUrl("catalog"), "catalog", "catalog");
                Statement statement = connection.createStatement()) {
            statement.execute("create table probe(id int primary key)");
            statement.execute("insert into probe values (42)");
            try (ResultSet rows =
                    statement.executeQuery("select current_user, current_database(), (select id from probe)")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("catalog");
                assertThat(rows.getString(2)).isEqualTo("catalog");
                assertThat(rows.getInt(3)).isEqualTo(42);
            }
        }
        assertThat(stack.postgres().reactiveUrl("billing"))
                .startsWith("postgresql://127.0.0.1:")
                .endsWith("/billing");
    }

    @Test
    void projectionsTopicsAreCompacted() throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .containsAll(List.of(
                            "catalog.listings",
                            "catalog.events",
                            "artifact.downloads",
                            "billing.entitlements",
                            "billing.usage"));
            ConfigResource listings = new ConfigResource(ConfigResource.Type.TOPIC, "catalog.listings");
            String policy = admin.describeConfigs(List.of(listings))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(listings)
                    .get("cleanup.policy")
                    .value();
            assertThat(policy).isEqualTo("compact");
        }
    }

    @Test
    void recordsSurviveABrokerRestart() {
        String topic = "probe-" + UUID.randomUUID();
        send(topic, "before");
        stack.kafka().close();
        stack.kafka().restart();
        send(topic, "after");
        assertThat(readAll(topic, 2)).containsExactly("before", "after");
    }

    private void send(String topic, String value) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>(topic, "key", value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
    }

    private List<String> readAll(String topic, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            java.util.ArrayList<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                records.forEach(record -> values.add(record.value()));
            }
            return values;
        }
    }
}
