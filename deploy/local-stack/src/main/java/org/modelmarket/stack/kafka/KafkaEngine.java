package org.modelmarket.stack.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.modelmarket.stack.ChildProcess;
import org.modelmarket.stack.Engine;
import org.modelmarket.stack.Jdk;
import org.modelmarket.stack.LockFiles;
import org.modelmarket.stack.ModelMarketHome;
import org.modelmarket.stack.Ports;
import org.modelmarket.stack.StackException;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one JVM), run as a child process from
 * the class path that deploy/engines/kafka assembles, with ModelMarket's topics created up front.
 */
public final class KafkaEngine implements Engine {

    /** ModelMarket's topics: the compacted ones carry full state keyed by aggregate id, for projections. */
    public static final Map<String, Boolean> TOPICS = Map.of(
            "catalog.listings", true,
            "catalog.events", false,
            "artifact.downloads", false,
            "artifact.commits", false,
            "billing.entitlements", true,
            "billing.usage", false);

    private final int requestedPort;
    private final Path workDir;
    private final int heapMb;
    private int port;
    private int controllerPort;
    private ChildProcess broker;

    /**
     * @param port    0 for a free port
     * @param workDir holds the log directory (data), config and the broker's output; reused when it was formatted before
     * @param heapMb  broker heap
     */
    public KafkaEngine(int port, Path workDir, int heapMb) {
        this.requestedPort = port;
        this.workDir = workDir;
        this.heapMb = heapMb;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() {
        if (port == 0) {
            port = Ports.claim(requestedPort, "Kafka");
            controllerPort = Ports.free();
        }
        Path lib = ModelMarketHome.engine("kafka").resolve("lib");
        Path config = writeConfig();
        String java = Jdk.java().toString();
        String classPath = lib + "/*";

        // KRaft storage is formatted once; a kept log directory (local run, broker restart) already has its cluster id.
        if (!Files.exists(workDir.resolve("data/meta.properties"))) {
            ChildProcess format = ChildProcess.start(
                    "kafka-storage-format",
                    List.of(
                            java,
                            "-cp",
                            classPath,
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toString()),
                    workDir,
                    Map.of(),
                    workDir.resolve("logs/storage-format.out"));
            if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
                throw new StackException(
                        "Formatting the Kafka storage failed; log " + format.log() + ":\n" + format.tail(20));
            }
        }

        // A kept log directory after a crash: the broker recovers its logs itself; only a broker still holding it would
        // stop it.
        LockFiles.requireUnlocked(workDir.resolve("data/.lock"), "Kafka");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms" + heapMb + "m",
                "-Xmx" + heapMb + "m",
                "-XX:+UseG1GC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + workDir.resolve("tmp"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                "-cp",
                classPath,
                "kafka.Kafka",
                config.toString()));
        broker = ChildProcess.start("kafka", command, workDir, Map.of(), workDir.resolve("logs/kafka.out"));
        broker.awaitReady(Duration.ofSeconds(90), this::clusterAnswers);
        createTopics();
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(workDir.resolve("tmp"));
            Files.createDirectories(workDir.resolve("logs"));
            Path config = workDir.resolve("server.properties");
            String properties = String.join(
                    "\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@" + Ports.LOOPBACK + ":" + controllerPort,
                    "listeners=PLAINTEXT://" + Ports.LOOPBACK + ":" + port + ",CONTROLLER://" + Ports.LOOPBACK + ":"
                            + controllerPort,
                    "advertised.listeners=PLAINTEXT://" + Ports.LOOPBACK + ":" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + workDir.resolve("data"),
                    "num.partitions=3",
                    // One node: every internal topic must live with a single replica or consumer groups never form.
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=5",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=true",
                    "log.cleaner.backoff.ms=1000",
                    "");
            Files.writeString(config, properties);
            return config;
        } catch (IOException e) {
            throw new StackException("Cannot write the Kafka configuration in " + workDir + ": " + e.getMessage(), e);
        }
    }

    private Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        // Kafka instantiates its plugins (the JMX metrics reporter) through the thread's context class loader. Engines
        // start on pool threads whose context loader can hold another copy of kafka-clients (Quarkus's test class
        // loader), which fails every attempt with a ClassCastException: use the loader that loaded this class.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaEngine.class.getClassLoader());
        try {
            return Admin.create(properties);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private boolean clusterAnswers() {
        if (!Ports.inUse(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    private void createTopics() {
        try (Admin admin = admin()) {
            for (Map.Entry<String, Boolean> topic : TOPICS.entrySet()) {
                NewTopic newTopic = new NewTopic(topic.getKey(), 3, (short) 1);
                if (topic.getValue()) {
                    newTopic.configs(Map.of(
                            "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.1", "segment.ms", "600000"));
                }
                try {
                    admin.createTopics(List.of(newTopic)).all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException(
                                "Cannot create Kafka topic " + topic.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e);
                    }
                }
            }
        } catch (StackException e) {
            throw e;
        } catch (Exception e) {
            throw new StackException("Cannot create the Kafka topics: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public List<ProcessHandle> processes() {
        return broker != null && broker.isAlive() ? broker.processTree() : List.of();
    }

    @Override
    public List<Integer> ports() {
        return broker != null ? List.of(port, controllerPort) : List.of();
    }

    /** {@code 127.0.0.1:P}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    /** Stops the broker; the log directory is kept, so a restart on the same folder resumes where it left off. */
    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Starts the broker again on the same ports and data after {@link #close()}, e.g. for tests of a broker outage. */
    public void restart() {
        close();
        start();
    }
}
