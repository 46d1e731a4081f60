package org.modelmarket.search.rebuild.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.modelmarket.search.rebuild.RebuildStatus;
import org.modelmarket.stack.LocalStack;
import org.modelmarket.stack.test.InjectLocalStack;

import io.quarkus.test.junit.QuarkusTest;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/**
 * The rebuild's consumer uses the service's Kafka configuration, and a shutdown mid-rebuild ({@link RebuildService#cancel},
 * which the service's {@code ShutdownEvent} observer calls) leaves the old index serving and a later rebuild free to run.
 */
@QuarkusTest
class RebuildShutdownTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    RebuildService rebuild;

    @Inject
    ElasticsearchClient elasticsearch;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theConsumerIsMadeFromTheServicesKafkaConfiguration() {
        Map<String, Object> config = rebuild.consumerConfig();

        assertThat(config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).hasToString(bootstrapServers);
        assertThat(config)
                .doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }

    @Test
    void aShutdownMidRebuildLeavesTheOldIndexServingAndTheNextRebuildRuns() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rebuild.status().map(s -> !s.running()).orElse(true));
        String before = aliasTarget("listings-read");
        // without a broker the rebuild stays in its Kafka phase, so the cancellation surely lands mid-rebuild
        stack.kafka().close();
        String target;
        try {
            target = rebuild.start().targetIndex();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            elasticsearch.indices().exists(e -> e.index(target)).value());

            rebuild.cancel("the service is shutting down");

            RebuildStatus cancelled = await().atMost(Duration.ofSeconds(30))
                    .until(() -> rebuild.status().orElseThrow(), s -> !s.running());
            assertThat(cancelled.state()).isEqualTo(RebuildStatus.FAILED);
            assertThat(cancelled.error()).contains("cancelled");
            assertThat(aliasTarget("listings-read")).isEqualTo(before);
            assertThat(aliasTarget("listings-write")).isEqualTo(before);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !elasticsearch
                            .indices()
                            .exists(e -> e.index(target))
                            .value());
        } finally {
            stack.kafka().start();
        }

        String next = rebuild.start().targetIndex();
        RebuildStatus done = await().atMost(Duration.ofSeconds(90))
                .until(() -> rebuild.status().orElseThrow(), s -> !s.running());
        assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(RebuildStatus.COMPLETED);
        assertThat(aliasTarget("listings-read")).isEqualTo(next);
    }

    private String aliasTarget(String alias) throws Exception {
        Map<String, ?> aliases =
                elasticsearch.indices().getAlias(g -> g.name(alias)).aliases();
        assertThat(aliases).hasSize(1);
        return aliases.keySet().iterator().next();
    }
}
