package org.modelmarket.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.modelmarket.deploy.kubernetes.Chart.list;
import static org.modelmarket.deploy.kubernetes.Chart.map;
import static org.modelmarket.deploy.kubernetes.Chart.ofKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The chart's topics and Kafka ACLs follow what the services actually use: every topic in a service's
 * application.properties and in the local stack's topic list is a KafkaTopic with a .dlq beside it, compacted where
 * the local stack compacts it, and each service's KafkaUser may read what it consumes and write what it produces.
 */
class TopicsAndAccessTest {

    private static final Pattern CHANNEL_TOPIC =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");
    private static final Pattern LOCAL_STACK_TOPIC = Pattern.compile("\"([a-z]+\\.[a-z.]+)\",\\s*(true|false)");

    @Test
    void everyTopicTheServicesAndTheLocalStackUseIsAKafkaTopicWithItsDeadLetterTopic() throws IOException {
        Map<String, Map<String, Object>> topics = topics();
        Map<String, Boolean> localStack = localStackTopics();
        assertThat(localStack).hasSizeGreaterThanOrEqualTo(5);
        for (Map.Entry<String, Boolean> topic : localStack.entrySet()) {
            assertThat(topics).containsKeys(topic.getKey(), topic.getKey() + ".dlq");
            String policy = String.valueOf(
                    map(topics.get(topic.getKey()), "spec.config").get("cleanup.policy"));
            assertThat(policy).as(topic.getKey()).isEqualTo(topic.getValue() ? "compact" : "delete");
            if (!topic.getValue()) {
                assertThat(map(topics.get(topic.getKey()), "spec.config"))
                        .as(topic.getKey())
                        .containsKey("retention.ms");
            }
        }
        for (String service : Chart.SERVICES) {
            for (String topic : channelTopics(service).values().stream()
                    .flatMap(Set::stream)
                    .toList()) {
                assertThat(topics).as(service + " uses " + topic).containsKeys(topic, topic + ".dlq");
            }
        }
    }

    @Test
    void eachServiceMayReadWhatItConsumesAndWriteWhatItProduces() throws IOException {
        Map<String, Map<String, Object>> users = ofKind(Renderings.PRODUCTION.objects(), "KafkaUser").stream()
                .collect(Collectors.toMap(Chart::name, u -> u));
        for (String service : Chart.SERVICES) {
            Map<String, Set<String>> channels = channelTopics(service);
            if (channels.values().stream().allMatch(Set::isEmpty)) {
                assertThat(users).doesNotContainKey(Chart.RELEASE + "-" + service);
                continue;
            }
            Map<String, Object> user = users.get(Chart.RELEASE + "-" + service);
            assertThat(user).as(service).isNotNull();
            List<Map<String, Object>> acls = list(map(user, "spec.authorization"), "acls");
            for (String topic : channels.get("incoming")) {
                assertThat(allowed(acls, "topic", topic))
                        .as(service + " reads " + topic)
                        .contains("Read");
                assertThat(allowed(acls, "topic", topic + ".dlq"))
                        .as(service + " dead-letters " + topic)
                        .contains("Write");
                assertThat(allowed(acls, "group", service))
                        .as(service + " consumer group")
                        .contains("Read");
            }
            for (String topic : channels.get("outgoing")) {
                assertThat(allowed(acls, "topic", topic))
                        .as(service + " writes " + topic)
                        .contains("Write");
            }
            // The group ACL is a prefix (the service's name): every consumer group the service joins must start
            // with it, per-instance groups (<service>-views-<uuid>) included.
            assertThat(consumerGroups(service))
                    .allSatisfy(group -> assertThat(group)
                            .as(service + " consumer group " + group)
                            .startsWith(service));
        }
    }

    /** The group ids of a service's incoming channels, from its application.properties. */
    private static Set<String> consumerGroups(String service) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(
                Chart.home().resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id"))
                .map(key -> properties.getProperty(key).trim())
                .collect(Collectors.toSet());
    }

    private static Set<String> allowed(List<Map<String, Object>> acls, String type, String name) {
        return acls.stream()
                .filter(acl -> type.equals(map(acl, "resource").get("type"))
                        && name.equals(map(acl, "resource").get("name")))
                .flatMap(acl -> ((List<?>) acl.get("operations")).stream().map(String::valueOf))
                .collect(Collectors.toSet());
    }

    private static Map<String, Map<String, Object>> topics() {
        return ofKind(Renderings.PRODUCTION.objects(), "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> (String) map(t, "spec").get("topicName"), t -> t));
    }

    /** incoming/outgoing topic names of a service's channels, from its application.properties. */
    static Map<String, Set<String>> channelTopics(String service) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(
                Chart.home().resolve(service).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Map<String, Set<String>> topics =
                new HashMap<>(Map.of("incoming", new HashSet<>(), "outgoing", new HashSet<>()));
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL_TOPIC.matcher(key);
            if (m.matches()) {
                topics.get(m.group(1)).add(properties.getProperty(key).trim());
            }
        }
        return topics;
    }

    /** The local stack's topic list (name, compacted) as its source declares it. */
    static Map<String, Boolean> localStackTopics() throws IOException {
        Path source =
                Chart.home().resolve("deploy/local-stack/src/main/java/org/modelmarket/stack/kafka/KafkaEngine.java");
        String text = Files.readString(source);
        String declaration =
                text.substring(text.indexOf("TOPICS = Map.of("), text.indexOf(");", text.indexOf("TOPICS = Map.of(")));
        Map<String, Boolean> topics = new HashMap<>();
        Matcher m = LOCAL_STACK_TOPIC.matcher(declaration);
        while (m.find()) {
            topics.put(m.group(1), Boolean.parseBoolean(m.group(2)));
        }
        return topics;
    }
}
